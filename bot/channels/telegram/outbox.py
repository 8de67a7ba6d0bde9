"""Everything the bot says goes through the outbox: queued in the same transaction as the
work that caused it, sent in order per chat, retried with backoff on network errors and
5xx, held back for `retry_after` on 429. A sent row keeps no words (its payload is
emptied), so the outbox does not become a second copy of the conversation. A sealed
statement file goes out at most once, also across crashes (see Sender).
"""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from telegram import Bot, InputFile
from telegram.error import (BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter,
                            TelegramError)

from bot.channels.telegram.keyboard import inline_keyboard, split_text
from bot.channels.telegram import chats, tidy
from bot.channels.telegram.texts import texts
from bot.store.db import transaction
from bot.store.keyring import Keyring, KeyUnavailable
from bot.store.models import Delivery, OutboxMessage, new_id, utcnow
from bot.store.telegram_models import TelegramChat

log = logging.getLogger("sipkompis.telegram.outbox")
CHANNELS = ("telegram", "coordinator")
NO_CHAT_RECHECK = timedelta(minutes=10)
MAX_BACKOFF = 300
LANES_PER_PASS, ROWS_PER_LANE = 500, 10
CLAIMED = "claimed"  # in a statement row's sealed payload: about to be sent


def queue(session: Session, keys: Keyring, chat: TelegramChat, text: str,
          buttons: list[dict] | None = None, kind: str = "message") -> None:
    """Queue `text` for the chat, split to Telegram's limit; buttons go on the last piece.

    Each piece is its own row (so a retry never re-sends a piece that already went out), and
    rows get strictly increasing creation times, which is the order they are sent in.
    """
    channel, recipient = (("coordinator", chat.coordinator_id) if chat.coordinator_id
                          else ("telegram", chat.conversation_id))
    pieces = split_text(text) or ([""] if buttons else [])
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        row = OutboxMessage(id=new_id(), channel=channel, recipient=recipient, key_id=chat.key_id,
                            kind=kind, payload_enc=b"", created_at=_next_tick(), due_at=utcnow())
        body = {"text": piece or "…", "buttons": buttons if last and buttons else None}
        row.payload_enc = keys.seal(chat.key_id, "outbox", "payload_enc", row.id, json.dumps(body))
        session.add(row)


_last_tick: list[datetime] = [datetime.min]


def _next_tick() -> datetime:
    now = utcnow()
    if now <= _last_tick[0]:
        now = _last_tick[0] + timedelta(microseconds=1)
    _last_tick[0] = now
    return now


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_BACKOFF, 2 ** min(attempts, 9)))


def _seconds(retry_after) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def _is_statement(row: OutboxMessage) -> bool:
    return row.channel == "coordinator" and row.kind == "statement"


def _reseal(keys: Keyring, row: OutboxMessage, payload: dict) -> None:
    row.payload_enc = keys.seal(row.key_id, "outbox", "payload_enc", row.id, json.dumps(payload))


def _unclaim(keys: Keyring, row: OutboxMessage, payload: dict) -> None:
    """Telegram refused the file, so it did not go out: the next try sends it again."""
    if payload.get(CLAIMED) and not payload.get("in_doubt"):
        _reseal(keys, row, {k: v for k, v in payload.items() if k != CLAIMED})


class Sender:
    """Sends due rows. Messages are at least once: a crash between Telegram's answer and
    marking the row sent repeats that row (the Bot API has no idempotency key). A sealed
    statement is at most once: its row is claimed in a committed transaction before the
    file is sent, and a claim found after a restart brings a pointer to the inbox, where
    the statement always is, instead of the file a second time."""

    def __init__(self, bot: Bot, factory) -> None:
        self.bot, self.factory = bot, factory
        self.wake = asyncio.Event()
        self.claimed: set[str] = set()  # statement rows this process claimed

    async def run(self) -> None:
        while True:
            try:
                await self.send_due()
            except TelegramError as error:  # never a reason to stop the channel
                log.warning("outbox pass failed (%s)", type(error).__name__)
            except Exception as error:  # noqa: BLE001 (e.g. the database is down: try again)
                log.error("outbox pass failed (%s)", type(error).__name__)
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                pass
            self.wake.clear()

    def _due(self) -> list[str]:
        """Unsent rows, a few per chat, taken in turns: a chat with a long backlog (a
        flood, or Telegram asking it to wait) never pushes another chat's rows, such as
        crisis help, out of the pass."""
        unsent = (OutboxMessage.channel.in_(CHANNELS), OutboxMessage.sent_at.is_(None))
        with self.factory() as session:
            lanes = session.execute(
                select(OutboxMessage.channel, OutboxMessage.recipient,
                       func.min(OutboxMessage.created_at).label("first"))
                .where(*unsent).group_by(OutboxMessage.channel, OutboxMessage.recipient)
                .order_by("first").limit(LANES_PER_PASS)).all()
            per_lane = [list(session.scalars(
                select(OutboxMessage.id).where(*unsent, OutboxMessage.channel == channel,
                                               OutboxMessage.recipient == recipient)
                .order_by(OutboxMessage.created_at).limit(ROWS_PER_LANE)))
                for channel, recipient, _first in lanes]
        return [ids[i] for i in range(ROWS_PER_LANE) for ids in per_lane if i < len(ids)]

    async def send_due(self) -> None:
        blocked: set[tuple[str, str]] = set()
        for row_id in self._due():
            if await self._send_row(row_id, blocked) == CLAIMED:
                await self._send_row(row_id, blocked)  # the claim is committed: now send

    async def _send_row(self, row_id: str, blocked: set[tuple[str, str]]) -> str | None:
        """Send one row in its own transaction. A statement row is first only claimed
        (returns CLAIMED, committed on return) and sent on the next call."""
        with transaction(self.factory) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.sent_at is not None:
                return None
            lane = (row.channel, row.recipient)
            if lane in blocked:
                return None
            if row.due_at > utcnow():
                blocked.add(lane)  # keeps the chat's order: nothing overtakes a waiting row
                return None
            keys = Keyring(session)
            chat = chats.chat_for_recipient(session, row.channel, row.recipient)
            if chat is None:
                # A coordinator without a linked chat: they see it in `meeting list`.
                row.due_at = utcnow() + NO_CHAT_RECHECK
                blocked.add(lane)
                return None
            try:
                payload = json.loads(keys.open("outbox", "payload_enc", row.id, row.payload_enc))
                chat_id = chats.chat_id_of(keys, chat)
            except KeyUnavailable:
                row.sent_at = utcnow()  # erased: there is nothing left to send
                return None
            if _is_statement(row) and not payload.get(CLAIMED):
                _reseal(keys, row, {**payload, CLAIMED: True})
                self.claimed.add(row.id)
                return CLAIMED
            if payload.get(CLAIMED) and row.id not in self.claimed:
                # Claimed by a run that did not live to mark it sent: the file may have gone
                # out. Never twice: tell the coordinator where the statement always is.
                payload = {**payload, "in_doubt": True}
            try:
                await self._send(session, keys, row, chat, chat_id, payload)
            except RetryAfter as error:
                _unclaim(keys, row, payload)  # Telegram answered: nothing went out
                row.attempts += 1
                row.due_at = utcnow() + timedelta(seconds=_seconds(error.retry_after))
                blocked.add(lane)
                log.warning("telegram asked to wait %.0f s", _seconds(error.retry_after))
                return None
            except (BadRequest, Forbidden) as error:
                # Retrying cannot help (blocked bot, deleted chat): give up on this one row.
                row.attempts += 1
                row.sent_at, row.payload_enc = utcnow(), b""
                log.warning("outbox row dropped by telegram (%s)", type(error).__name__)
                return None
            except InvalidToken:
                raise
            except TelegramError as error:
                if not isinstance(error, NetworkError):  # Telegram answered: nothing went out
                    _unclaim(keys, row, payload)
                row.attempts += 1
                row.due_at = utcnow() + _backoff(row.attempts)
                blocked.add(lane)
                log.warning("send failed, will retry (%s)", type(error).__name__)
                return None
            row.sent_at, row.payload_enc = utcnow(), b""
            self.claimed.discard(row.id)
            return None

    async def _send(self, session: Session, keys: Keyring, row: OutboxMessage, chat: TelegramChat,
                    chat_id: int, payload: dict) -> None:
        text = payload.get("text") or "…"
        if payload.get("in_doubt"):
            await self.bot.send_message(chat_id, f"{text}\n{texts()['statement_in_doubt']}")
            return
        if _is_statement(row) and payload.get("meeting_id"):
            envelope = _newest_envelope(session, keys, payload["meeting_id"], row.recipient)
            if envelope is not None:
                name, data = envelope
                caption = f"{text}\n{texts()['document_caption']}"
                await self.bot.send_document(chat_id, document=InputFile(data, filename=name),
                                             caption=caption[:1024])
                return
        buttons = payload.get("buttons")
        if buttons and any("cb" not in b for b in buttons):
            # A notice the service queued ({"title", "payload"}, e.g. a reminder's "Öppna"):
            # offered to this chat now, so only a tap on what it was shown is accepted. Other
            # offers stay valid: a reminder must not spend the buttons of a form in progress.
            buttons = chats.offer_buttons(session, keys, chat, f"notice:{row.id}", buttons,
                                          stale_others=False)
        pieces = split_text(text) or ["…"]
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            sent = await self.bot.send_message(
                chat_id, piece, reply_markup=inline_keyboard(buttons) if last else None)
            tidy.remember(session, chat, sent.message_id)


def _newest_envelope(session: Session, keys: Keyring, meeting_id: str, coordinator_id: str
                     ) -> tuple[str, bytes] | None:
    """The sealed statement for the coordinator; only `inbox --file` with their key opens it."""
    from bot.store.models import Statement

    row = session.execute(
        select(Delivery, Statement.version).join(Statement, Statement.id == Delivery.statement_id)
        .where(Delivery.meeting_id == meeting_id, Delivery.recipient_type == "coordinator",
               Delivery.recipient_id == coordinator_id)
        .order_by(Statement.version.desc())).first()
    if row is None:
        return None
    delivery, version = row
    try:
        data = keys.open_bytes("deliveries", "envelope_enc", delivery.id, delivery.envelope_enc)
    except KeyUnavailable:
        return None
    return f"forberedelse-{meeting_id[:8]}-v{version}.sipkompis", data
