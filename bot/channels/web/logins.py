"""Getting in over the web: the invite code, then a PIN (chosen on the first visit).

First visit: the code must be unused; the child picks a PIN, and only then is the code
relayed to Rasa as the conversation's first message, so the child sees Rasa's own welcome
and a code is never used up by a half-finished login. Later visits: the code that was
redeemed here plus the PIN, five wrong PINs lock the login for a while.

The code is held between the two steps in this process's memory only (never in the
store, a URL or the page); a restart of the web process just means typing it again.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.web import pins, sessions
from bot.services import invites, service_keys
from bot.store.keyring import Keyring
from bot.store.models import Invite, utcnow
from bot.store.web_models import WebLogin, WebSession

MAX_TRIES = 5
LOCKOUT = timedelta(minutes=15)
PENDING_SECONDS = 15 * 60


@dataclass
class PendingCode:
    code: str
    invite_id: str
    person_id: str
    conversation_id: str
    message_id: str
    expires: float


class PendingCodes:
    """Codes between the code step and the PIN step, by session hash, in memory only."""

    def __init__(self) -> None:
        self._by_session: dict[str, PendingCode] = {}

    def put(self, session_hash: str, pending: PendingCode) -> None:
        now = time.monotonic()
        for key in [k for k, v in self._by_session.items() if v.expires < now]:
            del self._by_session[key]
        self._by_session[session_hash] = pending

    def get(self, session_hash: str) -> PendingCode | None:
        pending = self._by_session.get(session_hash)
        if pending is None or pending.expires < time.monotonic():
            self._by_session.pop(session_hash, None)
            return None
        return pending

    def drop(self, session_hash: str) -> None:
        self._by_session.pop(session_hash, None)


class CodeRefused(Exception):
    """`reason` is wrong | used | locked: what the start page tells the child."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _fail_code(ws: WebSession) -> CodeRefused:
    ws.failed_code_tries += 1
    if ws.failed_code_tries >= MAX_TRIES:
        ws.locked_until = utcnow() + LOCKOUT
        ws.failed_code_tries = 0
        return CodeRefused("locked")
    return CodeRefused("wrong")


def submit_code(session: Session, keys: Keyring, ws: WebSession, text: str,
                pending: PendingCodes) -> str:
    """Check the code and start the PIN step; returns "choose_pin" or "enter_pin"."""
    now = utcnow()
    if ws.locked_until and ws.locked_until > now:
        raise CodeRefused("locked")
    code = invites.normalise(text)
    if code is None:
        raise _fail_code(ws)
    pepper = service_keys.invite_pepper(session, keys)
    invite = session.scalars(select(Invite).where(
        Invite.code_hash == invites.code_hash(pepper, code))).first()
    if invite is None or invite.kind != "person" or invite.person_id is None or invite.revoked_at:
        raise _fail_code(ws)
    ws.failed_code_tries = 0
    if invite.used_at is None:
        if invite.expires_at < now:
            raise _fail_code(ws)
        ws.pending, ws.pending_person_id = "choose_pin", invite.person_id
        ws.pending_message_id = secrets.token_hex(16)
        pending.put(ws.id_hash, PendingCode(code, invite.id, invite.person_id,
                                            secrets.token_hex(16), ws.pending_message_id,
                                            time.monotonic() + PENDING_SECONDS))
        return "choose_pin"
    login = session.get(WebLogin, invite.person_id)
    if login is None or login.invite_id != invite.id:
        # Redeemed in another channel (or an older web login): a PIN cannot be set now,
        # or a used code alone would be enough to get in.
        raise CodeRefused("used")
    ws.pending, ws.pending_person_id = "enter_pin", invite.person_id
    return "enter_pin"


class PinRefused(Exception):
    """`reason` is wrong | locked | gone; `left` is how many tries remain."""

    def __init__(self, reason: str, left: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.left = reason, left


def check_login(session: Session, ws: WebSession, pin: str) -> WebLogin:
    """Verify the PIN of a later visit; PinRefused if wrong, locked or no longer valid."""
    now = utcnow()
    login = session.get(WebLogin, ws.pending_person_id) if ws.pending_person_id else None
    invite = session.get(Invite, login.invite_id) if login else None
    if login is None or invite is None or invite.revoked_at:
        raise PinRefused("gone")
    if login.locked_until and login.locked_until > now:
        raise PinRefused("locked")
    if not pins.check_pin(pin, login.pin_hash):
        login.failed_tries += 1
        if login.failed_tries >= MAX_TRIES:
            login.locked_until, login.failed_tries = now + LOCKOUT, 0
            raise PinRefused("locked")
        raise PinRefused("wrong", MAX_TRIES - login.failed_tries)
    login.failed_tries, login.locked_until = 0, None
    return login


def save_login(session: Session, pending: PendingCode, pin_hash: bytes) -> WebLogin:
    """The first visit succeeded: this code + PIN open this conversation from now on.

    A new code for the same person (reissued) replaces the old login and ends its sessions.
    """
    old = session.get(WebLogin, pending.person_id)
    if old is not None:
        sessions.end_all_for(session, pending.person_id)
        session.delete(old)
        session.flush()
    login = WebLogin(person_id=pending.person_id, invite_id=pending.invite_id,
                     conversation_id=pending.conversation_id, pin_hash=pin_hash,
                     failed_tries=0, created_at=utcnow())
    session.add(login)
    return login


def log_in(session: Session, ws: WebSession, login: WebLogin) -> tuple[str, WebSession]:
    """A fresh session id at login, so an id planted before login is worth nothing."""
    sessions.end(session, ws)
    session.flush()
    token, fresh = sessions.create(session)
    fresh.person_id, fresh.conversation_id = login.person_id, login.conversation_id
    return token, fresh
