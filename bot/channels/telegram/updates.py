"""Durable intake: every update is stored (sealed, unique by update_id) before the offset
that acknowledges it is sent, and processed exactly once, also across restarts.

python-telegram-bot's Updater acknowledges an update as soon as it is queued in memory,
so a crash would lose it; this module calls getUpdates itself instead.

Processing is per chat: the updates of one chat are handled in order, different chats
independently and concurrently (at most MAX_CONCURRENT turns at once), so one chat whose
turn is slow or keeps failing never holds up another. Every new update is read by the
crisis detector the moment it is seen, before it waits for its chat's earlier turns or
for Rasa: the help goes out at once, whatever Rasa is doing.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram import tidy
from bot.channels.telegram.handlers import (CannotRelay, Context, RetryLater, handle,
                                            help_at_once, help_for_tap)
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.models import InboxUpdate, new_id, utcnow

log = logging.getLogger("sipkompis.telegram.updates")
CHANNEL = "telegram"
# A turn set aside after failing again and again: still sealed in the inbox (nothing is
# lost), no longer in its chat's way. Kept as a channel value so no schema change is needed.
HELD = "telegram-held"
MAX_CONCURRENT = 8
# Attempts before a failing turn is set aside; only while Rasa answers other requests,
# because when Rasa itself is down every turn fails and each must simply wait.
MAX_ATTEMPTS = 5
MAX_BACKOFF = 30.0
POLL_TIMEOUT = 25
ALLOWED = ["message", "edited_message", "callback_query"]


def store_updates(factory, updates: list[dict]) -> int:
    """Seal and store new updates; ones already stored are skipped. Returns how many were new."""
    stored = 0
    with transaction(factory) as session:
        keys = Keyring(session)
        base = utcnow()
        for index, data in enumerate(updates):
            external = str(data["update_id"])
            exists = session.scalar(select(InboxUpdate.id).where(
                InboxUpdate.channel.in_((CHANNEL, HELD)), InboxUpdate.external_id == external))
            if exists:
                continue
            # A key of its own, destroyed once the update is handled (crypto-shredding).
            key_id = keys.create_key()
            row = InboxUpdate(id=new_id(), channel=CHANNEL, external_id=external, key_id=key_id,
                              payload_enc=b"", received_at=base + timedelta(microseconds=index))
            row.payload_enc = keys.seal(key_id, "inbox", "payload_enc", row.id, json.dumps(data))
            session.add(row)
            stored += 1
    return stored


def next_offset(factory) -> int | None:
    """One past the newest stored update, so a restart does not fetch stored ones again."""
    with factory() as session:
        ids = session.scalars(select(InboxUpdate.external_id)
                              .where(InboxUpdate.channel.in_((CHANNEL, HELD)))
                              .order_by(InboxUpdate.received_at.desc()).limit(500)).all()
    return max(int(i) for i in ids) + 1 if ids else None


class Poller:
    def __init__(self, bot: Bot, factory, wake: asyncio.Event) -> None:
        self.bot, self.factory, self.wake = bot, factory, wake

    async def run(self) -> None:
        offset = next_offset(self.factory)
        failures = 0
        while True:
            try:
                updates = await self.bot.get_updates(offset=offset, timeout=POLL_TIMEOUT,
                                                     allowed_updates=ALLOWED)
            except RetryAfter as error:
                wait = error.retry_after
                await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
                continue
            except InvalidToken:
                raise
            except TelegramError as error:
                failures += 1
                log.warning("getUpdates failed (%s); trying again", type(error).__name__)
                await asyncio.sleep(min(30, 2 ** min(failures, 5)))
                continue
            failures = 0
            if not updates:
                continue
            data = [u.to_dict() for u in updates]
            while True:
                try:
                    store_updates(self.factory, data)
                    break
                except OperationalError:
                    # Not stored means not acknowledged: keep trying with the same offset.
                    log.error("cannot store updates; database unavailable")
                    await asyncio.sleep(2)
            offset = max(u.update_id for u in updates) + 1
            self.wake.set()


def _dict(value) -> dict:
    """`value` if it is a JSON object, else {}: the webhook stores any object with an
    integer update_id, and one odd field must not stop the processor for every chat."""
    return value if isinstance(value, dict) else {}


def _chat_id(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def chat_key(data: dict) -> str:
    """Which chat an update belongs to, from the stored update itself."""
    for kind in ("message", "edited_message"):
        chat = _dict(_dict(data.get(kind)).get("chat"))
        if "id" in chat:
            return f"chat:{chat['id']}"
    query = _dict(data.get("callback_query"))
    chat = _dict(_dict(query.get("message")).get("chat"))
    if "id" in chat:
        return f"chat:{chat['id']}"
    if "id" in _dict(query.get("from")):
        return f"chat:{query['from']['id']}"
    return f"update:{data.get('update_id')}"  # unknown shape: a lane of its own


def typed_words(data: dict) -> tuple[int | None, str | None]:
    """(chat id, text or caption) of a private message or edit; (None, None) otherwise."""
    for kind in ("message", "edited_message"):
        message = data.get(kind)
        if isinstance(message, dict):
            chat = _dict(message.get("chat"))
            if chat.get("type") != "private" or _chat_id(chat.get("id")) is None:
                return None, None
            words = message.get("text") if message.get("text") is not None else message.get("caption")
            return chat["id"], words if isinstance(words, str) else None
    return None, None


class Processor:
    """Hands each stored update to its chat's lane; a lane handles its chat's updates
    oldest first, one at a time, and ends when its chat has nothing left."""

    def __init__(self, ctx: Context, wake: asyncio.Event) -> None:
        self.ctx, self.wake = ctx, wake
        self.slots = asyncio.Semaphore(MAX_CONCURRENT)
        self.lanes: dict[str, asyncio.Task] = {}
        self.queued: dict[str, deque] = {}
        self.seen: dict[str, str] = {}  # inbox row id -> its chat's lane (rows not yet done)
        self.told_held: set[str] = set()  # chats told that a turn was set aside

    # --- the store ------------------------------------------------------------------

    def _pending(self) -> list[str]:
        """Every unhandled row id, oldest first (ids only: cheap even for a long backlog,
        so a chat that floods never hides another chat's update behind a LIMIT)."""
        with self.ctx.factory() as session:
            return list(session.scalars(select(InboxUpdate.id).where(
                InboxUpdate.channel == CHANNEL, InboxUpdate.processed_at.is_(None))
                .order_by(InboxUpdate.received_at)))

    def _load(self, row_id: str) -> tuple[str, dict] | None:
        with self.ctx.factory() as session:
            row = session.get(InboxUpdate, row_id)
            if row is None or row.processed_at is not None or row.channel != CHANNEL:
                return None
            data = json.loads(Keyring(session).open("inbox", "payload_enc", row.id, row.payload_enc))
            return row.external_id, data

    def _done(self, row_id: str) -> None:
        with transaction(self.ctx.factory) as session:
            row = session.get(InboxUpdate, row_id)
            # The update quoted the child's words: once handled, nothing of it is kept.
            row.processed_at, row.payload_enc = utcnow(), b""
            Keyring(session).destroy(row.key_id)

    def _hold(self, row_id: str) -> None:
        with transaction(self.ctx.factory) as session:
            session.get(InboxUpdate, row_id).channel = HELD

    # --- dispatching ----------------------------------------------------------------

    async def run(self) -> None:
        swept = 0.0
        while True:
            now = asyncio.get_running_loop().time()
            if now - swept > 60:
                swept = now
                try:
                    with transaction(self.ctx.factory) as session:
                        tidy.forget_old(session)
                except OperationalError:
                    pass
            try:
                await self.dispatch()
            except OperationalError:
                log.error("database unavailable while reading the inbox; will retry")
                await asyncio.sleep(2)
                continue
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                pass
            self.wake.clear()

    async def dispatch(self) -> None:
        for row_id in self._pending():
            if row_id in self.seen:
                continue
            try:
                found = self._load(row_id)
            except OperationalError:
                raise
            except Exception as error:  # noqa: BLE001 - e.g. its key is gone: it cannot be read
                log.error("inbox row could not be opened (%s); set aside", type(error).__name__)
                self._hold(row_id)
                continue
            if found is None:
                continue
            update_id, data = found
            key = chat_key(data)
            self.seen[row_id] = key
            chat_id, words = typed_words(data)
            if chat_id is not None:
                # Before the update waits for anything: its chat's earlier turns, or Rasa.
                await help_at_once(self.ctx, chat_id, update_id, words)
            elif isinstance(data.get("callback_query"), dict):
                await help_for_tap(self.ctx, data["callback_query"], update_id)
            self.queued.setdefault(key, deque()).append(row_id)
            if key not in self.lanes:
                self.lanes[key] = asyncio.create_task(self._lane(key))

    async def _lane(self, key: str) -> None:
        try:
            queue = self.queued[key]
            while queue:
                row_id = queue[0]
                try:
                    await self._turn(key, row_id)
                finally:
                    queue.popleft()
                    self.seen.pop(row_id, None)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - the rows stay unhandled and are seen again
            log.error("telegram chat lane stopped (%s); its updates will be picked up again",
                      type(error).__name__)
            for row_id in self.queued.get(key, ()):
                self.seen.pop(row_id, None)
            self.queued.pop(key, None)
        finally:
            self.lanes.pop(key, None)
            if not self.queued.get(key):
                self.queued.pop(key, None)

    async def _turn(self, key: str, row_id: str) -> None:
        """Handle one update until it is done or set aside; never gives up silently."""
        attempts = 0
        while True:
            try:
                found = self._load(row_id)
            except OperationalError:
                await asyncio.sleep(2)
                continue
            if found is None:
                return  # handled elsewhere (another process, an earlier pass)
            update_id, data = found
            reason = None
            async with self.slots:
                try:
                    await handle(self.ctx, Update.de_json(data, self.ctx.bot), update_id)
                except RetryLater:
                    reason = "rasa"
                except OperationalError:
                    reason = "database"
                except CannotRelay:
                    reason = "refused"
                except Exception as error:  # noqa: BLE001 - kept and retried, never dropped
                    reason = type(error).__name__
            if reason == "database":
                # Not this turn's fault, and nothing can be set aside without the store.
                log.error("database unavailable while handling an update; will retry")
                await asyncio.sleep(2)
                continue
            if reason is None:
                self._done(row_id)
                self.ctx.helped.discard(update_id)
                self.told_held.discard(key)
                self.ctx.sender.wake.set()
                return
            attempts += 1
            if reason == "refused" or (attempts >= MAX_ATTEMPTS and (
                    reason != "rasa" or await self._rasa_answers())):
                await self._set_aside(key, row_id, update_id, data, attempts, reason)
                self.ctx.helped.discard(update_id)
                return
            await asyncio.sleep(min(MAX_BACKOFF, 2.0 ** (attempts - 1)))

    async def _rasa_answers(self) -> bool:
        """True when Rasa (every replica) answers its status page: then the failing turn
        is the problem."""
        from bot.channels.relay import status_urls

        for status in status_urls(self.ctx.webhook_url):
            try:
                response = await self.ctx.http.get(status, timeout=5)
                if response.status_code != 200 or not response.json().get("model_loaded"):
                    return False
            except Exception:  # noqa: BLE001 - no answer, no JSON: Rasa is not well
                return False
        return True

    async def _set_aside(self, key: str, row_id: str, update_id: str, data: dict,
                         attempts: int, reason: str) -> None:
        from bot.channels.telegram.handlers import tell_set_aside

        self._hold(row_id)
        # For the operator: which update and why, never a word of it.
        log.error("telegram update %s set aside after %d failed attempts (%s); kept sealed in "
                  "the inbox", update_id, attempts, reason)
        chat_id, _words = typed_words(data)
        if chat_id is None:
            query = _dict(data.get("callback_query"))
            chat_id = _chat_id(_dict(_dict(query.get("message")).get("chat")).get("id")) \
                or _chat_id(_dict(query.get("from")).get("id"))
        if chat_id is not None and key not in self.told_held:
            self.told_held.add(key)
            try:
                tell_set_aside(self.ctx, int(chat_id))
            except Exception as error:  # noqa: BLE001
                log.error("could not tell the chat about a set-aside turn (%s)", type(error).__name__)
        self.ctx.sender.wake.set()
