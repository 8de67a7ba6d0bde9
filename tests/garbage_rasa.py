"""A broken Rasa for the bad-input tests: real HTTP on 127.0.0.1 that answers the REST
webhook with garbage (a 500, HTML instead of JSON, or JSON of the wrong shape) while its
status page says all is well. A real Rasa cannot be made to do this on purpose; the
channels must survive it all the same."""
from __future__ import annotations

import asyncio
import threading

from aiohttp import web


class GarbageRasa:
    def __init__(self, mode: str = "500") -> None:
        self.mode = mode
        self.posts = 0
        self.port = 0
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> "GarbageRasa":
        threading.Thread(target=self._serve, daemon=True).start()
        self._started.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get("/webhooks/rest/status", self._status)
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._started.set()
        self._loop.run_forever()

    async def _status(self, _request):
        return web.json_response({"tracker_store": "EncryptedTrackerStore", "model_loaded": True})

    async def _webhook(self, _request):
        self.posts += 1
        if self.mode == "500":
            return web.json_response({"error": "boom"}, status=500)
        if self.mode == "html":
            return web.Response(text="<html>Bad gateway</html>", content_type="text/html")
        return web.json_response({"text": "not a list"})  # "shape"
