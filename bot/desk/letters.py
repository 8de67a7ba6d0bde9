"""The printable invitation letter: the code, where to go, a QR code, in easy Swedish.

The code is in the letter and, for Telegram, in its deep link (that is how Telegram hands a
start parameter over); the web chat's address never carries it, so the child types it.
"""
from __future__ import annotations

from dataclasses import dataclass

import segno

from bot.config import Settings
from bot.services import invites


@dataclass(frozen=True)
class Letter:
    code: str
    role: str
    web_link: str
    telegram_link: str | None
    qr_svg: str  # inline <svg>: the Telegram link if there is one, else the web address


def letter(settings: Settings, code: str, role: str) -> Letter:
    web = f"{settings.web_base_url}/"
    telegram = settings.telegram_start_link(code)
    qr = segno.make(telegram or web, error="m")
    svg = qr.svg_inline(scale=4, title="QR-kod till chatten", omitsize=False)
    return Letter(invites.display(code), role, web, telegram, svg)
