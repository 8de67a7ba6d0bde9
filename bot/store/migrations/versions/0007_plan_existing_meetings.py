"""meetings created before the scheduler existed get their jobs: the reminders still ahead,
the coordinator's "no outcome yet" reminder, and a check-in for outcomes recorded then

Revision 0006 gave outcomes that were still waiting their job, but a meeting planned
before it had no reminders and no "no outcome" job, and its outcomes no check-in, so the
child of such a meeting was never reminded and never asked how it went. `meeting create`
plans these for every new meeting; this plans them once for the older ones. It runs
under the migration lock (bot/store/db.py), so two processes never plan a meeting twice.

Plain SQL over the columns of revision 0006 (not the ORM models, which follow the newest
schema); the times come from the same pure functions the scheduler uses.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _naive(value):
    # SQLite hands back strings for DateTime through a plain connection.
    from datetime import datetime

    return datetime.fromisoformat(value) if isinstance(value, str) else value


def upgrade() -> None:
    from bot.services import followups, reminders, scheduler
    from bot.store.models import new_id, utcnow
    from bot.swedish_dates import to_local

    bind = op.get_bind()
    now = utcnow()
    jobs = sa.table('scheduled_jobs', sa.column('id'), sa.column('kind'), sa.column('meeting_id'),
                    sa.column('followup_id'), sa.column('due_at'), sa.column('attempts'),
                    sa.column('created_at'))
    rows = []

    def job(kind: str, meeting_id: str, due_at, followup_id=None) -> None:
        rows.append({"id": new_id(), "kind": kind, "meeting_id": meeting_id,
                     "followup_id": followup_id, "due_at": due_at, "attempts": 0,
                     "created_at": now})

    unplanned = bind.execute(sa.text(
        "SELECT id, starts_at FROM meetings WHERE status = 'planned' AND key_id IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM scheduled_jobs j WHERE j.meeting_id = meetings.id"
        "   AND j.kind IN (:reminder, :no_outcome))"),
        {"reminder": reminders.KIND, "no_outcome": followups.NO_OUTCOME}).all()
    for meeting_id, starts_at in unplanned:
        starts_at = _naive(starts_at)
        for days_before in reminders.days():
            due = reminders.due_time(starts_at, days_before)
            if now < due < starts_at:
                job(reminders.KIND, meeting_id, due)
        has_outcome = bind.execute(sa.text("SELECT 1 FROM followups WHERE meeting_id = :m"),
                                   {"m": meeting_id}).first()
        if has_outcome is None:
            job(followups.NO_OUTCOME, meeting_id, starts_at + followups.NO_OUTCOME_AFTER)

    without_checkin = bind.execute(sa.text(
        "SELECT f.id, f.meeting_id, m.starts_at FROM followups f JOIN meetings m ON m.id = f.meeting_id"
        " WHERE f.checkin_due_at IS NULL AND m.status = 'planned' AND m.key_id IS NOT NULL")).all()
    for followup_id, meeting_id, starts_at in without_checkin:
        day = to_local(_naive(starts_at) + followups.CHECKIN_AFTER).date()
        due = scheduler.local_wall_time(day, followups.CHECKIN_AT)
        bind.execute(sa.text("UPDATE followups SET checkin_due_at = :due WHERE id = :id"),
                     {"due": due, "id": followup_id})
        job(followups.CHECKIN, meeting_id, due, followup_id)

    if rows:
        op.bulk_insert(jobs, rows)


def downgrade() -> None:
    # The jobs are ordinary rows by now (some delivered); nothing to undo in the schema.
    pass

