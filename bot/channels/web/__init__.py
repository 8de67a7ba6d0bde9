"""The web chat: the self-hosted channel for every age (issue 7).

A thin transport like every channel: server-rendered pages that work without JavaScript,
relaying text and offered button payloads to Rasa's REST webhook. `serve` starts it as its
own process through `process()` (see bot/stack/channels.py).
"""
from __future__ import annotations

import sys
import urllib.request

from bot.config import Settings


def process(settings: Settings):
    from bot.stack.channels import ChannelProcess

    def ready() -> bool:
        url = f"http://127.0.0.1:{settings.web_port}/health"
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200

    return ChannelProcess(
        name="web", command=[sys.executable, "-m", "bot.channels.web"], ready=ready,
        ports={"WEB_PORT": settings.web_port},
        describe=f"web chat: {settings.web_base_url}/ (listening on 127.0.0.1:{settings.web_port})")
