"""Due items as rows in `scheduled_jobs`: scheduling, claiming, running, quiet hours.

Why rows and not an in-memory scheduler: Rasa's reminders and python-telegram-bot's job
queue forget everything on a restart, and several processes (the CLI, `serve`'s scheduler)
may run at once. Each item is delivered exactly once:

- A runner first *claims* due rows and commits the claim: `SELECT … FOR UPDATE SKIP LOCKED`
  on PostgreSQL (a second runner skips rows the first is claiming), then a conditional
  `UPDATE … WHERE claimed_at IS NULL OR claimed_at < stale` that on SQLite is the whole
  claim (SQLite serialises writers, so only one UPDATE matches).
- It then runs each claimed row in its own transaction that begins by marking the row done
  *only if the claim is still its own* (`WHERE claim_token = :mine AND done_at IS NULL`)
  and queues the outbox rows in the same transaction. A runner that dies before that
  commit leaves nothing behind but its claim, which another runner takes after
  CLAIM_TIMEOUT; a runner that was merely slow finds its claim taken and rolls back.

Times: `due_at` is the scheduled (injectable) time, UTC naive; `claimed_at` is wall-clock
UTC, because a claim goes stale in real time whatever time a test pretends it is.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.store.keyring import Keyring
from bot.store.models import ScheduledJob, new_id, utcnow
from bot.swedish_dates import STOCKHOLM, to_local

log = logging.getLogger("sipkompis.scheduler")

CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BATCH = 50
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)  # Europe/Stockholm


# --- time ---------------------------------------------------------------------------

def as_utc(now: datetime | None) -> datetime:
    """Naive UTC, as the store keeps every time; an aware time is converted."""
    if now is None:
        return utcnow()
    if now.tzinfo is not None:
        return now.astimezone(timezone.utc).replace(tzinfo=None)
    return now


def local_wall_time(day: date, at: time) -> datetime:
    """`at` o'clock Stockholm time on `day`, as naive UTC (right on both sides of DST)."""
    return datetime.combine(day, at, tzinfo=STOCKHOLM).astimezone(timezone.utc).replace(tzinfo=None)


def in_quiet_hours(when: datetime) -> bool:
    local = to_local(when).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def push_time(when: datetime) -> datetime:
    """The earliest time at or after `when` (UTC) outside quiet hours: a notice that would
    light up a phone between 21:00 and 08:00 Stockholm time waits until 08:00."""
    if not in_quiet_hours(when):
        return when
    local = to_local(when)
    day = local.date() + timedelta(days=1) if local.time() >= QUIET_FROM else local.date()
    return local_wall_time(day, QUIET_UNTIL)


# --- scheduling ---------------------------------------------------------------------

def schedule(session: Session, kind: str, meeting_id: str, due_at: datetime, *,
             person_id: str | None = None, followup_id: str | None = None) -> ScheduledJob:
    job = ScheduledJob(id=new_id(), kind=kind, meeting_id=meeting_id, due_at=as_utc(due_at),
                       person_id=person_id, followup_id=followup_id, attempts=0)
    session.add(job)
    return job


def _pending():
    return and_(ScheduledJob.done_at.is_(None), ScheduledJob.cancelled_at.is_(None))


def pending(session: Session, meeting_id: str, kinds: tuple[str, ...] | None = None,
            followup_id: str | None = None) -> list[ScheduledJob]:
    query = select(ScheduledJob).where(ScheduledJob.meeting_id == meeting_id, _pending())
    if kinds:
        query = query.where(ScheduledJob.kind.in_(kinds))
    if followup_id:
        query = query.where(ScheduledJob.followup_id == followup_id)
    return list(session.scalars(query.order_by(ScheduledJob.due_at)))


def cancel(session: Session, meeting_id: str, kinds: tuple[str, ...] | None = None,
           followup_id: str | None = None) -> int:
    """Withdraw pending jobs. A job being run right now finishes only if its runner's
    conditional done-mark still matches, which a cancelled row no longer does."""
    query = update(ScheduledJob).where(ScheduledJob.meeting_id == meeting_id, _pending())
    if kinds:
        query = query.where(ScheduledJob.kind.in_(kinds))
    if followup_id:
        query = query.where(ScheduledJob.followup_id == followup_id)
    result = session.execute(query.values(cancelled_at=utcnow()).execution_options(
        synchronize_session="fetch"))
    return max(result.rowcount or 0, 0)


# --- claiming and finishing ---------------------------------------------------------

def _claimable(now: datetime, stale_before: datetime):
    return and_(ScheduledJob.due_at <= now, _pending(),
                or_(ScheduledJob.claimed_at.is_(None), ScheduledJob.claimed_at < stale_before))


def claim(session: Session, now: datetime, token: str, *, limit: int = BATCH,
          stale_after: timedelta = CLAIM_TIMEOUT, wall: datetime | None = None) -> list[str]:
    """Claim up to `limit` due rows for `token`; returns their ids (oldest due first).

    The caller commits: a claim is only worth something once it is committed."""
    wall = wall or utcnow()
    stale_before = wall - stale_after
    # PostgreSQL: lock the candidates, skipping rows another runner is claiming right
    # now. SQLite renders no FOR UPDATE; its conditional UPDATE below is the claim.
    candidates = list(session.scalars(
        select(ScheduledJob.id).where(_claimable(now, stale_before))
        .order_by(ScheduledJob.due_at, ScheduledJob.id).limit(limit)
        .with_for_update(skip_locked=True)))
    if not candidates:
        return []
    session.execute(
        update(ScheduledJob).where(ScheduledJob.id.in_(candidates), _claimable(now, stale_before))
        .values(claimed_at=wall, claim_token=token, attempts=ScheduledJob.attempts + 1)
        .execution_options(synchronize_session=False))
    claimed = set(session.scalars(select(ScheduledJob.id).where(
        ScheduledJob.id.in_(candidates), ScheduledJob.claim_token == token)))
    return [job_id for job_id in candidates if job_id in claimed]


def finish(session: Session, job_id: str, token: str, now: datetime) -> ScheduledJob | None:
    """Mark the job done if the claim is still `token`'s; the row stays locked (written)
    until the caller's transaction ends, and the work done in it commits with the mark."""
    result = session.execute(
        update(ScheduledJob).where(ScheduledJob.id == job_id, ScheduledJob.claim_token == token,
                                   _pending())
        .values(done_at=now).execution_options(synchronize_session=False))
    if (result.rowcount or 0) != 1:
        return None
    job = session.get(ScheduledJob, job_id, populate_existing=True)
    return job


def defer(job: ScheduledJob, until: datetime) -> None:
    """Run the job again at `until` (inside the finishing transaction: undo the mark)."""
    job.done_at = None
    job.due_at = until
    job.claimed_at = job.claim_token = None


# --- running ------------------------------------------------------------------------

@dataclass(frozen=True)
class Defer:
    """What a handler returns to run its job again later (e.g. after quiet hours)."""

    until: datetime


# A handler does the job's work in the finishing transaction and returns how many items
# it delivered (0 or 1), or Defer.
Handler = Callable[[Session, Keyring, ScheduledJob, datetime], "int | Defer"]


def _run_claimed(session: Session, keys: Keyring, job_id: str, token: str, now: datetime,
                 handlers: dict[str, Handler]) -> int:
    job = finish(session, job_id, token, now)
    if job is None:
        return 0  # cancelled meanwhile, or the claim went stale and someone else has it
    handler = handlers.get(job.kind)
    if handler is None:
        job.cancelled_at = utcnow()  # a kind this version does not know: never retried
        log.error("scheduled job of unknown kind %r withdrawn", job.kind)
        return 0
    outcome = handler(session, keys, job, now)
    if isinstance(outcome, Defer):
        defer(job, outcome.until)
        return 0
    return int(outcome or 0)


def run(factory: sessionmaker, handlers: dict[str, Handler], now: datetime | None = None, *,
        stale_after: timedelta = CLAIM_TIMEOUT, limit: int = BATCH, rounds: int = 1000) -> int:
    """Run every job due at `now`: claims committed first, then each job in its own
    transaction. Returns how many items were delivered."""
    from bot.store.db import transaction

    now = as_utc(now)
    token = secrets.token_hex(16)
    sent = 0
    for _ in range(rounds):
        with transaction(factory) as session:
            claimed = claim(session, now, token, limit=limit, stale_after=stale_after)
        if not claimed:
            break
        for job_id in claimed:
            try:
                with transaction(factory) as session:
                    sent += _run_claimed(session, Keyring(session), job_id, token, now, handlers)
            except Exception as error:  # noqa: BLE001 - one bad job must not stop the others
                # Logged by type only (a message may quote what was being processed). The
                # claim stays and goes stale: the job is tried again after CLAIM_TIMEOUT.
                log.error("scheduled job failed (%s); it will be tried again", type(error).__name__)
                _give_up_if_exhausted(factory, job_id, token)
    return sent


def _give_up_if_exhausted(factory: sessionmaker, job_id: str, token: str) -> None:
    from bot.store.db import transaction

    with transaction(factory) as session:
        session.execute(update(ScheduledJob).where(
            ScheduledJob.id == job_id, ScheduledJob.claim_token == token, _pending(),
            ScheduledJob.attempts >= MAX_ATTEMPTS).values(cancelled_at=utcnow()))


def run_in_session(session: Session, keys: Keyring, handlers: dict[str, Handler],
                   now: datetime | None = None, *, rounds: int = 20) -> int:
    """The same inside the caller's one transaction: claim and work commit together (or
    roll back together), so the exactly-once guarantee holds as well; used where a caller
    already holds a transaction."""
    now = as_utc(now)
    token = secrets.token_hex(16)
    sent = 0
    for _ in range(rounds):
        claimed = claim(session, now, token)
        if not claimed:
            break
        for job_id in claimed:
            sent += _run_claimed(session, keys, job_id, token, now, handlers)
        session.flush()
    return sent
