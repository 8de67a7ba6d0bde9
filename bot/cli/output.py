"""Printing results: one JSON object with `--json`, short readable lines otherwise."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator

from bot.crypto.masterkey import MasterKeyError
from bot.store.db import StoreError, open_store, transaction
from bot.store.keyring import Keyring


class CliError(Exception):
    """A user-facing error: the message is the whole explanation."""


def emit(result: dict[str, Any], as_json: bool, human: str) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(human)
    return 0


def fail(message: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    print(f"error: {message}", file=sys.stderr)
    return 1


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


@contextmanager
def session_and_keys() -> Iterator[tuple[Any, Keyring]]:
    """An open transaction and keyring; store or key problems become CliError."""
    try:
        factory = open_store()
    except StoreError as error:
        raise CliError(str(error)) from None
    try:
        with transaction(factory) as session:
            yield session, Keyring(session)
    except MasterKeyError as error:
        raise CliError(str(error)) from None


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, also when it already existed (then it is
    truncated and its mode tightened before the plaintext goes in)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror}") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
