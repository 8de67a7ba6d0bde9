"""A local Bot API server for tests: real HTTP on 127.0.0.1, the methods SIP-kompis uses.

The real python-telegram-bot talks to it through TELEGRAM_API_BASE. Tests inject updates
(messages, button taps, stickers), read what the bot sent, and make the next call of a
method fail with 429 (retry_after) or 500.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field

from aiohttp import web

TOKEN = "123456:TEST-token-never-logged-AbCdEf"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "SIP-kompis", "username": "sipkompis_test_bot"}


@dataclass
class Sent:
    method: str
    chat_id: int | None
    params: dict
    message_id: int | None = None
    document: bytes | None = None
    filename: str | None = None

    @property
    def text(self) -> str:
        return self.params.get("text") or self.params.get("caption") or ""

    @property
    def buttons(self) -> list[dict]:
        markup = self.params.get("reply_markup")
        if not markup:
            return []
        markup = json.loads(markup) if isinstance(markup, str) else markup
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class FakeTelegram:
    token: str = TOKEN
    sent: list[Sent] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    acknowledged: int = 0  # the highest offset the bot has sent
    webhook: dict | None = None  # {"url", "secret"} once the bot called setWebhook

    def __post_init__(self) -> None:
        self._updates: list[dict] = []
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._failures: dict[str, list[tuple[int, int | None]]] = {}
        self._stalls: dict[str, list[tuple[float, bool]]] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._started = threading.Event()
        self.port = 0

    # --- test side ------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> "FakeTelegram":
        threading.Thread(target=self._serve, daemon=True).start()
        self._started.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)

    def fail_next(self, method: str, status: int, retry_after: int | None = None) -> None:
        with self._lock:
            self._failures.setdefault(method, []).append((status, retry_after))

    def stall_next(self, method: str, seconds: float, delivered: bool) -> None:
        """The next `method` call answers only after `seconds`, longer than the bot waits.
        With `delivered` Telegram did send it before the line went quiet (the bot cannot
        know); without, it never arrived."""
        with self._lock:
            self._stalls.setdefault(method, []).append((seconds, delivered))

    def pending_failures(self) -> int:
        with self._lock:
            return sum(len(v) for v in self._failures.values()) + sum(len(v) for v in self._stalls.values())

    def _push(self, body: dict) -> int:
        with self._lock:
            update_id = next(self._ids)
            self._updates.append({"update_id": update_id, **body})
            webhook = self.webhook
        if webhook:
            asyncio.run_coroutine_threadsafe(self._deliver(update_id), self._loop)
        else:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update_id

    def post_to_webhook(self, body: dict, secret: str | None) -> int:
        """One raw call to the bot's webhook, as anyone on the internet could make it."""
        import httpx

        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return httpx.post(self.webhook["url"], json=body, headers=headers, timeout=30).status_code

    async def _deliver(self, update_id: int) -> None:
        """Like Telegram: post each update until the webhook answers 200, in order."""
        import aiohttp

        async with aiohttp.ClientSession() as client:
            while True:
                with self._lock:
                    pending = [u for u in self._updates if u["update_id"] <= update_id]
                if not pending:
                    return
                update = pending[0]
                try:
                    async with client.post(self.webhook["url"], json=update, headers={
                            "X-Telegram-Bot-Api-Secret-Token": self.webhook["secret"]}) as response:
                        ok = response.status == 200
                except aiohttp.ClientError:
                    ok = False
                if ok:
                    with self._lock:
                        self._updates = [u for u in self._updates if u is not update]
                else:
                    await asyncio.sleep(0.5)

    def _message(self, chat_id: int, **content) -> dict:
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Test"}, **content}

    def send_text(self, chat_id: int, text: str) -> int:
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self._push({"message": self._message(chat_id, text=text,
                                                    **({"entities": entities} if entities else {}))})

    def send_sticker(self, chat_id: int) -> int:
        sticker = {"file_id": "stk1", "file_unique_id": "u1", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "type": "regular", "emoji": "😀"}
        return self._push({"message": self._message(chat_id, sticker=sticker)})

    def send_photo(self, chat_id: int, caption: str | None = None) -> int:
        photo = [{"file_id": "ph1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return self._push({"message": self._message(chat_id, photo=photo,
                                                    **({"caption": caption} if caption else {}))})

    def edit_text(self, chat_id: int, message_id: int, text: str) -> int:
        message = self._message(chat_id, text=text, edit_date=int(time.time()))
        message["message_id"] = message_id
        return self._push({"edited_message": message})

    def tap(self, chat_id: int, callback_data: str, message_id: int | None = None) -> int:
        message = self._message(chat_id, text="…")
        if message_id is not None:
            message["message_id"] = message_id
        message["from"] = BOT_USER
        return self._push({"callback_query": {
            "id": str(next(self._ids) * 7919), "chat_instance": "ci",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            "message": message, "data": callback_data}})

    def sent_to(self, chat_id: int, method: str | None = None) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.chat_id == chat_id and (method is None or s.method == method)]

    def wait_for(self, predicate, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        raise AssertionError("the bot did not do what was expected in time")

    def messages_after(self, chat_id: int, count: int, timeout: float = 180) -> list[Sent]:
        """Wait until the chat has more than `count` messages and things have settled."""
        self.wait_for(lambda: len(self.sent_to(chat_id, "sendMessage")) > count, timeout)
        settled = len(self.sent_to(chat_id, "sendMessage"))
        while True:  # replies of one turn arrive as several messages in a row
            time.sleep(1.5)
            now = len(self.sent_to(chat_id, "sendMessage"))
            if now == settled:
                return self.sent_to(chat_id, "sendMessage")[count:]
            settled = now

    # --- server side ----------------------------------------------------------------

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._new_update = asyncio.Event()
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._started.set()
        self._loop.run_forever()

    async def _params(self, request: web.Request) -> tuple[dict, bytes | None, str | None]:
        params, document, filename = {}, None, None
        if request.content_type == "application/json":
            params = await request.json()
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    document, filename = value.file.read(), value.filename
                else:
                    params[key] = value
        if isinstance(params.get("document"), str) and params["document"].startswith("attach://"):
            params.pop("document")
        return params, document, filename

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"},
                                     status=401)
        method = request.match_info["method"]
        params, document, filename = await self._params(request)
        with self._lock:
            self.calls.append(method)
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
            stalls = self._stalls.get(method) if failure is None else None
            stall = stalls.pop(0) if stalls else None
        if stall is not None:
            seconds, delivered = stall
            result = await getattr(self, "_" + method, self._unknown)(params, document, filename) if delivered else None
            await asyncio.sleep(seconds)
            if delivered:
                return web.json_response({"ok": True, "result": result})
            return web.json_response({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502)
        if failure is not None:
            status, retry_after = failure
            body = {"ok": False, "error_code": status, "description": "injected failure"}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return web.json_response(body, status=status)
        result = await getattr(self, "_" + method, self._unknown)(params, document, filename)
        return web.json_response({"ok": True, "result": result})

    async def _unknown(self, params, *_):
        return True

    async def _getMe(self, *_):
        return BOT_USER

    async def _getUpdates(self, params, *_):
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if offset:
                    self.acknowledged = max(self.acknowledged, offset)
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = list(self._updates)
            if pending or time.monotonic() >= deadline:
                return pending
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=max(0.01, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                pass

    def _record(self, method: str, params: dict, document=None, filename=None) -> dict:
        chat_id = int(params["chat_id"]) if "chat_id" in params else None
        message_id = next(self._message_ids)
        with self._lock:
            self.sent.append(Sent(method, chat_id, params, message_id, document, filename))
        return {"message_id": message_id, "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Test"}, "from": BOT_USER,
                **({"text": params["text"]} if "text" in params else {})}

    async def _sendMessage(self, params, *_):
        return self._record("sendMessage", params)

    async def _sendDocument(self, params, document, filename):
        message = self._record("sendDocument", params, document, filename)
        message["document"] = {"file_id": "doc1", "file_unique_id": "d1", "file_name": filename}
        return message

    async def _editMessageReplyMarkup(self, params, *_):
        return self._record("editMessageReplyMarkup", params)

    async def _answerCallbackQuery(self, params, *_):
        with self._lock:
            self.sent.append(Sent("answerCallbackQuery", None, params))
        return True

    async def _sendChatAction(self, params, *_):
        with self._lock:
            self.sent.append(Sent("sendChatAction", int(params["chat_id"]), params))
        return True

    async def _setWebhook(self, params, *_):
        with self._lock:
            self.webhook = {"url": params["url"], "secret": params.get("secret_token")}
        return True

    async def _deleteWebhook(self, params, *_):
        with self._lock:
            self.webhook = None
        return True

    async def _deleteMessages(self, params, *_):
        with self._lock:
            self.sent.append(Sent("deleteMessages", int(params["chat_id"]), params))
        return True

    async def _deleteMessage(self, params, *_):
        with self._lock:
            self.sent.append(Sent("deleteMessage", int(params["chat_id"]), params))
        return True

    async def _setMyCommands(self, params, *_):
        with self._lock:
            self.sent.append(Sent("setMyCommands", None, params))
        return True
