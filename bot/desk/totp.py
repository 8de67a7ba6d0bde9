"""The desk's second factor: time-based one-time codes (RFC 6238) in an authenticator app.

Thin on purpose: pyotp computes the codes and segno draws the QR code the app scans.
What is ours is the policy: a code is accepted one step (30 s) early or late, for
clocks that drift, and never twice (the caller keeps the last accepted step).
"""
from __future__ import annotations

import hmac
import io
from datetime import datetime, timezone
from typing import TextIO

import pyotp
import segno

ISSUER = "SIP-kompis"
DIGITS = 6
INTERVAL = 30
QR_TITLE = "QR-kod för appen med engångskoder (SIP-kompis skrivbordet)"


def new_secret() -> str:
    """A new base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account_name: str) -> str:
    """The otpauth:// URI the app reads from the QR code (or that is typed in by hand)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=account_name, issuer_name=ISSUER)


def _qr(uri: str) -> segno.QRCode:
    return segno.make(uri, error="m", micro=False)


def qr_svg(uri: str) -> str:
    """An inline <svg> for an HTML page: no XML declaration, a <title> for screen readers.

    Dark on an opaque white square, so it scans on a page in dark mode too.
    """
    return _qr(uri).svg_inline(scale=4, dark="#000", light="#fff", title=QR_TITLE,
                               svgclass="totp-qr")


def print_terminal_qr(uri: str, out: TextIO) -> None:
    """Draw the QR code in the terminal so the app can scan it off the screen.

    A real terminal gets explicit ANSI colours, which scan on light and dark themes
    alike; a file or pipe gets plain block characters instead of escape codes.
    """
    qr = _qr(uri)
    isatty = getattr(out, "isatty", None)
    qr.terminal(out=out, compact=not (isatty and isatty()))


def _step(now: datetime) -> int:
    if now.tzinfo is None:  # the store's times are naive UTC
        now = now.replace(tzinfo=timezone.utc)
    return int(now.timestamp()) // INTERVAL


def verify(secret: str, code: str, last_step: int | None, now: datetime) -> int | None:
    """The time step `code` belongs to, or None when it is wrong or already used.

    Spaces are ignored (apps show "123 456"); anything else but six digits is wrong.
    A step not after `last_step` is a replay, even within its 90 seconds of validity.
    """
    if not isinstance(code, str):
        return None
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    current = _step(now)
    matched = None
    # Every candidate is compared, so the time taken does not tell which step matched.
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is None or step > last_step:
                matched = step if matched is None else max(matched, step)
    return matched


def qr_svg_document(uri: str) -> str:
    """The QR code as a stand-alone .svg file (XML declaration and namespace included, so
    a browser or image viewer opens it)."""
    buffer = io.BytesIO()
    _qr(uri).save(buffer, kind="svg", scale=8, dark="#000", light="#fff", title=QR_TITLE,
                  xmldecl=True, svgns=True, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
