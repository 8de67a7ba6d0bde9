"""After the meeting: what was decided, the later check-in, pause and resume.

The coordinator records the outcome (`outcome`): its text and points are sealed under the
meeting's key (the child's key, so erasing the child shreds them). The scheduler
(bot/services/scheduler.py) makes it *ready* at the meeting's start, or at once when
recorded later; readiness ignores quiet hours because the child only sees it when they
write (the dialogue asks `ready_outcome` at every message). What may light up a phone is
a content-free notice with a "Läs" button, which waits for the morning in quiet hours and
is never sent to a child who paused messages. Guardians get a status line (meeting held,
next follow-up date), never content. The check-in (`--next-followup`, default four weeks
after the meeting, 10:00 Stockholm time) becomes ready the same way. When no outcome is
recorded two days after the meeting, the coordinator is reminded (never the child).

Column names: followups.outcome_enc, points_enc, due_at (ready target), ready_at,
shown_at, sent_at (child notice queued), checkin_due_at, checkin_ready_at,
checkin_shown_at.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.services import audit, meetings, notices, receipts, reminders, scheduler
from bot.services.errors import NotFound
from bot.store.keyring import Keyring
from bot.store.models import FollowUp, Meeting, Person, ScheduledJob, new_id
from bot.swedish_dates import short_day, to_local

OUTCOME = "outcome"                   # the outcome becomes ready; pushes if not quiet hours
OUTCOME_NOTICE = "outcome_notice"     # its notices (child, guardians), after quiet hours
CHECKIN = "checkin"                   # the check-in becomes ready
CHECKIN_NOTICE = "checkin_notice"     # its notice to the child, after quiet hours
NO_OUTCOME = "no_outcome"             # the coordinator reminded, two days after the meeting
FOLLOWUP_KINDS = (OUTCOME, OUTCOME_NOTICE, CHECKIN, CHECKIN_NOTICE)

CHECKIN_AFTER = timedelta(weeks=4)
CHECKIN_AT = time(10, 0)  # Stockholm time
NO_OUTCOME_AFTER = timedelta(days=2)


class OutcomeRefused(Exception):
    """The outcome cannot be recorded; the message is one line for the coordinator."""


@dataclass(frozen=True)
class OutcomeView:
    """What was decided, opened for the child's chat. `points` is a list of
    {"what", "who", "when"}; `next_followup` the check-in's date in Stockholm time;
    `answers` the coordinator's answers to what the child asked in preparation."""

    followup_id: str
    meeting_id: str
    text: str
    points: list[dict]
    next_followup: date | None
    answers: tuple[str, ...] = ()


# --- recording (the coordinator's `outcome`) ------------------------------------------

def parse_point(spec: str) -> dict:
    """`WHAT|WHO|WHEN` → {"what", "who", "when"}; ValueError unless exactly three non-empty
    parts."""
    parts = [part.strip() for part in spec.split("|")]
    if len(parts) != 3 or not all(parts):
        # Without the value: a point says what was decided about a child, and this error
        # ends up on stderr, which cron and scripts keep in their logs.
        raise ValueError('--point must be "WHAT|WHO|WHEN" with all three parts filled in')
    return {"what": parts[0], "who": parts[1], "when": parts[2]}


def default_checkin_day(meeting: Meeting) -> date:
    return to_local(meeting.starts_at + CHECKIN_AFTER).date()


def record_outcome(session: Session, keys: Keyring, meeting_id: str, text: str,
                   points: list[dict], next_followup: date | None = None,
                   now: datetime | None = None, actor: str = "cli",
                   answers: list[str] | None = None) -> tuple[FollowUp, str]:
    """Store what was decided and schedule it, with the coordinator's `answers` to the
    questions the child asked in preparation. Returns the follow-up and what happened:
    "new", "replaced" (an earlier one the child had not yet seen is replaced) or "added"
    (the child already saw an earlier one: this comes as a new message)."""
    now = scheduler.as_utc(now)
    try:
        meeting = meetings.get(session, meeting_id)
    except NotFound:
        raise OutcomeRefused(f"unknown meeting {meeting_id!r}; `meeting list` shows the ids") from None
    if meeting.status == "erased" or meeting.key_id is None:
        raise OutcomeRefused("the meeting was erased; nothing was stored")
    if meeting.status == "cancelled":
        raise OutcomeRefused("the meeting is cancelled; nothing was stored")
    if not text.strip():
        raise OutcomeRefused("--text is empty; write what was decided")
    checkin_day = next_followup or default_checkin_day(meeting)
    if checkin_day <= to_local(meeting.starts_at).date():
        raise OutcomeRefused("--next-followup must be a day after the meeting")
    unseen = session.scalars(select(FollowUp).where(
        FollowUp.meeting_id == meeting.id, FollowUp.shown_at.is_(None))
        .order_by(FollowUp.created_at.desc())).first()
    seen_before = session.scalar(select(FollowUp.id).where(
        FollowUp.meeting_id == meeting.id, FollowUp.shown_at.is_not(None)).limit(1))
    if unseen is not None:
        row, mode = unseen, "replaced"
        scheduler.cancel(session, meeting.id, (OUTCOME, CHECKIN), followup_id=row.id)
    else:
        row = FollowUp(id=new_id(), meeting_id=meeting.id, outcome_enc=b"", created_at=now,
                       due_at=max(now, meeting.starts_at))
        session.add(row)
        mode = "added" if seen_before else "new"
    # One check-in per meeting: the newest outcome's.
    for other in session.scalars(select(FollowUp).where(FollowUp.meeting_id == meeting.id,
                                                        FollowUp.id != row.id)):
        scheduler.cancel(session, meeting.id, (CHECKIN, CHECKIN_NOTICE), followup_id=other.id)
    row.outcome_enc = keys.seal(meeting.key_id, "followups", "outcome_enc", row.id, text.strip())
    # Points and answers share the sealed column (a bare list is the older form of it).
    decided = {"points": points, "answers": [a.strip() for a in answers or [] if a.strip()]}
    row.points_enc = keys.seal(meeting.key_id, "followups", "points_enc", row.id,
                               json.dumps(decided, ensure_ascii=False))
    row.checkin_due_at = scheduler.local_wall_time(checkin_day, CHECKIN_AT)
    row.checkin_ready_at = row.checkin_shown_at = None
    session.flush()
    if row.ready_at is None:
        row.due_at = max(now, meeting.starts_at)
        scheduler.schedule(session, OUTCOME, meeting.id, row.due_at, followup_id=row.id)
    scheduler.schedule(session, CHECKIN, meeting.id, row.checkin_due_at, followup_id=row.id)
    scheduler.cancel(session, meeting.id, (NO_OUTCOME,))
    audit.record(session, actor, "replace" if mode == "replaced" else "create", "followup",
                 row.id, meeting.id)
    return row, mode


# --- the meeting's life: create, update, cancel -----------------------------------------

def plan_meeting(session: Session, meeting: Meeting, now: datetime | None = None) -> None:
    """On `meeting create` and `meeting update`: reminders, and the coordinator's
    reminder should no outcome be recorded; an outcome not yet ready follows the time."""
    reminders.schedule(session, meeting, now)
    scheduler.cancel(session, meeting.id, (NO_OUTCOME,))
    has_outcome = session.scalar(select(FollowUp.id).where(FollowUp.meeting_id == meeting.id).limit(1))
    if not has_outcome:
        scheduler.schedule(session, NO_OUTCOME, meeting.id, meeting.starts_at + NO_OUTCOME_AFTER)
    for row in session.scalars(select(FollowUp).where(FollowUp.meeting_id == meeting.id,
                                                      FollowUp.ready_at.is_(None))):
        scheduler.cancel(session, meeting.id, (OUTCOME,), followup_id=row.id)
        row.due_at = max(row.created_at, meeting.starts_at)
        scheduler.schedule(session, OUTCOME, meeting.id, row.due_at, followup_id=row.id)


def withdraw_meeting(session: Session, meeting_id: str) -> int:
    """On `meeting cancel`: every pending reminder, outcome and check-in job goes."""
    return scheduler.cancel(session, meeting_id)


# --- what the scheduler runs ----------------------------------------------------------

def _live(session: Session, job: ScheduledJob) -> tuple[Meeting, FollowUp | None] | None:
    meeting = session.get(Meeting, job.meeting_id)
    if meeting is None or meeting.key_id is None or meeting.status in ("cancelled", "erased"):
        return None
    followup = session.get(FollowUp, job.followup_id) if job.followup_id else None
    return meeting, followup


def _guardians(session: Session, meeting_id: str) -> list[Person]:
    return list(session.scalars(select(Person).where(
        Person.meeting_id == meeting_id, Person.role == "guardian").order_by(Person.created_at)))


def _outcome_notices(session: Session, keys: Keyring, meeting: Meeting, followup: FollowUp,
                     now: datetime) -> None:
    child = meetings.child_of(session, meeting.id)
    if child is not None and followup.shown_at is None:
        if notices.new_message(session, keys, child, "followup", "followup_open"):
            followup.sent_at = followup.sent_at or now
    earlier = session.scalar(select(FollowUp.id).where(
        FollowUp.meeting_id == meeting.id, FollowUp.id != followup.id,
        FollowUp.ready_at.is_not(None)).limit(1))
    template = notices.texts()["person"]["status_updated" if earlier else "status_held"]
    day = short_day(followup.checkin_due_at) if followup.checkin_due_at else "–"
    for guardian in _guardians(session, meeting.id):
        notices.push(session, keys, guardian, "status", template.format(day=day))


def _run_outcome(session: Session, keys: Keyring, job: ScheduledJob, now: datetime):
    live = _live(session, job)
    if live is None or live[1] is None:
        return 0
    meeting, followup = live
    if followup.ready_at is None:
        followup.ready_at = now
    if scheduler.in_quiet_hours(now):
        scheduler.schedule(session, OUTCOME_NOTICE, meeting.id, scheduler.push_time(now),
                           followup_id=followup.id)
    else:
        _outcome_notices(session, keys, meeting, followup, now)
    return 1


def _run_outcome_notice(session: Session, keys: Keyring, job: ScheduledJob, now: datetime):
    live = _live(session, job)
    if live is None or live[1] is None:
        return 0
    if scheduler.in_quiet_hours(now):
        return scheduler.Defer(scheduler.push_time(now))
    _outcome_notices(session, keys, live[0], live[1], now)
    return 1


def _run_checkin(session: Session, keys: Keyring, job: ScheduledJob, now: datetime):
    live = _live(session, job)
    if live is None or live[1] is None:
        return 0
    meeting, followup = live
    if followup.checkin_ready_at is None:
        followup.checkin_ready_at = now
    if scheduler.in_quiet_hours(now):
        scheduler.schedule(session, CHECKIN_NOTICE, meeting.id, scheduler.push_time(now),
                           followup_id=followup.id)
        return 1
    return _checkin_notice(session, keys, meeting, followup) or 1


def _checkin_notice(session: Session, keys: Keyring, meeting: Meeting, followup: FollowUp) -> int:
    child = meetings.child_of(session, meeting.id)
    if child is None or followup.checkin_shown_at is not None:
        return 0
    return 1 if notices.new_message(session, keys, child, "checkin", "followup_open") else 0


def _run_checkin_notice(session: Session, keys: Keyring, job: ScheduledJob, now: datetime):
    live = _live(session, job)
    if live is None or live[1] is None:
        return 0
    if scheduler.in_quiet_hours(now):
        return scheduler.Defer(scheduler.push_time(now))
    return _checkin_notice(session, keys, live[0], live[1])


def _run_no_outcome(session: Session, keys: Keyring, job: ScheduledJob, now: datetime):
    live = _live(session, job)
    if live is None:
        return 0
    meeting = live[0]
    if session.scalar(select(FollowUp.id).where(FollowUp.meeting_id == meeting.id).limit(1)):
        return 0
    if scheduler.in_quiet_hours(now):
        return scheduler.Defer(scheduler.push_time(now))
    notices.outcome_missing(session, keys, meeting)
    return 1


HANDLERS: dict[str, scheduler.Handler] = {
    reminders.KIND: reminders.deliver,
    OUTCOME: _run_outcome,
    OUTCOME_NOTICE: _run_outcome_notice,
    CHECKIN: _run_checkin,
    CHECKIN_NOTICE: _run_checkin_notice,
    NO_OUTCOME: _run_no_outcome,
    receipts.KIND: receipts.remind,
}


def run_due(session: Session, keys: Keyring, now: datetime | None = None) -> int:
    """Deliver every reminder, outcome and check-in due at `now` (naive = UTC) inside the
    caller's transaction; returns how many items were delivered. Claims and work commit
    together, so a second runner never repeats an item. (`run_due_in` commits the claims
    first, for long-running runners: the CLI and `serve`'s scheduler.)"""
    return scheduler.run_in_session(session, keys, HANDLERS, now)


def run_due_in(factory: sessionmaker, now: datetime | None = None) -> int:
    """The same, each item in its own transaction after a committed claim."""
    return scheduler.run(factory, HANDLERS, now)


# --- what the dialogue asks -----------------------------------------------------------

def _view(keys: Keyring, row: FollowUp) -> OutcomeView:
    text = keys.open("followups", "outcome_enc", row.id, row.outcome_enc)
    decided = (json.loads(keys.open("followups", "points_enc", row.id, row.points_enc))
               if row.points_enc else [])
    if isinstance(decided, list):
        decided = {"points": decided}
    next_day = to_local(row.checkin_due_at).date() if row.checkin_due_at else None
    return OutcomeView(followup_id=row.id, meeting_id=row.meeting_id, text=text,
                       points=decided.get("points") or [], next_followup=next_day,
                       answers=tuple(decided.get("answers") or ()))


def _child(session: Session, person_id: str) -> Person | None:
    person = session.get(Person, person_id)
    return person if person is not None and person.role == "child" and person.meeting_id else None


def ready_outcome(session: Session, keys: Keyring, person_id: str) -> OutcomeView | None:
    """The outcome that is ready for this child and not yet shown to them (None for a
    guardian, or when nothing is waiting). Show it, then `mark_outcome_shown`."""
    child = _child(session, person_id)
    if child is None:
        return None
    row = session.scalars(select(FollowUp).where(
        FollowUp.meeting_id == child.meeting_id, FollowUp.ready_at.is_not(None),
        FollowUp.shown_at.is_(None)).order_by(FollowUp.ready_at.desc(), FollowUp.created_at.desc())).first()
    return _view(keys, row) if row is not None else None


def latest_outcome(session: Session, keys: Keyring, meeting_id: str) -> OutcomeView | None:
    """The newest ready outcome of the meeting, shown or not ("read it again")."""
    row = session.scalars(select(FollowUp).where(
        FollowUp.meeting_id == meeting_id, FollowUp.ready_at.is_not(None))
        .order_by(FollowUp.ready_at.desc(), FollowUp.created_at.desc())).first()
    return _view(keys, row) if row is not None else None


def recorded_outcome(session: Session, keys: Keyring, meeting_id: str) -> tuple[OutcomeView, FollowUp] | None:
    """The coordinator's newest outcome, ready for the child or not yet (for the desk)."""
    row = session.scalars(select(FollowUp).where(FollowUp.meeting_id == meeting_id)
                          .order_by(FollowUp.created_at.desc())).first()
    return (_view(keys, row), row) if row is not None else None


def mark_outcome_shown(session: Session, followup_id: str, now: datetime | None = None) -> None:
    row = session.get(FollowUp, followup_id)
    if row is not None and row.shown_at is None:
        row.shown_at = scheduler.as_utc(now)


def ready_checkin(session: Session, person_id: str) -> str | None:
    """The follow-up id whose check-in ("Har det som bestämdes hänt?") is ready for this
    child and not yet shown; None otherwise. When an outcome is also waiting, show that
    first (`ready_outcome`)."""
    child = _child(session, person_id)
    if child is None:
        return None
    return session.scalar(select(FollowUp.id).where(
        FollowUp.meeting_id == child.meeting_id, FollowUp.checkin_ready_at.is_not(None),
        FollowUp.checkin_shown_at.is_(None)).order_by(FollowUp.checkin_ready_at.desc()).limit(1))


def mark_checkin_shown(session: Session, followup_id: str, now: datetime | None = None) -> None:
    row = session.get(FollowUp, followup_id)
    if row is not None and row.checkin_shown_at is None:
        row.checkin_shown_at = scheduler.as_utc(now)


# --- pause and resume -----------------------------------------------------------------

def pause(session: Session, keys: Keyring, person: Person) -> None:
    """"stopp"/"sluta": no more pushes to this person until they write again; the
    coordinator is told without content. What becomes ready meanwhile waits for them."""
    if person.paused:
        return
    person.paused = True
    meeting = session.get(Meeting, person.meeting_id) if person.meeting_id else None
    if meeting is not None:
        notices.paused_changed(session, keys, meeting, person, paused=True)
        audit.record(session, f"person:{person.id}", "pause", "person", person.id, meeting.id)


def note_activity(session: Session, person_id: str, now: datetime | None = None) -> bool:
    """Any message from the person: messages are on again. Returns whether they had been
    paused (then the coordinator is told, without content)."""
    person = session.get(Person, person_id)
    if person is None or not person.paused:
        return False
    person.paused = False
    meeting = session.get(Meeting, person.meeting_id) if person.meeting_id else None
    if meeting is not None:
        notices.paused_changed(session, Keyring(session), meeting, person, paused=False)
        audit.record(session, f"person:{person.id}", "resume", "person", person.id, meeting.id)
    return True


# --- what the coordinator sees (content-free) -------------------------------------------

def status(session: Session, meeting_id: str) -> dict:
    """For `meeting list`: whether an outcome is recorded and read, whether the child
    has unread messages, whether the follow-up questions were answered, whether the
    child paused messages."""
    from bot.store.models import Statement

    rows = session.scalars(select(FollowUp).where(FollowUp.meeting_id == meeting_id)
                           .order_by(FollowUp.created_at.desc())).all()
    ready = [row for row in rows if row.ready_at is not None]
    child = meetings.child_of(session, meeting_id)
    answered = session.scalar(select(Statement.id).where(
        Statement.meeting_id == meeting_id, Statement.kind == "feedback").limit(1))
    # Something is waiting that the child has not opened yet (in any chat): the outcome
    # or the check-in. Whether, not what: the coordinator may want to nudge, not read.
    unread = any((row.ready_at is not None and row.shown_at is None)
                 or (row.checkin_ready_at is not None and row.checkin_shown_at is None)
                 for row in rows)
    return {"outcome_recorded": bool(rows),
            "outcome_read": bool(ready) and ready[0].shown_at is not None,
            "unread": unread,
            "followup_answered": answered is not None,
            "paused": bool(child and child.paused)}


__all__ = [
    "OutcomeView", "OutcomeRefused", "parse_point", "record_outcome", "plan_meeting",
    "withdraw_meeting", "run_due", "run_due_in", "ready_outcome", "latest_outcome",
    "mark_outcome_shown", "recorded_outcome", "ready_checkin", "mark_checkin_shown", "pause", "note_activity",
    "status",
]
