"""Typed text must never act as a button payload.

Rasa reads a message that starts with `/` as `/intent{"slot": ...}`, which would let a
typed message choose an intent and set slots. Channels send button payloads only for
buttons they offered, and strip every leading `/` (and whitespace, so `/\\n/` does not
survive) from anything typed.
"""
from __future__ import annotations

import re

_PREFIX = re.compile(r"^[\s/\u200b-\u200f\ufeff]+")


def as_typed_text(text: str) -> str:
    return _PREFIX.sub("", text)


def resolve_choice(text: str, buttons: list[dict]) -> str:
    """A button number, title or offered payload becomes that payload; else typed text."""
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(buttons):
        return buttons[int(stripped) - 1]["payload"]
    for button in buttons:
        if stripped.casefold() in (button["title"].casefold(), button["payload"].casefold()):
            return button["payload"]
    return as_typed_text(text)
