"""Webhook mode: our own small HTTP endpoint instead of python-telegram-bot's.

PTB's built-in webhook answers 200 before handlers run, so an update could be lost in a
crash. Here every call must carry the secret token given to setWebhook, and the update
is stored (sealed) before the 200 that acknowledges it; if it cannot be stored the
answer is 503 and Telegram delivers it again.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot

from bot.channels.telegram.updates import ALLOWED, store_updates

log = logging.getLogger("sipkompis.telegram.webhook")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Webhook:
    def __init__(self, bot: Bot, factory, wake: asyncio.Event, url: str, listen: str, port: int) -> None:
        self.bot, self.factory, self.wake = bot, factory, wake
        self.url, self.listen, self.port = url, listen, port
        # A new secret every start: only the Telegram that was just told it can post.
        self.secret = secrets.token_urlsafe(32)
        self.path = urlsplit(url).path or "/"

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook call without the right secret token refused")
            return web.Response(status=403)
        try:
            data = await request.json()
        except ValueError:
            return web.Response(status=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400)
        try:
            store_updates(self.factory, [data])
        except SQLAlchemyError:
            log.error("cannot store an update; asking Telegram to send it again")
            return web.Response(status=503)
        self.wake.set()
        return web.Response(status=200)

    async def start(self) -> None:
        """Listen first, then tell Telegram: no update is posted to a closed port."""
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.path, self.receive)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, self.listen, self.port).start()
        await self.bot.set_webhook(self.url, allowed_updates=ALLOWED, secret_token=self.secret)
        log.info("telegram webhook listening on %s:%s", self.listen, self.port)

    async def run(self) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            await self.runner.cleanup()
