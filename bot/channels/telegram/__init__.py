"""The Telegram channel: a thin transport between Telegram chats and Rasa.

`serve` calls `process(settings)` to learn how to start it (bot/stack/channels.py). The
process long-polls Telegram, or serves a webhook when TELEGRAM_WEBHOOK_URL is set
(bot/channels/telegram/__main__.py); this module stays light
so that `serve` can ask without importing python-telegram-bot.
"""
from __future__ import annotations

import secrets
import sys

from bot.config import Settings


def process(settings: Settings):
    """How `serve` starts the channel, or None without TELEGRAM_BOT_TOKEN."""
    from bot.stack.channels import ChannelProcess

    if not settings.telegram_token:
        return None
    # A fresh ready file per start, so a file left by an earlier run never counts.
    ready = settings.var_dir / "run" / f"telegram-{secrets.token_hex(6)}.ready"
    username = settings.telegram_username or "(TELEGRAM_BOT_USERNAME not set)"
    webhook = settings.telegram_webhook_url
    return ChannelProcess(
        name="telegram",
        command=[sys.executable, "-m", "bot.channels.telegram", "--ready-file", str(ready)],
        ready=ready.exists,
        ports={"TELEGRAM_WEBHOOK_PORT": settings.telegram_webhook_port} if webhook else {},
        describe=f"telegram: @{username.lstrip('@')} ({'webhook' if webhook else 'polling'})",
        after_rasa=True,
    )
