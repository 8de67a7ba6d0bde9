"""The channel processes `serve` starts: the web chat, the coordinator desk and the
scheduler beside Rasa, and Telegram (when a token is set) once Rasa answers.

Each channel package exposes `process(settings) -> ChannelProcess | None` (None when it
is not configured), so the supervisor knows how to start it and when it is ready without
knowing anything else about it. A channel package that does not exist yet is skipped.
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Callable

from bot.config import Settings

# The scheduler (follow-ups, retention) is not a channel, but it is started, supervised and
# stopped the same way.
CHANNEL_PACKAGES = ("bot.channels.web", "bot.channels.telegram", "bot.desk", "bot.stack.scheduler")


@dataclass(frozen=True)
class ChannelProcess:
    name: str  # also the log file name under var/logs
    command: list[str]
    ready: Callable[[], bool]  # polled until true (exceptions count as not yet)
    ports: dict[str, int] = field(default_factory=dict)  # env name -> port it binds
    describe: str = ""  # one line printed before `ready`, e.g. the web chat address
    # Started only once Rasa answers: a channel with messages already waiting for it (the
    # Telegram updates that came while the bot was down) would relay them to a Rasa still
    # loading and tell each child it is having trouble.
    after_rasa: bool = False


def channel_processes(settings: Settings) -> list[ChannelProcess]:
    found = []
    for package in CHANNEL_PACKAGES:
        if importlib.util.find_spec(package) is None:
            continue
        module = importlib.import_module(package)
        process = module.process(settings)
        if process is not None:
            found.append(process)
    return found
