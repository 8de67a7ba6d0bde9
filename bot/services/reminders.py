"""Reminders before the meeting: SIPKOMPIS_REMINDER_DAYS (default "3,1") days before, to
the child and every guardian, between 08:00 and 21:00 Stockholm time.

A reminder is one content-free line with an "Öppna" button: phones show it on the lock
screen, so it names neither SIP, the place, the purpose nor any person; what it is about
appears once the chat is opened (`/open_reminder`). Recipients are looked up when the
reminder goes out, so a guardian invited after `meeting create` gets it too.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import notices, scheduler
from bot.store.keyring import Keyring
from bot.store.models import Meeting, Person, ScheduledJob
from bot.swedish_dates import to_local

KIND = "reminder"
DEFAULT_DAYS = "3,1"


def days() -> list[int]:
    """The configured days before the meeting, largest first; ValueError when malformed."""
    raw = os.environ.get("SIPKOMPIS_REMINDER_DAYS", DEFAULT_DAYS).strip()
    if not raw:
        return []
    try:
        values = sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise ValueError(f"SIPKOMPIS_REMINDER_DAYS must be whole days before the meeting, "
                         f"like 3,1; got {raw!r}") from None
    if any(value < 1 for value in values):
        raise ValueError(f"SIPKOMPIS_REMINDER_DAYS must be 1 or more days; got {raw!r}")
    return values


def due_time(starts_at: datetime, days_before: int) -> datetime:
    """The meeting's own local clock time `days_before` days earlier (so a 09:30 meeting is
    reminded at 09:30, also across a clock change), moved out of quiet hours."""
    local = to_local(starts_at)
    day = local.date() - timedelta(days=days_before)
    return scheduler.push_time(scheduler.local_wall_time(day, local.time().replace(tzinfo=None)))


def schedule(session: Session, meeting: Meeting, now: datetime | None = None) -> list[datetime]:
    """(Re)plan the meeting's pending reminders; those already past are left out."""
    now = scheduler.as_utc(now)
    scheduler.cancel(session, meeting.id, (KIND,))
    planned = []
    for days_before in days():
        due = due_time(meeting.starts_at, days_before)
        if now < due < meeting.starts_at:
            scheduler.schedule(session, KIND, meeting.id, due)
            planned.append(due)
    return planned


def withdraw(session: Session, meeting_id: str) -> int:
    return scheduler.cancel(session, meeting_id, (KIND,))


def deliver(session: Session, keys: Keyring, job: ScheduledJob, now: datetime):
    """Scheduler handler: one content-free line to each chat of the child and guardians."""
    meeting = session.get(Meeting, job.meeting_id)
    if meeting is None or meeting.status != "planned" or meeting.key_id is None:
        return 0
    if now >= meeting.starts_at:
        return 0  # the scheduler was down past the meeting: a late reminder helps nobody
    if scheduler.in_quiet_hours(now):
        later = scheduler.push_time(now)
        return scheduler.Defer(later) if later < meeting.starts_at else 0
    people = session.scalars(select(Person).where(Person.meeting_id == meeting.id)
                             .order_by(Person.created_at)).all()
    queued = sum(notices.new_message(session, keys, person, "reminder", "open_reminder")
                 for person in people)
    return 1 if queued else 0


def pending_times(session: Session, meeting_id: str) -> list[datetime]:
    return [job.due_at for job in scheduler.pending(session, meeting_id, (KIND,))]

