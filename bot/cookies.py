"""Reading one cookie from the Cookie header, whatever else the header holds.

Sanic 21.12's `request.cookies` raises CookieError on the first malformed cookie (one set
by another app on the same domain, say `?x=1`), and every route would then answer 500 to
that browser: the child could not reach the chat, nor the coordinator the desk, until
they cleared their cookies. Only our own cookie matters here, so the rest is skipped.
"""
from __future__ import annotations

from sanic.request import Request


def cookie_value(request: Request, name: str) -> str | None:
    for part in (request.headers.get("cookie") or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key.strip() == name:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            return value or None
    return None
