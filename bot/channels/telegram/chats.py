"""Telegram chats: found by a keyed hash of the chat id, mapped to a random conversation id
(Rasa's sender id, never the Telegram id), or linked to a coordinator.

The chat id is sealed under the chat's own master-wrapped key: the bot needs it to send,
and it must survive a person's erasure so the confirmation can still be delivered.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.services import audit, conversations, invites, service_keys
from bot.store.keyring import Keyring
from bot.store.models import Conversation, Invite, OutboxMessage, utcnow
from bot.store.telegram_models import TelegramButton, TelegramChat


def chat_hash(session: Session, keys: Keyring, chat_id: int) -> str:
    pepper = service_keys.telegram_chat_pepper(session, keys)
    return hmac.new(pepper, str(chat_id).encode("ascii"), hashlib.sha256).hexdigest()


def find(session: Session, keys: Keyring, chat_id: int) -> TelegramChat | None:
    return session.scalars(select(TelegramChat).where(
        TelegramChat.chat_hash == chat_hash(session, keys, chat_id))).first()


def find_or_create(session: Session, keys: Keyring, chat_id: int) -> tuple[TelegramChat, bool]:
    """The chat's row, with a live conversation; True when the conversation is new."""
    chat = find(session, keys, chat_id)
    created = False
    if chat is None:
        chat = TelegramChat(id=secrets.token_hex(16), chat_hash=chat_hash(session, keys, chat_id),
                            key_id=keys.create_key(), chat_id_enc=b"")
        chat.chat_id_enc = keys.seal(chat.key_id, "telegram_chats", "chat_id_enc", chat.id, str(chat_id))
        session.add(chat)
    if chat.coordinator_id is None:
        current = session.get(Conversation, chat.conversation_id) if chat.conversation_id else None
        # After an erasure the chat starts over with a fresh conversation.
        if current is None or current.erased_at is not None:
            chat.conversation_id = secrets.token_hex(16)
            conversations.get_or_create(session, keys, chat.conversation_id, channel="telegram")
            created = True
    session.flush()
    return chat, created


def chat_id_of(keys: Keyring, chat: TelegramChat) -> int:
    return int(keys.open("telegram_chats", "chat_id_enc", chat.id, chat.chat_id_enc))


def is_linked_person(session: Session, chat: TelegramChat) -> bool:
    conversation = session.get(Conversation, chat.conversation_id) if chat.conversation_id else None
    return conversation is not None and conversation.person_id is not None


def coordinator_invite(session: Session, keys: Keyring, text: str) -> Invite | None:
    """The valid coordinator-link invite whose code is in `text`, without using it.

    A person's code is left untouched: the invite action in Rasa redeems it.
    """
    code = invites.normalise(text)
    if code is None:
        return None
    pepper = service_keys.invite_pepper(session, keys)
    invite = session.scalars(select(Invite).where(
        Invite.code_hash == invites.code_hash(pepper, code))).first()
    if invite is None or invite.kind != "coordinator_link":
        return None
    return invite


def link_coordinator(session: Session, keys: Keyring, chat: TelegramChat, text: str) -> bool:
    invite = coordinator_invite(session, keys, text)
    if invite is None:
        return False
    try:
        invites.redeem(session, keys, invites.normalise(text))
    except invites.InviteError:
        return False
    chat.coordinator_id = invite.coordinator_id
    # Notices queued before the chat was linked go out now.
    session.execute(update(OutboxMessage).where(
        OutboxMessage.channel == "coordinator", OutboxMessage.recipient == invite.coordinator_id,
        OutboxMessage.sent_at.is_(None)).values(due_at=utcnow()))
    audit.record(session, f"coordinator:{invite.coordinator_id}", "link", "telegram_chat", chat.id)
    return True


def chat_for_recipient(session: Session, channel: str, recipient: str) -> TelegramChat | None:
    column = TelegramChat.coordinator_id if channel == "coordinator" else TelegramChat.conversation_id
    return session.scalars(select(TelegramChat).where(column == recipient)
                           .order_by(TelegramChat.created_at.desc())).first()


# --- offered buttons --------------------------------------------------------------------

def offer_buttons(session: Session, keys: Keyring, chat: TelegramChat, offer: str,
                  buttons: list[dict], stale_others: bool = True) -> list[dict]:
    """Store each button and return [{title, cb}]; older unused offers go stale."""
    if stale_others:
        session.execute(update(TelegramButton).where(
            TelegramButton.chat_ref == chat.id, TelegramButton.used_at.is_(None),
            TelegramButton.offer != offer).values(used_at=utcnow()))
    offered = []
    for button in buttons:
        row = TelegramButton(id=secrets.token_urlsafe(9), chat_ref=chat.id, offer=offer, payload_enc=b"")
        row.payload_enc = keys.seal(chat.key_id, "telegram_buttons", "payload_enc", row.id,
                                    str(button.get("payload") or ""))
        session.add(row)
        offered.append({"title": str(button.get("title") or ""), "cb": row.id})
    return offered


def offered_payload(session: Session, keys: Keyring, chat: TelegramChat, callback_data: str | None
                    ) -> tuple[TelegramButton, str] | None:
    """The payload behind a callback, only if this chat was offered it and it is unused."""
    # Our ids are short URL-safe ASCII (token_urlsafe); anything else, such as a lone
    # surrogate the database driver cannot even encode, was never offered.
    if not callback_data or len(callback_data) > 16 or not callback_data.isascii():
        return None
    row = session.get(TelegramButton, callback_data)
    if row is None or row.chat_ref != chat.id or row.used_at is not None:
        return None
    return row, keys.open("telegram_buttons", "payload_enc", row.id, row.payload_enc)


def use_offer(session: Session, button: TelegramButton) -> None:
    """A choice was made: every button of that offer is spent, so a double tap does nothing."""
    session.execute(update(TelegramButton).where(TelegramButton.offer == button.offer)
                    .values(used_at=utcnow()))


# --- erasure ----------------------------------------------------------------------------

def _delete_chat(session: Session, keys: Keyring, chat: TelegramChat) -> None:
    from sqlalchemy import delete

    from bot.store.telegram_models import TelegramMessage

    session.execute(delete(TelegramButton).where(TelegramButton.chat_ref == chat.id))
    session.execute(delete(TelegramMessage).where(TelegramMessage.chat_ref == chat.id))
    session.execute(delete(OutboxMessage).where(OutboxMessage.key_id == chat.key_id))
    key_id = chat.key_id
    session.delete(chat)
    session.flush()
    keys.destroy(key_id)


def erase_for(session: Session, keys: Keyring, conversation_ids: list[str]) -> int:
    """Delete the chat rows of erased conversations (the sealed Telegram id, offered
    buttons, message ids). Returns how many chats went."""
    if not conversation_ids:
        return 0
    found = session.scalars(select(TelegramChat).where(
        TelegramChat.conversation_id.in_(list(conversation_ids)),
        TelegramChat.coordinator_id.is_(None))).all()
    for chat in found:
        _delete_chat(session, keys, chat)
    return len(found)


def sweep_erased(session: Session, keys: Keyring, erased_before) -> int:
    """Chats whose conversation was erased before `erased_before` and that have nothing
    left to send (the erasure's confirmation went out): their rows go. A chat that wrote
    again since has a new conversation and is not touched."""
    found = session.scalars(
        select(TelegramChat).join(Conversation, Conversation.id == TelegramChat.conversation_id)
        .where(TelegramChat.coordinator_id.is_(None), Conversation.erased_at.is_not(None),
               Conversation.erased_at < erased_before)).all()
    gone = 0
    for chat in found:
        waiting = session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.recipient == chat.conversation_id, OutboxMessage.sent_at.is_(None)).limit(1))
        if waiting is None:
            _delete_chat(session, keys, chat)
            gone += 1
    return gone
