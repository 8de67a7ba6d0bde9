"""PINs: six digits that are not the first a guesser tries, stretched with scrypt.

Online, a PIN is protected by the lockouts in logins.py and guesses.py; offline, by the
cost of scrypt per guess. Six digits give a million values; runs like 123456, repeats like
111111 or 121212 and a few other favourites are refused when a PIN is chosen, since they
are what anyone holding the invite letter would try first. PINs chosen before six digits
were asked for (four or five) still open their login.
"""
from __future__ import annotations

import os
import re

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

LENGTH = 6
# \Z, not $: "$" also matches before a trailing newline.
_STORED = re.compile(r"^[0-9]{4,6}\Z")
_NEW = re.compile(rf"^[0-9]{{{LENGTH}}}\Z")
# Well-known favourites that the rules below do not already refuse.
_FAVOURITES = {"112233", "123321", "159753", "147258", "789456", "102030", "654123",
               "121314", "131415", "202020", "112211", "100200"}
_SALT = 16
_N, _R, _P, _KEY = 2 ** 15, 8, 1, 32  # about 32 MB and 0.1 s per try


def well_formed(pin: str) -> bool:
    """A PIN that could open a login (also one chosen when four digits were enough)."""
    return bool(_STORED.fullmatch(pin))


def _run(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    return steps in ({1}, {9})  # 123456, 901234, 654321


def _repeats(pin: str) -> bool:
    return any(pin == (pin[:period] * LENGTH)[:LENGTH] for period in (1, 2, 3))


def new_pin_problem(pin: str) -> str | None:
    """Why `pin` cannot be chosen ("length" or "easy"), or None if it can."""
    if not _NEW.fullmatch(pin):
        return "length"
    if _run(pin) or _repeats(pin) or pin in _FAVOURITES:
        return "easy"
    return None


def _kdf(salt: bytes) -> Scrypt:
    return Scrypt(salt=salt, length=_KEY, n=_N, r=_R, p=_P)


def hash_pin(pin: str) -> bytes:
    salt = os.urandom(_SALT)
    return salt + _kdf(salt).derive(pin.encode("ascii"))


def check_pin(pin: str, stored: bytes) -> bool:
    if not well_formed(pin) or len(stored) != _SALT + _KEY:
        # Still spend the time, so a malformed PIN is not faster to reject.
        _kdf(os.urandom(_SALT)).derive(b"000000")
        return False
    try:
        _kdf(stored[:_SALT]).verify(pin.encode("ascii"), stored[_SALT:])
    except InvalidKey:
        return False
    return True
