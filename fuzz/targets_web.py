"""The web chat's cookies, CSRF and nonce fields, and the code and PIN forms.

The parsing runs for real: the routes' own read of the raw Cookie header
(bot/cookies.py), then the session lookup on the world's SQLite store; form fields go through the functions the
routes call, with the same strip() the routes apply. Nothing starts a server.
"""
from __future__ import annotations

import asyncio
import re
import secrets
import types

from bot.channels.web import guesses, logins, nonces, pins, sessions
from bot.channels.web.app import _NONCE
from bot.cookies import cookie_value
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.web_models import WebSession
from fuzz.contract import known, no_echo, only_raises, require
from fuzz.decode import utf8_text
from fuzz.world import world

def session_cookie(header: str) -> str | None:
    """The session cookie as the routes read it, from a request that carries only the header."""
    return cookie_value(types.SimpleNamespace(headers={"cookie": header}), sessions.COOKIE)


def check_session_cookie(header: str, csrf: str) -> None:
    """Any Cookie header and CSRF field: no session unless the cookie is the live one,
    and the CSRF check is a yes or no, never an error."""
    w = world()
    with only_raises():
        token = session_cookie(header)
    with w.factory() as session:
        with only_raises():
            row = sessions.load(session, token)
        if token == w.session_token:
            require(row is not None, "the live session cookie was not recognised")
        else:
            require(row is None, "a cookie that was never issued opened a session")
        live = session.get(WebSession, w.session_hash)
        with only_raises():
            accepted = sessions.csrf_ok(live, csrf)
        require(accepted == (csrf == w.csrf), "csrf_ok accepted a wrong token")
        session.rollback()  # load() moves last_seen; the world stays as it was


def fuzz_session_cookie(data: bytes) -> None:
    text = utf8_text(data)
    header, _, csrf = text.partition("\x00")
    check_session_cookie(header, csrf)


_LOOP = None


def _loop() -> asyncio.AbstractEventLoop:
    global _LOOP
    if _LOOP is None:
        _LOOP = asyncio.new_event_loop()
    return _LOOP


_NONCE_SHAPE = re.compile(r"[A-Za-z0-9_\-]{16,64}")


def check_nonce(nonce: str) -> None:
    """The form check lets through only 16-64 URL-safe characters; a nonce it accepts is
    claimed once, and a second claim of a finished one is refused at once."""
    accepted = bool(_NONCE.match(nonce))
    shaped = _NONCE_SHAPE.fullmatch(nonce) is not None
    require(accepted == shaped, "the nonce check lets odd nonces in")
    if not accepted:
        return
    w = world()
    # The world's factory and a fresh nonce per run: the fuzzer repeats inputs.
    unique = nonce[:40] + secrets.token_hex(12)
    first = _loop().run_until_complete(nonces.claim(w.factory, unique, w.session_hash))
    require(first is True, "a fresh nonce could not be claimed")
    with transaction(w.factory) as session:
        nonces.done(session, unique)
    again = _loop().run_until_complete(nonces.claim(w.factory, unique, w.session_hash))
    require(again is False, "a finished nonce was claimed twice")


def fuzz_nonce(data: bytes) -> None:
    check_nonce(utf8_text(data))


_REASONS = frozenset(("wrong", "used", "locked"))


def check_code_field(text: str) -> None:
    """The code form: the child's code starts the PIN step, a code used elsewhere is
    "used", anything else "wrong"; refusals carry only their reason."""
    from bot.services import invites

    w = world()
    pending = logins.PendingCodes()
    ws = WebSession(id_hash=secrets.token_hex(32), csrf_token="x", failed_code_tries=0)
    with w.factory() as session:
        keys = Keyring(session)
        guard = guesses.address_key(session, keys, "127.0.0.1")
        try:
            with only_raises(logins.CodeRefused):
                step = logins.submit_code(session, keys, ws, text, pending, guard)
        except logins.CodeRefused as refused:
            require(refused.reason in _REASONS and str(refused) == refused.reason,
                    "a refusal says more than its reason")
            no_echo(str(refused), text, _REASONS)
            code = invites.normalise(text)
            require(code != w.child_code, "the child's unused code was refused")
            require(refused.reason != "used" or code == w.used_code, "'used' for an unknown code")
        else:
            require(step == "choose_pin" and invites.normalise(text) == w.child_code,
                    "a code that was never issued started the PIN step")
        session.rollback()


def fuzz_code_field(data: bytes) -> None:
    w = world()
    text = utf8_text(data)
    # A leading 0 byte starts from a real code (the fuzzer cannot guess 60 random bits),
    # so the PIN step and the "used" answer are reached and mutated too.
    if data[:1] == b"\x00" and len(data) > 1:
        code = (w.child_code, w.used_code)[data[1] % 2]
        code = code.lower() if data[1] & 2 else f"{code[:4]}-{code[4:8]} {code[8:]}"
        text = utf8_text(data[2:]) + code if data[1] & 4 else code + utf8_text(data[2:])
    check_code_field(text)


_STORED_SHAPE = re.compile(r"[0-9]{4,6}")
_NEW_SHAPE = re.compile(r"[0-9]{6}")


def check_pin_field(pin: str) -> None:
    """As the /pin route reads the form (stripped): a new PIN is six ASCII digits or a
    "length"/"easy" problem; a PIN opens a login only if it has 4-6 ASCII digits."""
    form_pin = pin.strip()
    with only_raises():
        problem = pins.new_pin_problem(form_pin)
        opens = pins.well_formed(form_pin)
    require(problem in (None, "length", "easy"), "new_pin_problem gave an unknown answer")
    require(problem is None or problem == "easy" or _NEW_SHAPE.fullmatch(form_pin) is None,
            "six digits called the wrong length")
    require(problem is not None or _NEW_SHAPE.fullmatch(form_pin) is not None,
            "a new PIN that is not six digits was accepted")
    require(opens == (_STORED_SHAPE.fullmatch(form_pin) is not None), "well_formed disagrees with 4-6 digits")
    # Unstripped too, as any other caller would pass it.
    with only_raises():
        require(pins.well_formed(pin) == (_STORED_SHAPE.fullmatch(pin) is not None),
                "well_formed takes what is not 4-6 digits")
        pins.new_pin_problem(pin)


def fuzz_pin_field(data: bytes) -> None:
    check_pin_field(utf8_text(data))


_STORED = None
PLANTED_PIN = "4711"


def check_pin_check(pin: str) -> None:
    """Scrypt: only the planted PIN matches; any other text is a plain False."""
    global _STORED
    if _STORED is None:
        _STORED = pins.hash_pin(PLANTED_PIN)
    with only_raises():
        ok = pins.check_pin(pin, _STORED)
    require(ok == (pin == PLANTED_PIN), "check_pin answered wrongly")


def fuzz_pin_check(data: bytes) -> None:
    check_pin_check(utf8_text(data))
