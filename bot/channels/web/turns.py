"""Turns with Rasa for the web chat, one conversation at a time, many side by side.

A conversation's turns go to Rasa in order (one lock per conversation); different
conversations never wait for each other: the relay is async, so the server keeps answering
other requests while one waits.

A turn whose help was shown by the chat itself (a crisis message, "Hjälp nu") runs in the
background: the page comes back at once with the help, and the message is relayed (with
{"help_shown": true}) as soon as Rasa answers, retried with backoff while it does not,
because the message is already in the transcript and the child must not have to send it
again. Its answer is added to the transcript for the next page load.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

import httpx

from bot.channels.relay import RasaUnavailable, Refused, TooLong, relay

log = logging.getLogger("bot.channels.web.turns")
# A background turn keeps trying for about an hour (then says so, kindly, in the chat).
BACKGROUND_ATTEMPTS = 130
MAX_BACKOFF = 30.0


class Turns:
    def __init__(self) -> None:
        self.locks: dict[str, asyncio.Lock] = {}
        self.background: dict[str, int] = {}  # conversation id -> turns still on their way
        self.last: dict[str, asyncio.Task] = {}  # each conversation's newest background turn
        self.tasks: set[asyncio.Task] = set()

    def lock(self, conversation_id: str) -> asyncio.Lock:
        return self.locks.setdefault(conversation_id, asyncio.Lock())

    def waiting(self, conversation_id: str) -> bool:
        """True while a background turn of this conversation has not been answered."""
        return self.background.get(conversation_id, 0) > 0

    def start(self, http: httpx.AsyncClient, webhook_url: str, conversation_id: str, message: str,
              message_id: str, *, payload: bool, metadata: dict | None,
              answered: Callable[[list[dict]], None], failed: Callable[[str], None]) -> asyncio.Task:
        """Relay in the background until answered. `answered(replies)` stores the answer;
        `failed(text_key)` tells the child when it could not be relayed at all."""
        self.background[conversation_id] = self.background.get(conversation_id, 0) + 1
        before = self.last.get(conversation_id)

        async def run() -> None:
            try:
                if before is not None and not before.done():
                    # In order: a conversation's background turns reach Rasa one after another.
                    await asyncio.wait([before])
                await self._until_answered(http, webhook_url, conversation_id, message, message_id,
                                           payload, metadata, answered, failed)
            finally:
                left = self.background.get(conversation_id, 1) - 1
                if left > 0:
                    self.background[conversation_id] = left
                else:
                    self.background.pop(conversation_id, None)
                    self.last.pop(conversation_id, None)

        task = asyncio.get_running_loop().create_task(run())
        self.last[conversation_id] = task
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _until_answered(self, http, webhook_url, conversation_id, message, message_id,
                              payload, metadata, answered, failed) -> None:
        for attempt in range(BACKGROUND_ATTEMPTS):
            try:
                async with self.lock(conversation_id):
                    replies = await relay(http, webhook_url, conversation_id, message, message_id,
                                          payload=payload, metadata=metadata)
            except RasaUnavailable:
                await asyncio.sleep(min(MAX_BACKOFF, 2.0 ** attempt))
                continue
            except TooLong:
                await _call(failed, "too_long")
                return
            except Refused:
                await _call(failed, "trouble_later")
                return
            await _call(answered, replies)
            return
        # Content-free for the operator: only that one turn could not be relayed.
        log.error("a web chat turn could not be relayed after %d attempts", BACKGROUND_ATTEMPTS)
        await _call(failed, "trouble_later")

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()


async def _call(callback: Callable[..., object], *args) -> None:
    try:
        result = callback(*args)
        if isinstance(result, Awaitable):
            await result
    except Exception as error:  # noqa: BLE001 - e.g. the store is down; logged without content
        log.error("storing a web chat answer failed (%s)", type(error).__name__)
