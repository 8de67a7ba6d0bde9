"""The child's answers after the meeting ("were you heard?"), sealed to the coordinator.

Until the child approves them the answers live only in the (encrypted) conversation;
approval seals exactly the answers the child last saw and chose to show, like the
statement before the meeting. Guardians never receive them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import statements
from bot.store.keyring import Keyring
from bot.store.models import Meeting, Person, Statement, utcnow

QUESTIONS = ("said", "listened", "understood", "mattered", "more")
SKIPPED = statements.SKIPPED


def default_sharing() -> dict[str, bool]:
    return {kind: True for kind in QUESTIONS}


def approve(session: Session, keys: Keyring, *, child: Person, answers: dict[str, str | None],
            sharing: dict[str, bool], now: datetime | None = None) -> list[str]:
    """Seal the answered and shown items; returns their kinds, in order (empty: nothing sent)."""
    now = now or utcnow()
    meeting = session.get(Meeting, child.meeting_id)
    items = [{"kind": kind, "text": answers[kind]} for kind in QUESTIONS
             if answers.get(kind) and answers[kind] != SKIPPED and sharing.get(kind, True)]
    if not items:
        return []
    statements.seal_for_coordinator(session, keys, child=child, meeting=meeting, kind="feedback",
                                    items=items, now=now)
    return [item["kind"] for item in items]


def answered(session: Session, meeting_id: str) -> bool:
    """Content-free: whether the child has sent any answers after the meeting."""
    return session.scalar(select(Statement.id).where(Statement.meeting_id == meeting_id,
                                                     Statement.kind == "feedback").limit(1)) is not None
