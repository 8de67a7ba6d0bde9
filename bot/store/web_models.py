"""The web chat's tables: a PIN login per person, server-side sessions, the encrypted
transcript each web conversation shows, and one-time form nonces.

Nothing here holds a child's words in the clear: the transcript is sealed under the
conversation's data key (so erasure shreds it with everything else), a session is known
only by the hash of its cookie, and a PIN only by a slow, salted hash.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, LargeBinary, String

from bot.store.models import Base, new_id, utcnow


class WebLogin(Base):
    """How a person gets back in over the web: the code they redeemed plus their PIN."""

    __tablename__ = "web_logins"
    person_id = Column(String(32), primary_key=True)
    invite_id = Column(String(32), nullable=False)  # the redeemed invite; revoked = no login
    conversation_id = Column(String(64), nullable=False)
    pin_hash = Column(LargeBinary, nullable=False)  # scrypt: salt + derived key
    failed_tries = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    # Each lockout is longer than the one before; reset by a successful login.
    lockouts = Column(Integer, nullable=False, default=0)
    # Lockouts the person has not been told about yet (told at their next login).
    untold_lockouts = Column(Integer, nullable=False, default=0)


class LoginGuard(Base):
    """Failed login guesses per client address (keyed by an HMAC, never the address) and
    service-wide (key "service"), so that neither a new session nor a second letter's
    valid code starts the count again."""

    __tablename__ = "login_guards"
    key = Column(String(64), primary_key=True)
    window_start = Column(DateTime, nullable=False)
    failures = Column(Integer, nullable=False, default=0)
    lockouts = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    updated_at = Column(DateTime, nullable=False, default=utcnow)


class WebSession(Base):
    """A browser session; before login it only carries the CSRF token and code tries."""

    __tablename__ = "web_sessions"
    id_hash = Column(String(64), primary_key=True)  # sha256 of the cookie value
    csrf_token = Column(String(64), nullable=False)
    person_id = Column(String(32), nullable=True)
    conversation_id = Column(String(64), nullable=True)  # set once logged in
    pending = Column(String(16), nullable=True)  # choose_pin | enter_pin while logging in
    pending_person_id = Column(String(32), nullable=True)
    pending_message_id = Column(String(32), nullable=True)
    failed_code_tries = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    last_seen = Column(DateTime, nullable=False, default=utcnow)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class WebTranscriptEntry(Base):
    """One line of what a web conversation showed; `data_enc` is sealed JSON."""

    __tablename__ = "web_transcript"
    id = Column(String(32), primary_key=True, default=new_id)
    conversation_id = Column(String(64), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    data_enc = Column(LargeBinary, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class WebFormNonce(Base):
    """A form's one-time id: a double-submitted form is handled once."""

    __tablename__ = "web_form_nonces"
    nonce = Column(String(64), primary_key=True)
    session_hash = Column(String(64), nullable=False)
    state = Column(String(8), nullable=False, default="busy")  # busy | done
    created_at = Column(DateTime, nullable=False, default=utcnow)
