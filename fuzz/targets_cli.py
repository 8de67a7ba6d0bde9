"""The command line: any argv through the real parser, the value parsers behind it, and
`inbox --file` on any file."""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from datetime import datetime
from pathlib import Path

from bot.cli import admin
from bot.cli.main import build_parser
from bot.cli.output import CliError
from bot.crypto.keyfile import read_key_file
from bot.services import followups, meetings
from fuzz.contract import only_raises, require
from fuzz.decode import text_of, utf8_text
from fuzz.world import PASSPHRASE, world

_PARSER = None


def _fixed_message(parse) -> str:
    try:
        parse("")
    except ValueError as error:
        return str(error)
    raise AssertionError("an empty value was accepted")


def check_cli_args(argv: list[str]) -> None:
    """argparse ends in a Namespace or its own usage error (SystemExit), nothing else;
    then each value parser raises only the error its command turns into one line."""
    global _PARSER
    _PARSER = _PARSER or build_parser()
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            with only_raises(SystemExit):
                _PARSER.parse_args(argv)
        except SystemExit:
            pass
    for value in argv[:4]:
        try:
            with only_raises(CliError):
                when = admin._parse_when(value)
            require(isinstance(when, datetime), "--at parsed to something else")
        except CliError:
            pass
        for parse in (meetings.parse_participant, followups.parse_point):
            try:
                with only_raises(ValueError):
                    parse(value)
            except ValueError as error:
                # A name or what was decided about a child: never repeated on stderr, so
                # the message is the same whatever the value was.
                require(str(error) == _fixed_message(parse), "the error repeats the value")


def fuzz_cli_args(data: bytes) -> None:
    check_cli_args(text_of(data).split("\x00")[:12])


_OPENED: dict = {}  # world root -> (private key, header, file to write, the real statement)


def _opener(w) -> tuple:
    """Unlocking the key file costs Argon2id: once per world, not per input."""
    if w.root not in _OPENED:
        private, header = read_key_file(w.key_file, PASSPHRASE)
        handle, name = tempfile.mkstemp(prefix="fuzz-sealed-", dir=w.root)
        os.close(handle)
        path = Path(name)
        path.write_bytes(w.envelope)
        _OPENED.clear()
        _OPENED[w.root] = (private, header, path, admin._open_file(path, private, header))
    return _OPENED[w.root]


_FILE_ERRORS = ("tampered or corrupt", "not for this key", "not signed by this service")


def check_sealed_file(content: bytes) -> None:
    """`inbox --file`: a statement only from a valid envelope; any other file is one
    CliError that says which check failed and quotes nothing of the file."""
    private, header, path, expected = _opener(world())
    path.write_bytes(content)
    try:
        with only_raises(CliError):
            found = admin._open_file(path, private, header)
    except CliError as error:
        require(any(str(error) == f"the file failed verification ({e}); nothing was shown"
                    for e in _FILE_ERRORS), "inbox --file said something unexpected")
        return
    # Only the real statement opens (its header may be re-spaced: it is authenticated
    # by value, not by bytes).
    require(found == expected, "a statement came out of a broken file")


def fuzz_sealed_file(data: bytes) -> None:
    w = world()
    # Mostly mutate around the real envelope: random bytes alone seldom pass the JSON check.
    if data[:1] == b"\x00" and len(data) > 3:
        at = int.from_bytes(data[1:3], "little") % len(w.envelope)
        content = w.envelope[:at] + data[3:] + w.envelope[at + len(data[3:]):]
    else:
        content = data
    check_sealed_file(content)


def seed_sealed_file() -> list[bytes]:
    envelope = world().envelope
    return [envelope, b"\x00\x10\x00" + b"A", utf8_text(envelope).replace("1", "2").encode()]
