"""The coordinator's desk: a web app of its own, on its own port and host name, where a
coordinator runs meetings and reads what children sent.

The child's words reach this server only sealed to the coordinator's key; the page hands
the envelopes and the passphrase-wrapped key file to the coordinator's browser, which
opens them (static/desk.js, built from frontend/). `serve` starts it through `process()`
like a channel (see bot/stack/channels.py).
"""
from __future__ import annotations

import sys
import urllib.request

from bot.config import Settings


def process(settings: Settings):
    from bot.stack.channels import ChannelProcess

    def ready() -> bool:
        url = f"http://127.0.0.1:{settings.coordinator_port}/health"
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200

    return ChannelProcess(
        name="desk", command=[sys.executable, "-m", "bot.desk"], ready=ready,
        ports={"COORDINATOR_PORT": settings.coordinator_port},
        describe=(f"coordinator desk: {settings.desk_base_url}/ "
                  f"(listening on 127.0.0.1:{settings.coordinator_port})"))
