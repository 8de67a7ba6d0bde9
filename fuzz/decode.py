"""Bytes from the fuzzer to the str a handler receives.

The first byte picks how the rest is read, so one corpus reaches ASCII, any UTF-8, lone
surrogates (a broken JSON escape, pasted binary) and astral characters alike.
"""
from __future__ import annotations


def text_of(data: bytes) -> str:
    if not data:
        return ""
    mode, rest = data[0] % 3, data[1:]
    if mode == 0:
        return rest.decode("utf-8", "replace")
    if mode == 1:
        # UTF-16 with surrogatepass gives lone surrogates, which UTF-8 cannot carry.
        return rest[: len(rest) // 2 * 2].decode("utf-16-le", "surrogatepass")
    return rest.decode("latin-1")


def utf8_text(data: bytes) -> str:
    """For handlers whose callers only ever pass decoded UTF-8 (HTTP forms, files)."""
    return data.decode("utf-8", "replace")
