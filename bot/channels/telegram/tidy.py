"""Tidy the chat: after approval the child may have the chat's messages deleted from the
Telegram side. Bots may delete messages in a private chat for 48 hours, so only message
ids (never content) are remembered, and only for that long; the bot says plainly what
this removes and what it cannot.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from telegram import Bot
from telegram.error import BadRequest, Forbidden

from bot.store.keyring import Keyring
from bot.store.models import utcnow
from bot.store.telegram_models import TelegramChat, TelegramMessage

WINDOW = timedelta(hours=47)  # Telegram allows 48 hours; keep a margin
TIDY, KEEP = "tg:tidy", "tg:keep"  # payloads the channel handles itself, never sent to Rasa


def approved_version(session: Session, conversation_id: str | None) -> int:
    """The newest approved statement version of this conversation's meeting (0 if none)."""
    from sqlalchemy import func

    from bot.services.conversations import identity
    from bot.store.models import Statement

    ident = identity(session, conversation_id) if conversation_id else None
    if ident is None or ident.meeting is None or ident.role != "child":
        return 0
    return session.scalar(select(func.max(Statement.version)).where(
        Statement.meeting_id == ident.meeting.id)) or 0


def remember(session: Session, chat: TelegramChat, message_id: int) -> None:
    session.add(TelegramMessage(chat_ref=chat.id, message_id=message_id, at=utcnow()))


def offer_text(session: Session, conversation_id: str | None, texts: dict) -> str:
    """The offer, and what stays where, true for what this approval did.

    "Finns kvar hos hen" only when the newest version gave the coordinator something (a
    child who hid every item, or shared only with guardians, sent the coordinator
    nothing); "ändra dig fram till mötet" only before the meeting, not after feedback.
    """
    from bot.services import meetings, statements
    from bot.services.conversations import identity
    from bot.store.models import Statement

    parts = [texts["tidy_offer"]]
    ident = identity(session, conversation_id) if conversation_id else None
    newest = None if ident is None or ident.meeting is None else session.scalars(
        select(Statement).where(Statement.meeting_id == ident.meeting.id)
        .order_by(Statement.version.desc()).limit(1)).first()
    if newest is not None and newest.kind == "feedback":
        parts.append(texts["tidy_kept_coordinator"])  # answers are sealed only when there are some
    elif newest is not None:
        parts.append(texts["tidy_kept_coordinator" if statements.coordinator_holds(session, ident.meeting.id)
                           else "tidy_kept_here"])
        if meetings.is_upcoming(ident.meeting):
            parts.append(texts["tidy_change"])
    return " ".join(parts)


def offer(session: Session, keys: Keyring, chat: TelegramChat, turn: str, texts: dict) -> None:
    from bot.channels.telegram import chats, outbox

    buttons = chats.offer_buttons(session, keys, chat, f"{turn}:tidy", [
        {"title": texts["tidy_yes"], "payload": TIDY}, {"title": texts["tidy_no"], "payload": KEEP}],
        stale_others=False)
    outbox.queue(session, keys, chat, offer_text(session, chat.conversation_id, texts), buttons)


async def delete_recent(bot: Bot, factory, chat: TelegramChat, chat_id: int) -> int:
    """Delete what may still be deleted; returns how many messages were asked to go.

    Reads the ids in a short session of its own and writes nothing: no transaction stays
    open across the calls to Telegram. `forget_chat` drops the ids afterwards.
    """
    since = utcnow() - WINDOW
    with factory() as session:
        ids = sorted(set(session.scalars(select(TelegramMessage.message_id).where(
            TelegramMessage.chat_ref == chat.id, TelegramMessage.at >= since))))
    for start in range(0, len(ids), 100):  # deleteMessages takes at most 100 ids
        try:
            await bot.delete_messages(chat_id, ids[start:start + 100])
        except (BadRequest, Forbidden):
            pass  # already gone, or too old: nothing more the bot can do
    return len(ids)


def forget_chat(session: Session, chat: TelegramChat) -> None:
    session.execute(delete(TelegramMessage).where(TelegramMessage.chat_ref == chat.id))


def forget_old(session: Session) -> None:
    """Ids older than the window are of no use and are not kept."""
    session.execute(delete(TelegramMessage).where(TelegramMessage.at < utcnow() - WINDOW))
