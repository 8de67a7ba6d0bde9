"""PIN hashing: a short PIN is guessable offline, so it is stretched with scrypt.

A 4-6 digit PIN has at most a million values; what protects it online is the lock after
five wrong tries (bot/channels/web/logins.py), and offline the cost of scrypt per guess.
"""
from __future__ import annotations

import os
import re

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

_PIN = re.compile(r"^[0-9]{4,6}$")
_SALT = 16
_N, _R, _P, _LENGTH = 2 ** 15, 8, 1, 32  # about 32 MB and 0.1 s per try


def valid_pin(pin: str) -> bool:
    return bool(_PIN.match(pin))


def _kdf(salt: bytes) -> Scrypt:
    return Scrypt(salt=salt, length=_LENGTH, n=_N, r=_R, p=_P)


def hash_pin(pin: str) -> bytes:
    salt = os.urandom(_SALT)
    return salt + _kdf(salt).derive(pin.encode("ascii"))


def check_pin(pin: str, stored: bytes) -> bool:
    if not valid_pin(pin) or len(stored) != _SALT + _LENGTH:
        # Still spend the time, so a malformed PIN is not faster to reject.
        _kdf(os.urandom(_SALT)).derive(b"000000")
        return False
    try:
        _kdf(stored[:_SALT]).verify(pin.encode("ascii"), stored[_SALT:])
    except InvalidKey:
        return False
    return True
