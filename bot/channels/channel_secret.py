"""The secret our own processes show each other: the channels to Rasa's REST input, and
Rasa to the action server.

Both listen on 127.0.0.1, but any local account can reach that: without a secret a second
user on the machine could post as any conversation (sender ids are not secret to the
process list and the logs of a shared host), or hand the action server a forged tracker
that saves statement items for someone else's meeting. The secret is derived from the
master key with HKDF, so it lives where the keys live, needs no file of its own, and
changes with the key; a process that cannot read the master key cannot speak for a child.
"""
from __future__ import annotations

import hmac
import os
import time
from pathlib import Path
from typing import Mapping

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HEADER = "X-Sipkompis-Channel"
_INFO = b"sipkompis internal channel secret v1"


class SecretUnavailable(Exception):
    """The master key cannot be read, so this process cannot authenticate its calls."""


def derive(master_key: bytes) -> str:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(master_key).hex()


# Re-read now and then: after `keys rotate` a process started later derives from the new
# key, and the others must accept it (and keep accepting the old one until `keys retire`).
_REREAD_SECONDS = 60.0
_cache: dict[tuple, tuple[float, list[str]]] = {}


def _secrets_for(master_key_env: str | None, key_file: str) -> list[str]:
    """Every acceptable secret, the current one first; never creates a key file."""
    from bot.crypto.masterkey import MasterKeyError, load_master_keys

    key = (master_key_env, key_file)
    cached = _cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < _REREAD_SECONDS:
        return cached[1]
    if not master_key_env and not Path(key_file).exists():
        raise SecretUnavailable(f"no master key at {key_file}")
    try:
        found = [derive(k) for k in load_master_keys(master_key_env, Path(key_file))]
    except MasterKeyError as error:
        raise SecretUnavailable(str(error)) from None
    _cache[key] = (time.monotonic(), found)
    return found


def _where(env: Mapping[str, str] | None) -> tuple[str | None, str]:
    from bot.config import VAR_DIR

    env = os.environ if env is None else env
    var_dir = Path(env.get("SIPKOMPIS_VAR_DIR", VAR_DIR))
    key_file = env.get("SIPKOMPIS_MASTER_KEY_FILE") or str(var_dir / "master.key")
    return env.get("SIPKOMPIS_MASTER_KEY") or None, str(key_file)


def secret(env: Mapping[str, str] | None = None) -> str:
    """This installation's current secret, from the master key named by `env` (default: ours)."""
    return _secrets_for(*_where(env))[0]


def headers(env: Mapping[str, str] | None = None) -> dict[str, str]:
    return {HEADER: secret(env)}


def is_ours(presented: str | None, env: Mapping[str, str] | None = None) -> bool:
    """Whether a request carries our secret; constant-time, and never raises."""
    if not presented:
        return False
    try:
        accepted = _secrets_for(*_where(env))
    except SecretUnavailable:
        return False
    given = presented.encode("utf-8", "replace")
    return any([hmac.compare_digest(given, s.encode()) for s in accepted])
