"""Honest receipts: whether the coordinator opened what the child sent, and a content-free
reminder when a statement lies unopened for a working day.

Anchor products promise children an answer within 24 hours; a child who was told "skickat"
deserves to learn "samordnaren har läst" only when the coordinator's own key opened it
(the desk's browser, or `inbox`), and the coordinator deserves a nudge before the child
gives up.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import notices, scheduler
from bot.store.keyring import Keyring
from bot.store.models import Delivery, Meeting, ScheduledJob, Statement
from bot.swedish_dates import short_day, to_local

KIND = "statement_unopened"


def one_working_day_after(when: datetime) -> datetime:
    """The same time on the next weekday (Friday afternoon → Monday afternoon). Public
    holidays are not known here: a reminder on one is a day early, never late."""
    due = when + timedelta(days=1)
    while to_local(due).weekday() >= 5:
        due += timedelta(days=1)
    return due


def schedule_reminder(session: Session, meeting: Meeting, statement: Statement) -> None:
    scheduler.schedule(session, KIND, meeting.id, one_working_day_after(statement.approved_at))


def _unopened(session: Session, meeting_id: str) -> bool:
    return session.scalar(select(Delivery.id).where(
        Delivery.meeting_id == meeting_id, Delivery.recipient_type == "coordinator",
        Delivery.fetched_at.is_(None)).limit(1)) is not None


def remind(session: Session, keys: Keyring, job: ScheduledJob, now: datetime):
    meeting = session.get(Meeting, job.meeting_id)
    if meeting is None or meeting.status != "planned" or not _unopened(session, meeting.id):
        return 0
    if scheduler.in_quiet_hours(now):
        return scheduler.Defer(scheduler.push_time(now))
    notices.to_coordinator_text(session, keys, meeting, KIND, "statement_unopened",
                                day=short_day(meeting.starts_at))
    return 1
