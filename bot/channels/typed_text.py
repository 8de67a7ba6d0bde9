"""Typed text must never act as a button payload.

Rasa reads a message that starts with `/` as `/intent{"slot": ...}`, which would let a
typed message choose an intent and set slots (and skip the crisis component). Channels
send button payloads only for buttons they offered; anything typed goes through
`as_typed_text`.

There is one normalisation, `normalise`, used by every channel AND by our REST input
channel. That matters: if the REST channel removed a character the guard had left in
place, "\\u2060/approve_summary{...}" would lose its invisible first character only
after the guard had looked, and reach Rasa as a command. With one idempotent function
applied in both places, what the guard checked is exactly what Rasa reads.
"""
from __future__ import annotations

import unicodedata

# Tab and newline carry meaning in a long message; every other control character and
# every format character (zero-width spaces and joiners, bidi marks, BOM, tags...) is
# invisible and carries nothing a child meant. A lone surrogate (pasted binary, broken
# JSON escapes) cannot even be stored as UTF-8, so it goes too.
_KEPT_CONTROLS = frozenset("\n\t")
_DROPPED = frozenset(("Cf", "Cc", "Cs"))


def _visible(text: str) -> str:
    return "".join(ch for ch in text if ch in _KEPT_CONTROLS
                   or unicodedata.category(ch) not in _DROPPED)


def normalise(text: str) -> str:
    """NFKC (fullwidth and compatibility forms become their plain letters, so a fullwidth
    "／" is a plain "/" here, never later), without format or control characters.

    Idempotent: normalise(normalise(x)) == normalise(x). Removing a character can bring two
    others together that NFKC then composes, so the two steps run until nothing changes
    (in practice at most twice).
    """
    for _ in range(4):
        cleaned = _visible(unicodedata.normalize("NFKC", _visible(text)))
        if cleaned == text:
            break
        text = cleaned
    return text


def strip_command_prefix(text: str) -> str:
    """Drop every leading `/` and whitespace (as str.isspace sees it, like Rasa's own
    strip()), so neither "/\\n/affirm" nor "\\u3000/affirm" survives as a command."""
    start = 0
    while start < len(text) and (text[start] == "/" or text[start].isspace()):
        start += 1
    return text[start:]


def as_typed_text(text: str) -> str:
    """What a channel sends to Rasa for anything a person typed."""
    return strip_command_prefix(normalise(text))


def resolve_choice(text: str, buttons: list[dict]) -> str:
    """A button number, title or offered payload becomes that payload; else typed text."""
    stripped = normalise(text).strip()
    # isdecimal, not isdigit: "𐩀" is a digit that int() refuses; and a short number only,
    # since int() refuses more than 4,300 digits.
    if stripped.isdecimal() and len(stripped) <= 4 and 1 <= int(stripped) <= len(buttons):
        return buttons[int(stripped) - 1]["payload"]
    for button in buttons:
        if stripped.casefold() in (button["title"].casefold(), button["payload"].casefold()):
            return button["payload"]
    return as_typed_text(text)
