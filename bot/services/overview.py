"""What a coordinator sees of their meetings at a glance, content-free: the `meeting list`
command and the desk's start page show the same rows."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.services import followups, meetings, statements
from bot.store.models import Delivery, Statement, StatementItem


# What a coordinator reads for a preparation state in `meeting list` and Telegram's /moten.
# A bare "klar" read as "ready for you" when the child had hidden every item from them.
PREPARATION_FOR_COORDINATOR = {meetings.DONE: "klar, inget delat med dig"}


def preparation_words(status: str) -> str:
    return PREPARATION_FOR_COORDINATOR.get(status, status)


def meeting_row(session: Session, meeting) -> dict:
    """Consent, preparation, statement sent and opened, outcome recorded and read by the
    child (unread messages), follow-up answered, paused. Whether, never what.

    "Sent" and "unopened" count only versions that gave the coordinator something: an
    approval with every item hidden is stored as an empty version, which is nothing to read.
    """
    approved = session.scalar(select(Statement.id).where(
        Statement.meeting_id == meeting.id, Statement.kind == "statement").limit(1))
    started = session.scalar(select(StatementItem.id).where(
        StatementItem.meeting_id == meeting.id).limit(1))
    unopened = session.scalar(
        select(Delivery.id).join(Statement, Statement.id == Delivery.statement_id).where(
            Delivery.meeting_id == meeting.id, Delivery.recipient_type == "coordinator",
            Delivery.fetched_at.is_(None),
            or_(Statement.to_coordinator.is_(None), Statement.to_coordinator.is_(True))).limit(1))
    child = meetings.child_of(session, meeting.id)
    return {"meeting_id": meeting.id, "starts_at": meeting.starts_at, "status": meeting.status,
            "consented": bool(child and child.consent_at),
            "preparation": meetings.preparation_status(session, meeting.id),
            "prepared": started is not None or approved is not None,
            "statement_sent": statements.coordinator_holds(session, meeting.id),
            "unopened_by_coordinator": unopened is not None,
            **followups.status(session, meeting.id)}


def meeting_rows(session: Session, coordinator_id: str | None = None) -> list[dict]:
    return [meeting_row(session, m) for m in meetings.list_for(session, coordinator_id)]
