"""Getting in over the web: the invite code, then a PIN (chosen on the first visit).

First visit: the code must be unused; the child picks a PIN, and only then is the code
relayed to Rasa as the conversation's first message, so the child sees Rasa's own welcome
and a code is never used up by a half-finished login. Later visits: the code that was
redeemed here plus the PIN; five wrong PINs lock the login, each lockout twice as long as
the last (bot/services/lockouts.py), the coordinator is told at once and the person at
their next login. Every failed guess also counts against the client address and the
service (guesses.py), which neither a new session nor a valid code resets.

The code is held between the two steps in this process's memory only (never in the
store, a URL or the page); a restart of the web process just means typing it again.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.web import guesses, pins, sessions
from bot.services import invites, lockouts, notices, service_keys
from bot.store.keyring import Keyring
from bot.store.models import Invite, Meeting, Person, utcnow
from bot.store.web_models import WebLogin, WebSession

MAX_TRIES = 5
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
    """`reason` is wrong | used | locked: what the start page tells the child; `until` is
    when a lock ends."""

    def __init__(self, reason: str, until: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason, self.until = reason, until


def _fail_code(session: Session, ws: WebSession, guard: str, now: datetime) -> CodeRefused:
    address_lock = guesses.failed(session, guard, now)
    ws.failed_code_tries += 1
    if ws.failed_code_tries >= MAX_TRIES:
        ws.locked_until = now + lockouts.FIRST
        ws.failed_code_tries = 0
    locks = [t for t in (address_lock, ws.locked_until) if t and t > now]
    if locks:
        return CodeRefused("locked", max(locks))
    return CodeRefused("wrong")


def submit_code(session: Session, keys: Keyring, ws: WebSession, text: str,
                pending: PendingCodes, guard: str) -> str:
    """Check the code and start the PIN step; returns "choose_pin" or "enter_pin".

    `guard` is the client address's key in guesses.py."""
    now = utcnow()
    blocked = guesses.locked_until(session, guard, now)
    if ws.locked_until and ws.locked_until > now:
        blocked = max(blocked or now, ws.locked_until)
    if blocked:
        raise CodeRefused("locked", blocked)
    code = invites.normalise(text)
    if code is None:
        raise _fail_code(session, ws, guard, now)
    pepper = service_keys.invite_pepper(session, keys)
    invite = session.scalars(select(Invite).where(
        Invite.code_hash == invites.code_hash(pepper, code))).first()
    if invite is None or invite.kind != "person" or invite.person_id is None or invite.revoked_at:
        raise _fail_code(session, ws, guard, now)
    if invite.used_at is None:
        if invite.expires_at < now:
            raise _fail_code(session, ws, guard, now)
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
    """`reason` is wrong | locked | gone; `left` is how many tries remain, `until` when a
    lock ends."""

    def __init__(self, reason: str, left: int = 0, until: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason, self.left, self.until = reason, left, until


def check_login(session: Session, keys: Keyring, ws: WebSession, pin: str, guard: str) -> WebLogin:
    """Verify the PIN of a later visit; PinRefused if wrong, locked or no longer valid."""
    now = utcnow()
    login = session.get(WebLogin, ws.pending_person_id, with_for_update=True) \
        if ws.pending_person_id else None
    invite = session.get(Invite, login.invite_id) if login else None
    if login is None or invite is None or invite.revoked_at:
        raise PinRefused("gone")
    blocked = guesses.locked_until(session, guard, now)
    if login.locked_until and login.locked_until > now:
        blocked = max(blocked or now, login.locked_until)
    if blocked:
        raise PinRefused("locked", until=blocked)
    if not pins.check_pin(pin, login.pin_hash):
        address_lock = guesses.failed(session, guard, now)
        login.failed_tries += 1
        if login.failed_tries >= MAX_TRIES:
            _lock(session, keys, login, now)
            raise PinRefused("locked", until=max(login.locked_until, address_lock or now))
        if address_lock:
            raise PinRefused("locked", until=address_lock)
        raise PinRefused("wrong", MAX_TRIES - login.failed_tries)
    login.failed_tries, login.locked_until, login.lockouts = 0, None, 0
    return login


def _lock(session: Session, keys: Keyring, login: WebLogin, now: datetime) -> None:
    login.lockouts = (login.lockouts or 0) + 1
    login.untold_lockouts = (login.untold_lockouts or 0) + 1
    login.locked_until, login.failed_tries = now + lockouts.length(login.lockouts), 0
    person = session.get(Person, login.person_id)
    meeting = session.get(Meeting, person.meeting_id) if person else None
    if meeting is not None:
        # Content-free: that it happened, for whom and how often; a coordinator who sees it
        # again can revoke the code and give the person a new letter.
        notices.web_login_locked(session, keys, meeting, person.role, login.lockouts)


def take_untold_lockouts(login: WebLogin) -> int:
    """How many lockouts the person has not heard of (and now has)."""
    untold, login.untold_lockouts = login.untold_lockouts or 0, 0
    return untold


def wait_words(until: datetime | None, now: datetime | None = None) -> str:
    """How long is left of a lock, in the words the page uses ("en kvart", "3 timmar")."""
    left = (until - (now or utcnow())) if until else lockouts.FIRST
    minutes = max(1, -(-int(left.total_seconds()) // 60))
    if minutes <= 15:
        return "en kvart"
    if minutes <= 30:
        return "en halvtimme"
    if minutes <= 60:
        return "en timme"
    hours = -(-minutes // 60)
    return "ett dygn" if hours >= 24 else f"{hours} timmar"


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
