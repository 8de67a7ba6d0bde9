"""What the bot does with one stored update: a handful of small handlers, each relaying to
Rasa through bot.channels.relay and queueing the answer in the outbox.

python-telegram-bot's Application.process_update swallows handler errors into its error
handlers; here an error must keep the update in the inbox to be retried (Rasa down), so
the dispatch is this module's own. A handler raises RetryLater to leave the update
unprocessed; anything it queued or changed is rolled back with it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx
from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.channels.relay import RasaUnavailable, TooLong, relay
from bot.channels.telegram import chats, outbox, tidy
from bot.channels.telegram.texts import texts
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.telegram_models import TelegramChat

log = logging.getLogger("sipkompis.telegram")

# Slash commands the bot offers in every chat (setMyCommands), mapped to Rasa payloads:
# the bot offered them, so they may go to Rasa as payloads and never as stored answers.
COMMAND_PAYLOADS = {"hjalp": "/ask_help", "hjalp_nu": "/help_now", "radera": "/stop_and_delete",
                    "stopp": "/pause_messages"}


class RetryLater(Exception):
    """Rasa is unavailable: keep the update and try again; nothing is lost."""


@dataclass
class Context:
    bot: Bot
    factory: object  # sessionmaker
    http: httpx.AsyncClient
    webhook_url: str
    sender: outbox.Sender


async def handle(ctx: Context, update: Update, update_id: str) -> None:
    if update.callback_query is not None:
        await on_callback(ctx, update.callback_query, update_id)
        return
    message = update.message or update.edited_message
    if message is None or message.chat.type != "private":
        return  # the bot is for one person at a time; groups are ignored
    if update.edited_message is not None:
        # An edit would change an answer already given without the dialogue knowing.
        await on_non_text(ctx, message, update_id)
    elif message.text is not None:
        await on_text(ctx, message, update_id)
    else:
        await on_non_text(ctx, message, update_id)


def _command(text: str) -> tuple[str | None, str]:
    """("start", "CODE") for "/start CODE" or "/start@botname CODE"; (None, text) otherwise."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return None, text
    head, _, rest = stripped[1:].partition(" ")
    name = head.partition("@")[0].casefold()
    return (name, rest.strip()) if name.replace("_", "").isalnum() else (None, text)


async def on_text(ctx: Context, message: Message, update_id: str) -> None:
    command, rest = _command(message.text)
    with transaction(ctx.factory) as session:
        keys = Keyring(session)
        chat, _new = chats.find_or_create(session, keys, message.chat.id)
        tidy.remember(session, chat, message.message_id)
        if chat.coordinator_id is not None:
            await coordinator_text(ctx, session, keys, chat, command)
            return
        if chats.link_coordinator(session, keys, chat, message.text):
            outbox.queue(session, keys, chat, texts()["coordinator_linked"])
            return
        linked = chats.is_linked_person(session, chat)
    if command == "start":
        if linked:  # the same deep link again simply continues where the chat was
            with transaction(ctx.factory) as session:
                keys = Keyring(session)
                outbox.queue(session, keys, session.merge(chat), texts()["already_linked"])
            return
        await relay_turn(ctx, chat, rest or "hej", update_id)
    elif command in COMMAND_PAYLOADS:
        await relay_turn(ctx, chat, COMMAND_PAYLOADS[command], update_id, payload=True)
    else:
        await relay_turn(ctx, chat, message.text, update_id)


async def on_non_text(ctx: Context, message: Message, update_id: str) -> None:
    """A kind line and nothing stored; a caption is still read by the crisis detector."""
    from bot.safety import detect

    with transaction(ctx.factory) as session:
        keys = Keyring(session)
        chat, _new = chats.find_or_create(session, keys, message.chat.id)
        tidy.remember(session, chat, message.message_id)
        outbox.queue(session, keys, chat, texts()["non_text"])
    caption = message.caption or ""
    if caption and chat.coordinator_id is None and detect(caption).crisis:
        await relay_turn(ctx, chat, "/help_now", update_id, payload=True)


async def on_callback(ctx: Context, query: CallbackQuery, update_id: str) -> None:
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    with transaction(ctx.factory) as session:
        keys = Keyring(session)
        chat = chats.find(session, keys, chat_id)
        offered = chats.offered_payload(session, keys, chat, query.data) if chat else None
    if offered is None:
        await _best_effort(query.answer(texts()["stale_button"]))
        return
    button, payload = offered
    await _best_effort(query.answer())
    if query.message is not None:
        await _best_effort(ctx.bot.edit_message_reply_markup(chat_id, query.message.message_id,
                                                             reply_markup=None))
    if payload in (tidy.TIDY, tidy.KEEP):
        await tidy_choice(ctx, chat, chat_id, button, payload == tidy.TIDY)
        return
    await relay_turn(ctx, chat, payload, update_id, payload=True, spend=button)


async def tidy_choice(ctx: Context, chat: TelegramChat, chat_id: int, button, delete: bool) -> None:
    with transaction(ctx.factory) as session:
        keys = Keyring(session)
        current = session.get(TelegramChat, chat.id)
        chats.use_offer(session, button)
        if delete:
            try:
                await tidy.delete_recent(ctx.bot, session, current, chat_id)
            except TelegramError:
                raise RetryLater() from None  # rolled back: the choice is still open
        outbox.queue(session, keys, current, texts()["tidy_done" if delete else "tidy_kept"])


async def relay_turn(ctx: Context, chat: TelegramChat, message: str, update_id: str, *,
                     payload: bool = False, spend=None) -> None:
    """One turn with Rasa; its answer (and the spent buttons) are stored together."""
    await _best_effort(ctx.bot.send_chat_action(_chat_id(ctx, chat), ChatAction.TYPING))
    with transaction(ctx.factory) as session:
        version_before = tidy.approved_version(session, chat.conversation_id)
    try:
        replies = await relay(ctx.http, ctx.webhook_url, chat.conversation_id, message,
                              f"tg-{update_id}", payload=payload)
    except TooLong:
        with transaction(ctx.factory) as session:
            outbox.queue(session, Keyring(session), session.merge(chat), texts()["too_long"])
        return
    except RasaUnavailable:
        with transaction(ctx.factory) as session:
            current = session.get(TelegramChat, chat.id)
            if not current.trouble_told:
                outbox.queue(session, Keyring(session), current, texts()["trouble"])
                current.trouble_told = True
        ctx.sender.wake.set()
        raise RetryLater() from None
    with transaction(ctx.factory) as session:
        keys = Keyring(session)
        current = session.get(TelegramChat, chat.id)
        current.trouble_told = False
        if spend is not None:
            chats.use_offer(session, spend)
        for reply in replies:
            buttons = [b for b in reply.get("buttons") or [] if isinstance(b, dict)]
            offered = chats.offer_buttons(session, keys, current, update_id, buttons) if buttons else None
            text = reply.get("text") or ""
            if text or offered:
                outbox.queue(session, keys, current, text, offered)
        # Approval may be a tap or typed ("skicka det"): what counts is that this turn
        # stored a new approved version.
        if tidy.approved_version(session, current.conversation_id) > version_before:
            tidy.offer(session, keys, current, update_id, texts())


async def coordinator_text(ctx: Context, session, keys: Keyring, chat: TelegramChat,
                           command: str | None) -> None:
    """Coordinators talk to the service, not to Rasa: /moten lists their meetings."""
    from bot.services import meetings
    from bot.swedish_dates import long_form

    if command == "moten":
        rows = meetings.list_for(session, chat.coordinator_id)
        lines = [texts()["coordinator_meeting"].format(
            when=long_form(m.starts_at), status=meetings.preparation_status(session, m.id))
            for m in rows if m.status == "planned"]
        outbox.queue(session, keys, chat, "\n".join(lines) or texts()["coordinator_no_meetings"])
    else:
        outbox.queue(session, keys, chat, texts()["coordinator_help"])


def _chat_id(ctx: Context, chat: TelegramChat) -> int:
    with ctx.factory() as session:
        return chats.chat_id_of(Keyring(session), chat)


async def _best_effort(call) -> None:
    """Typing indicators, callback answers and keyboard removal: nice to have, never retried."""
    try:
        await call
    except TelegramError as error:
        log.info("best-effort call failed (%s)", type(error).__name__)
