"""Durable intake: every update is stored (sealed, unique by update_id) before the offset
that acknowledges it is sent, and processed exactly once, in order, also across restarts.

python-telegram-bot's Updater acknowledges an update as soon as it is queued in memory,
so a crash would lose it; this module calls getUpdates itself instead.
"""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram import tidy
from bot.channels.telegram.handlers import Context, RetryLater, handle
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.models import InboxUpdate, new_id, utcnow

log = logging.getLogger("sipkompis.telegram.updates")
CHANNEL = "telegram"
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
                InboxUpdate.channel == CHANNEL, InboxUpdate.external_id == external))
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
        ids = session.scalars(select(InboxUpdate.external_id).where(InboxUpdate.channel == CHANNEL)
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


class Processor:
    """Handles stored updates one at a time, oldest first, marking each done once."""

    def __init__(self, ctx: Context, wake: asyncio.Event) -> None:
        self.ctx, self.wake = ctx, wake

    def _next(self) -> tuple[str, str, dict] | None:
        with self.ctx.factory() as session:
            row = session.scalars(select(InboxUpdate).where(
                InboxUpdate.channel == CHANNEL, InboxUpdate.processed_at.is_(None))
                .order_by(InboxUpdate.received_at)).first()
            if row is None:
                return None
            data = json.loads(Keyring(session).open("inbox", "payload_enc", row.id, row.payload_enc))
            return row.id, row.external_id, data

    def _done(self, row_id: str) -> None:
        with transaction(self.ctx.factory) as session:
            row = session.get(InboxUpdate, row_id)
            # The update quoted the child's words: once handled, nothing of it is kept.
            row.processed_at, row.payload_enc = utcnow(), b""
            Keyring(session).destroy(row.key_id)

    async def run(self) -> None:
        delay = 1.0
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
                found = self._next()
            except OperationalError:
                await asyncio.sleep(2)
                continue
            if found is None:
                try:
                    await asyncio.wait_for(self.wake.wait(), timeout=1.0)
                except asyncio.TimeoutError:
                    pass
                self.wake.clear()
                continue
            row_id, update_id, data = found
            try:
                await handle(self.ctx, Update.de_json(data, self.ctx.bot), update_id)
            except RetryLater:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)
                continue
            except OperationalError:
                log.error("database unavailable while handling an update; will retry")
                await asyncio.sleep(2)
                continue
            except Exception as error:  # noqa: BLE001
                # A bug must not block every chat behind one update forever.
                log.error("update %s could not be handled (%s); skipped", update_id,
                          type(error).__name__)
            delay = 1.0
            self._done(row_id)
            self.ctx.sender.wake.set()
