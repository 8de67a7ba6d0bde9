"""`python -m bot.channels.telegram`: the Telegram bot process that `serve` starts.

Three tasks share one bot: the poller (or, with TELEGRAM_WEBHOOK_URL, the webhook) stores
updates, the processor handles them (each chat in order, chats side by side; see
updates.py), the outbox sender delivers what was queued. Logs carry neither the bot token (httpx
logs request URLs, which contain it, at INFO) nor anything a person wrote.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

import httpx
from telegram import Bot, BotCommand
from telegram.error import InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from bot import quiet_logging
from bot.channels import crisis
from bot.channels.telegram.handlers import Context
from bot.channels.telegram.texts import texts
from bot.channels.telegram.outbox import Sender
from bot.channels.telegram.updates import MAX_CONCURRENT, POLL_TIMEOUT, Poller, Processor
from bot.channels.telegram.webhook import Webhook
from bot.config import load_settings
from bot.store.db import open_store

log = logging.getLogger("sipkompis.telegram")
QUIET = ("httpx", "httpcore", "telegram", "hpack", "asyncio")


def make_bot(token: str, api_base: str) -> Bot:
    return Bot(token, base_url=api_base,
               # Room for every concurrent chat turn (typing, keyboards) plus the sender.
               request=HTTPXRequest(connection_pool_size=MAX_CONCURRENT + 8, read_timeout=15),
               get_updates_request=HTTPXRequest(read_timeout=POLL_TIMEOUT + 15))


async def start_bot(bot: Bot) -> str:
    """getMe until it answers (a wrong token stops the process), then the command menu."""
    delay = 1
    while True:
        try:
            await bot.initialize()
            me = bot.bot
            break
        except InvalidToken:
            raise
        except TelegramError as error:
            log.warning("Telegram did not answer getMe (%s); trying again", type(error).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30)
    commands = texts()["commands"]
    await bot.set_my_commands([BotCommand(name, description) for name, description in commands.items()])
    return me.username or ""


def mark_ready(ready_file: Path, username: str) -> None:
    """Tell `serve` the bot is up; ready files of earlier runs are removed first."""
    ready_file.parent.mkdir(parents=True, exist_ok=True)
    for old in ready_file.parent.glob("telegram-*.ready"):
        if old != ready_file:
            old.unlink(missing_ok=True)
    ready_file.write_text(json.dumps({"pid": os.getpid(), "username": username}), encoding="utf-8")


async def run(ready_file: Path | None) -> int:
    settings = load_settings()
    factory = open_store(settings.db_url)
    bot = make_bot(settings.telegram_token, settings.telegram_api_base)
    try:
        username = await start_bot(bot)
    except InvalidToken:
        print("error: Telegram refused TELEGRAM_BOT_TOKEN; check the token from BotFather",
              file=sys.stderr, flush=True)
        return 2
    crisis.warm_up()
    wake = asyncio.Event()
    if settings.telegram_webhook_url:
        intake = Webhook(bot, factory, wake, settings.telegram_webhook_url,
                         settings.telegram_webhook_listen, settings.telegram_webhook_port)
        await intake.start()
    else:
        await bot.delete_webhook()  # getUpdates does not work while a webhook is set
        intake = Poller(bot, factory, wake)
    log.info("telegram bot started (%s)", "webhook" if settings.telegram_webhook_url else "polling")
    if ready_file is not None:
        mark_ready(ready_file, username)
    async with httpx.AsyncClient() as http:
        sender = Sender(bot, factory)
        ctx = Context(bot=bot, factory=factory, http=http, webhook_url=settings.webhook_urls,
                      sender=sender)
        tasks = [asyncio.create_task(intake.run()),
                 asyncio.create_task(Processor(ctx, wake).run()),
                 asyncio.create_task(sender.run())]
        done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            error = task.exception()
            if error is not None:
                log.error("telegram task stopped (%s)", type(error).__name__)
        return 1


def main() -> int:
    quiet_logging.configure(quiet_loggers=QUIET)
    parser = argparse.ArgumentParser(prog="python -m bot.channels.telegram")
    parser.add_argument("--ready-file", type=Path)
    args = parser.parse_args()
    try:
        return asyncio.run(run(args.ready_file))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
