"""After the meeting: tell the child what was decided.

Due follow-ups are queued in the outbox for each of the child's conversations; a paused
child gets nothing until they come back. (Asking "were you heard?" comes with the
follow-up issue; this keeps the contract's `followups run-due` working.)
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import audit, meetings, notices
from bot.store.keyring import Keyring
from bot.store.models import FollowUp, Meeting, utcnow


def run_due(session: Session, keys: Keyring, now: datetime | None = None) -> int:
    if now is not None and now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    now = now or utcnow()
    due = session.scalars(select(FollowUp).where(FollowUp.sent_at.is_(None), FollowUp.due_at <= now)).all()
    sent = 0
    for followup in due:
        meeting = session.get(Meeting, followup.meeting_id)
        child = meetings.child_of(session, meeting.id) if meeting else None
        if child is None or meeting.key_id is None or child.paused:
            continue
        outcome = keys.open("followups", "outcome_enc", followup.id, followup.outcome_enc)
        notices.to_person(session, keys, child, "followup",
                          notices.texts()["person"]["outcome"].format(outcome=outcome))
        followup.sent_at = now
        audit.record(session, "service", "deliver", "followup", followup.id, meeting.id)
        sent += 1
    return sent
