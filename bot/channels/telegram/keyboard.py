"""Rendering Rasa's replies for Telegram: inline keyboards and the 4,096-character limit."""
from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MAX_TEXT = 4096
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def inline_keyboard(buttons: list[dict] | None) -> InlineKeyboardMarkup | None:
    """One button per row: titles are whole sentences and must stay readable on a phone."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b["title"][:64] or "…", callback_data=b["cb"])]
                                 for b in buttons])


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at sentence ends (or lines) when possible."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit + 1]
        cuts = [m.end() for m in _SENTENCE_END.finditer(window) if 0 < m.start() <= limit]
        cut = cuts[-1] if cuts else (window.rfind(" ") + 1 or limit)
        if cut <= 0 or cut > limit:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return [p for p in pieces if p]
