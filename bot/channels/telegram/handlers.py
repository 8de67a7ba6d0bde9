"""What the bot does with one stored update: a handful of small handlers, each relaying to
Rasa through bot.channels.relay and queueing the answer in the outbox.

python-telegram-bot's Application.process_update swallows handler errors into its error
handlers; here an error must keep the update in the inbox to be retried (Rasa down), so
the dispatch is this module's own. A handler raises RetryLater to leave the update
unprocessed; anything it queued or changed is rolled back with it. The crisis help is the
exception: `help_at_once` queues it in its own transaction before anything else happens,
so no retry, rollback or hung Rasa can hold it back.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx
from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.channels import crisis
from bot.channels.relay import RasaUnavailable, Refused, TooLong, relay
from bot.channels.telegram import chats, outbox, tidy
from bot.channels.typed_text import as_typed_text, normalise
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


class CannotRelay(Exception):
    """The REST channel refused this turn itself; sending it again cannot help."""


@dataclass
class Context:
    bot: Bot
    factory: object  # sessionmaker
    http: httpx.AsyncClient
    webhook_url: str
    sender: outbox.Sender
    # Update ids whose crisis help is already queued: retries relay them with
    # {"help_shown": true} and never queue the numbers twice.
    helped: set = field(default_factory=set)


async def help_at_once(ctx: Context, chat_id: int, update_id: str, words: str | None) -> bool:
    """If `words` are a crisis, queue the help for this chat now (once per update) and wake
    the sender. True when the help is (or already was) on its way. Never raises."""
    command = _command(words)[0] if words else None
    category = crisis.GENERAL if command == "hjalp_nu" else crisis.category_of(words)
    if category is None:
        return False
    if update_id in ctx.helped:
        return True
    try:
        with transaction(ctx.factory) as session:
            keys = Keyring(session)
            chat, _new = chats.find_or_create(session, keys, chat_id)
            # A coordinator's chat belongs to an adult at work; everyone else as the store knows them.
            reader = "adult" if chat.coordinator_id else crisis.audience(session, chat.conversation_id)
            for text in crisis.messages(category, reader):
                outbox.queue(session, keys, chat, text)
    except Exception as error:  # noqa: BLE001 - the store failed: send straight to the chat
        log.error("crisis help could not be queued (%s); sending it directly", type(error).__name__)
        try:
            for text in crisis.messages(category, "unknown"):
                await ctx.bot.send_message(chat_id, text)
        except Exception as direct:  # noqa: BLE001
            log.error("crisis help could not be sent (%s); will try again", type(direct).__name__)
            return False
    ctx.helped.add(update_id)
    ctx.sender.wake.set()
    return True


async def help_for_tap(ctx: Context, query: dict, update_id: str) -> bool:
    """A tap on an offered "Hjälp nu" button gets the help at once, like /hjalp_nu."""
    message, sender = query.get("message"), query.get("from")
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = (chat.get("id") if isinstance(chat, dict) else None) or \
        (sender.get("id") if isinstance(sender, dict) else None)
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return False  # an update of an odd shape: its turn handles (and sets aside) it
    try:
        with ctx.factory() as session:
            keys = Keyring(session)
            chat = chats.find(session, keys, int(chat_id))
            offered = chats.offered_payload(session, keys, chat, query.get("data")) if chat else None
    except Exception:  # noqa: BLE001 - the tap is handled in its turn all the same
        return False
    if offered is None or offered[1] != COMMAND_PAYLOADS["hjalp_nu"]:
        return False
    return await help_at_once(ctx, int(chat_id), update_id, "/hjalp_nu")


def tell_set_aside(ctx: Context, chat_id: int) -> None:
    """Once, kindly: this message could not be answered, it is kept, and what to do now."""
    with transaction(ctx.factory) as session:
        keys = Keyring(session)
        chat, _new = chats.find_or_create(session, keys, chat_id)
        outbox.queue(session, keys, chat, texts()["set_aside"])


async def handle(ctx: Context, update: Update, update_id: str) -> None:
    if update.callback_query is not None:
        await on_callback(ctx, update.callback_query, update_id)
        return
    message = update.message or update.edited_message
    if message is None or message.chat.type != "private":
        return  # the bot is for one person at a time; groups are ignored
    words = message.text if message.text is not None else message.caption
    # The processor did this when it first saw the update; here again in case it could not.
    helped = await help_at_once(ctx, message.chat.id, update_id, words)
    if update.edited_message is not None:
        # An edit would change an answer already given without the dialogue knowing; only
        # a crisis in it goes on to Rasa, after the help.
        await on_non_text(ctx, message, update_id, words, helped)
    elif message.text is not None:
        await on_text(ctx, message, update_id, helped)
    else:
        await on_non_text(ctx, message, update_id, words, helped)


def _command(text: str) -> tuple[str | None, str]:
    """("start", "CODE") for "/start CODE" or "/start@botname CODE"; (None, text) otherwise."""
    stripped = normalise(text).strip()
    if not stripped.startswith("/"):
        return None, text
    head, _, rest = stripped[1:].partition(" ")
    name = head.partition("@")[0].casefold()
    return (name, rest.strip()) if name.replace("_", "").isalnum() else (None, text)


async def on_text(ctx: Context, message: Message, update_id: str, helped: bool = False) -> None:
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
    metadata = crisis.HELP_SHOWN if helped else None
    if command is None and not as_typed_text(message.text).strip():
        # Only invisible characters, controls or slashes: nothing to relay.
        with transaction(ctx.factory) as session:
            outbox.queue(session, Keyring(session), session.merge(chat), texts()["empty"])
        return
    if command == "start":
        if linked:  # the same deep link again simply continues where the chat was
            with transaction(ctx.factory) as session:
                keys = Keyring(session)
                outbox.queue(session, keys, session.merge(chat), texts()["already_linked"])
            return
        await relay_turn(ctx, chat, rest or "hej", update_id, metadata=metadata)
    elif command in COMMAND_PAYLOADS:
        await relay_turn(ctx, chat, COMMAND_PAYLOADS[command], update_id, payload=True,
                         metadata=metadata if command == "hjalp_nu" else None)
    else:
        await relay_turn(ctx, chat, message.text, update_id, metadata=metadata)


async def on_non_text(ctx: Context, message: Message, update_id: str, words: str | None = None,
                      helped: bool = False) -> None:
    """A kind line and nothing stored. A caption or an edit that is a crisis has had its
    help already; it goes on to Rasa (which then asks whether the child is safe) instead."""
    with transaction(ctx.factory) as session:
        keys = Keyring(session)
        chat, _new = chats.find_or_create(session, keys, message.chat.id)
        tidy.remember(session, chat, message.message_id)
        if not helped:
            outbox.queue(session, keys, chat, texts()["non_text"])
    if helped and chat.coordinator_id is None:
        await relay_turn(ctx, chat, words or "", update_id, metadata=crisis.HELP_SHOWN)


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
    metadata = crisis.HELP_SHOWN if update_id in ctx.helped else None
    await relay_turn(ctx, chat, payload, update_id, payload=True, spend=button, metadata=metadata)


async def tidy_choice(ctx: Context, chat: TelegramChat, chat_id: int, button, delete: bool) -> None:
    # Telegram is called before anything is written: other chats' turns run meanwhile, and
    # a write transaction held open across a network call would lock them out of SQLite.
    if delete:
        try:
            await tidy.delete_recent(ctx.bot, ctx.factory, chat, chat_id)
        except TelegramError:
            raise RetryLater() from None  # nothing written: the choice is still open
    with transaction(ctx.factory) as session:
        keys = Keyring(session)
        current = session.get(TelegramChat, chat.id)
        chats.use_offer(session, button)
        if delete:
            tidy.forget_chat(session, current)
        outbox.queue(session, keys, current, texts()["tidy_done" if delete else "tidy_kept"])


async def relay_turn(ctx: Context, chat: TelegramChat, message: str, update_id: str, *,
                     payload: bool = False, spend=None, metadata: dict | None = None) -> None:
    """One turn with Rasa; its answer (and the spent buttons) are stored together."""
    await _best_effort(ctx.bot.send_chat_action(_chat_id(ctx, chat), ChatAction.TYPING))
    with transaction(ctx.factory) as session:
        version_before = tidy.approved_version(session, chat.conversation_id)
    try:
        replies = await relay(ctx.http, ctx.webhook_url, chat.conversation_id, message,
                              f"tg-{update_id}", payload=payload, metadata=metadata)
    except Refused:
        raise CannotRelay() from None
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
    from bot.services import meetings, overview
    from bot.swedish_dates import long_form

    if command == "moten":
        rows = meetings.list_for(session, chat.coordinator_id)
        lines = [texts()["coordinator_meeting"].format(
            when=long_form(m.starts_at),
            status=overview.preparation_words(meetings.preparation_status(session, m.id)))
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
