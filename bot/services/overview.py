"""What a coordinator sees of their meetings at a glance, content-free: the `meeting list`
command and the desk's start page show the same rows."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import followups, meetings
from bot.store.models import Delivery, Statement, StatementItem


def meeting_row(session: Session, meeting) -> dict:
    """Consent, preparation, statement sent and opened, outcome recorded and read by the
    child (unread messages), follow-up answered, paused. Whether, never what."""
    sent = session.scalar(select(Statement.id).where(
        Statement.meeting_id == meeting.id, Statement.kind == "statement").limit(1))
    started = session.scalar(select(StatementItem.id).where(
        StatementItem.meeting_id == meeting.id).limit(1))
    unopened = session.scalar(select(Delivery.id).where(
        Delivery.meeting_id == meeting.id, Delivery.recipient_type == "coordinator",
        Delivery.fetched_at.is_(None)).limit(1))
    child = meetings.child_of(session, meeting.id)
    return {"meeting_id": meeting.id, "starts_at": meeting.starts_at, "status": meeting.status,
            "consented": bool(child and child.consent_at),
            "preparation": meetings.preparation_status(session, meeting.id),
            "prepared": started is not None or sent is not None,
            "statement_sent": sent is not None,
            "unopened_by_coordinator": unopened is not None,
            **followups.status(session, meeting.id)}


def meeting_rows(session: Session, coordinator_id: str | None = None) -> list[dict]:
    return [meeting_row(session, m) for m in meetings.list_for(session, coordinator_id)]
