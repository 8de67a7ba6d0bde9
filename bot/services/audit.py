"""The audit log: who did what to which record, when. Never any content."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import AuditEvent


def record(session: Session, actor: str, action: str, subject_type: str,
           subject_id: str | None = None, meeting_id: str | None = None) -> None:
    session.add(AuditEvent(actor=actor, action=action, subject_type=subject_type,
                           subject_id=subject_id, meeting_id=meeting_id))


def for_meeting(session: Session, meeting_id: str) -> list[AuditEvent]:
    return list(session.scalars(
        select(AuditEvent).where(AuditEvent.meeting_id == meeting_id).order_by(AuditEvent.id)
    ))
