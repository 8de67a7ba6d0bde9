"""The coordinator desk's sign-in tables: sessions, key-possession challenges, lockouts.

Like the web chat's, a session is known only by the hash of its cookie, and a challenge
only by the hash of its random bytes: a copy of the database lets no one sign in.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String

from bot.store.models import Base, utcnow


class DeskSession(Base):
    __tablename__ = "desk_sessions"
    id_hash = Column(String(64), primary_key=True)  # sha256 of the cookie value
    coordinator_id = Column(String(32), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen = Column(DateTime, nullable=False, default=utcnow)


class DeskChallenge(Base):
    """Random bytes sealed to the coordinator's key: opening them proves the key is at hand."""

    __tablename__ = "desk_challenges"
    id = Column(String(32), primary_key=True)
    coordinator_id = Column(String(32), nullable=False, index=True)
    digest = Column(String(64), nullable=False)  # sha256 of the challenge bytes
    expires_at = Column(DateTime, nullable=False)
    used = Column(Boolean, nullable=False, default=False)


class DeskLogin(Base):
    """Failed sign-ins per coordinator; each lockout doubles the next one."""

    __tablename__ = "desk_logins"
    coordinator_id = Column(String(32), primary_key=True)
    failed_tries = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    lockouts = Column(Integer, nullable=False, default=0)
