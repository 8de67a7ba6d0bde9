"""Limits on login guesses that no new session and no valid code can reset.

The PIN lock of one login stops guessing that login's PIN; this stops guessing across
logins and codes: failures are counted per client address (stored only as an HMAC under
the service's invite pepper, and swept once idle) and for the whole service. An address
with ADDRESS_TRIES failures within WINDOW is locked, each time longer. Past SERVICE_TRIES
failures within WINDOW from everyone together (many addresses guessing), an address that
has failed once already in the window may not try again until the window ends: a child
who types right the first time still gets in.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.services import lockouts, service_keys
from bot.store.keyring import Keyring
from bot.store.web_models import LoginGuard

logger = logging.getLogger("bot.channels.web.guesses")

ADDRESS_TRIES = 10
SERVICE_TRIES = 200
WINDOW = timedelta(hours=1)
SERVICE = "service"
_FORGET_AFTER = timedelta(days=2)


def address_key(session: Session, keys: Keyring, address: str) -> str:
    pepper = service_keys.invite_pepper(session, keys)
    digest = hmac.new(pepper, b"web login address\0" + address.encode("utf-8", "replace"),
                      hashlib.sha256).hexdigest()
    return f"a:{digest[:62]}"


def _row(session: Session, key: str, now: datetime) -> LoginGuard:
    row = session.get(LoginGuard, key, with_for_update=True, populate_existing=True)
    if row is None:
        try:
            with session.begin_nested():  # two first failures at once: one insert wins
                session.add(LoginGuard(key=key, window_start=now, failures=0, lockouts=0,
                                       updated_at=now))
        except IntegrityError:
            pass
        row = session.get(LoginGuard, key, with_for_update=True, populate_existing=True)
    if now - row.window_start >= WINDOW:
        row.window_start, row.failures = now, 0
    row.updated_at = now
    return row


def _in_window(row: LoginGuard | None, now: datetime) -> bool:
    return row is not None and now - row.window_start < WINDOW and row.failures > 0


def locked_until(session: Session, key: str, now: datetime) -> datetime | None:
    """When this address may guess again, or None if it may now."""
    row = session.get(LoginGuard, key)
    if row is not None and row.locked_until and row.locked_until > now:
        return row.locked_until
    service = session.get(LoginGuard, SERVICE)
    if _in_window(service, now) and service.failures >= SERVICE_TRIES and _in_window(row, now):
        return service.window_start + WINDOW
    return None


def failed(session: Session, key: str, now: datetime) -> datetime | None:
    """Count one failed guess from this address; returns the lock's end if it locked now."""
    row = _row(session, key, now)
    row.failures += 1
    until = None
    if row.failures >= ADDRESS_TRIES:
        row.lockouts += 1
        row.locked_until = until = now + lockouts.length(row.lockouts)
        row.failures = 0
        # For the operator; the address is not in it (nor anything a child typed).
        logger.warning("web login: a client address was locked after %d failed guesses "
                       "(lockout %d)", ADDRESS_TRIES, row.lockouts)
    service = _row(session, SERVICE, now)
    service.failures += 1
    if service.failures == SERVICE_TRIES:
        logger.warning("web login: %d failed guesses from all addresses within %s; an address "
                       "that fails again waits until the hour is over", SERVICE_TRIES, WINDOW)
    _sweep(session, now)
    return until


def _sweep(session: Session, now: datetime) -> None:
    session.execute(delete(LoginGuard).where(and_(
        LoginGuard.key != SERVICE, LoginGuard.updated_at < now - _FORGET_AFTER,
        or_(LoginGuard.locked_until.is_(None), LoginGuard.locked_until < now))))
