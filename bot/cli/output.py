"""Printing results: one JSON object with `--json`, short readable lines otherwise."""
from __future__ import annotations

import json
import sys
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
