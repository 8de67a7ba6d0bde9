"""A REST input channel with Rasa's path and shapes that fails loudly and logs no text.

Rasa's own `RestInput` answers 200 with whatever it collected after catching any
exception, and logs the message text while doing so: a lost message looks delivered and
the child's words reach the logs. Here a failure is a 5xx the caller can retry, and a
repeated `message_id` from the same sender is answered once, from the first reply, also
after a restart (the stored conversation remembers which message ids it has seen).
"""
from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import channel_secret
from bot.channels.typed_text import normalise
from bot.rasa_plugins.followup_state import with_followup_state

logger = logging.getLogger(__name__)

MAX_TEXT = 10_000
_SENDER = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


def clean_text(text: str) -> str:
    """The channels' own normalisation, and nothing more: had this step removed a
    character the channels' typed-command guard had left in place, a typed
    "\u2060/approve_summary" would become a command only after the guard had looked."""
    return normalise(text).strip()


class _Replies:
    """Answers already given, by (sender, message id), so a retried request is not re-run.

    The answers may quote the child's words (a summary), so they are kept only for
    `ttl` seconds (a later retry is answered from the stored tracker instead), and a
    cached answer is never given again once its conversation was erased or its history
    dropped after it was cached: the store is asked, only on a hit (a retry, rare).
    """

    def __init__(self, size: int = 5000, ttl: float = 900.0) -> None:
        import time

        self.clock = time.time
        self.size, self.ttl = size, ttl
        self.done: "OrderedDict[tuple, list]" = OrderedDict()
        self.at: Dict[tuple, float] = {}
        self.locks: Dict[tuple, asyncio.Lock] = {}

    def lock(self, key: tuple) -> asyncio.Lock:
        self._expire()
        if key in self.done and self._dropped_since_cached(key):
            self._forget(key)
        return self.locks.setdefault(key, asyncio.Lock())

    def remember(self, key: tuple, messages: list) -> None:
        self.done[key] = messages
        self.done.move_to_end(key)
        self.at[key] = self.clock()
        self._expire()
        while len(self.done) > self.size:
            old, _ = self.done.popitem(last=False)
            self.at.pop(old, None)
            self.locks.pop(old, None)

    def forget_sender(self, sender: str) -> None:
        for key in [k for k in self.done if k[0] == sender]:
            self._forget(key)

    def _forget(self, key: tuple) -> None:
        self.done.pop(key, None)
        self.at.pop(key, None)

    def _expire(self) -> None:
        limit = self.clock() - self.ttl
        while self.done:
            oldest = next(iter(self.done))
            if self.at.get(oldest, 0.0) >= limit:
                break
            self._forget(oldest)
            self.locks.pop(oldest, None)

    def _dropped_since_cached(self, key: tuple) -> bool:
        from datetime import timezone

        from bot.store.db import open_store
        from bot.store.models import Conversation

        cached = self.at.get(key, 0.0)
        try:
            with open_store()() as session:
                conversation = session.get(Conversation, key[0])
        except Exception:  # noqa: BLE001 - cannot tell: answering afresh is the safe side
            return True
        if conversation is None:
            return True
        marks = [m for m in (conversation.erased_at, conversation.history_reset_at) if m]
        return any(m.replace(tzinfo=timezone.utc).timestamp() >= cached for m in marks)


class SafeRestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self) -> None:
        self.replies = _Replies()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SafeRestInput":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("sipkompis_rest", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/status", methods=["GET"])
        async def status(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            store = getattr(agent, "tracker_store", None)
            return response.json({
                "tracker_store": type(store).__name__ if store else None,
                "model_loaded": bool(agent and agent.is_ready()),
            })

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not channel_secret.is_ours(request.headers.get(channel_secret.HEADER)):
                # Loopback is reachable by every local account: only our channels may speak
                # for a conversation.
                return response.json({"error": f"missing or wrong {channel_secret.HEADER} header "
                                      "(bot/channels/channel_secret.py)"}, status=403)
            try:
                body = request.json
            except Exception:
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "expected a JSON object"}, status=400)
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not _SENDER.match(sender):
                return response.json({"error": "sender must be 1-64 letters, digits, - or _"}, status=400)
            if not isinstance(text, str):
                return response.json({"error": "message must be a string"}, status=400)
            if len(text) > MAX_TEXT:
                return response.json({"error": f"message longer than {MAX_TEXT} characters"}, status=413)
            message_id = body.get("message_id")
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            key = (sender, str(message_id)) if message_id is not None else None
            if key is None:
                return await self._handle(on_new_message, sender, clean_text(text), metadata, None)
            async with self.replies.lock(key):
                if key in self.replies.done:
                    return response.json(self.replies.done[key])
                earlier = await self._answered_before(request, sender, key[1])
                if earlier is not None:
                    self.replies.remember(key, earlier)
                    return response.json(earlier)
                return await self._handle(on_new_message, sender, clean_text(text), metadata, key)

        return hook

    @staticmethod
    async def _answered_before(request: Request, sender: str, message_id: str) -> Optional[list]:
        """The replies to `message_id` if the stored conversation already holds it.

        The in-memory answers above are lost when Rasa restarts; a channel that crashed after
        Rasa handled a message but before it noted that would send it again, and the child's
        answer would be taken as the answer to the next question too. The tracker is durable.
        """
        from rasa.shared.core.events import BotUttered, UserUttered

        agent = getattr(request.app.ctx, "agent", None)
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return None
        tracker = await store.retrieve(sender)
        if tracker is None:
            return None
        replies: Optional[list] = None
        for event in tracker.events:
            if isinstance(event, UserUttered):
                if replies is not None:
                    break
                if event.message_id == message_id:
                    replies = []
            elif replies is not None and isinstance(event, BotUttered):
                message: dict = {"recipient_id": sender}
                if event.text:
                    message["text"] = event.text
                for name in ("buttons", "image", "attachment", "custom"):
                    if (event.data or {}).get(name):
                        message[name] = event.data[name]
                replies.append(message)
        return replies

    async def _handle(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str,
                      text: str, metadata: Optional[dict], key: Optional[tuple]) -> HTTPResponse:
        collector = CollectingOutputChannel()
        try:
            metadata = await with_followup_state(sender, metadata)
            await on_new_message(UserMessage(text, collector, sender, input_channel="rest",
                                             metadata=metadata, message_id=key[1] if key else None))
        except Exception as error:  # noqa: BLE001 - any failure must reach the caller
            # Only the type: exception messages from the store or Rasa may quote the text.
            logger.error("message processing failed: %s", type(error).__name__)
            return response.json({"error": "the assistant could not process the message"}, status=503)
        if key is not None:
            self.replies.remember(key, collector.messages)
        return response.json(collector.messages)
