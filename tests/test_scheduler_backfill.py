"""Meetings created before the scheduler existed (revision 0007), on SQLite and PostgreSQL:
once the store is migrated, their child is reminded before the meeting, the coordinator
is reminded when no outcome was recorded, an older outcome gets its check-in, and a
second start plans nothing twice."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from bot.services import followups, reminders
from bot.store.db import migrate, transaction
from tests.followup_world import NEW_MESSAGE, world  # noqa: F401 - fixture

MEETING = datetime(2030, 5, 20, 7, 30)  # Monday 09.30 Stockholm time


def as_before_the_scheduler(world, meeting_ids: list[str]) -> None:
    """What a store at revision 0005 looked like after 0006: no jobs for these meetings,
    outcomes without a check-in date."""
    with transaction(world.factory) as session:
        for meeting_id in meeting_ids:
            session.execute(text("DELETE FROM scheduled_jobs WHERE meeting_id = :m"), {"m": meeting_id})
            session.execute(text("UPDATE followups SET checkin_due_at = NULL WHERE meeting_id = :m"),
                            {"m": meeting_id})
        session.execute(text("UPDATE alembic_version SET version_num = '0006'"))


def restart(world) -> None:
    """A start on that store: revision 0007 runs; the schema changes of later revisions are
    already in these tables (the world was built at the newest schema), so those are only
    recorded, not run again."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    from bot.store.db import MIGRATIONS_DIR

    engine = world.factory.kw["bind"]
    with engine.connect() as connection:
        if MigrationContext.configure(connection).get_current_revision() != "0006":
            migrate(engine)
            return
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0007")
        command.stamp(cfg, "head")
        connection.commit()


def test_an_older_meeting_gets_its_reminders_and_the_coordinator_is_told_when_no_outcome(world):
    family = world.family(MEETING)
    as_before_the_scheduler(world, [family["meeting_id"]])
    assert world.jobs(family["meeting_id"]) == []
    restart(world)
    kinds = sorted(job.kind for job in world.jobs(family["meeting_id"]))
    assert kinds == sorted([reminders.KIND, reminders.KIND, followups.NO_OUTCOME])

    restart(world)  # a second start (or a second process) plans nothing twice
    assert len(world.jobs(family["meeting_id"])) == 3

    assert world.run(datetime(2030, 5, 17, 7, 30)) == 1  # three days before, 09.30
    assert [r["text"] for r in world.pushes(family["child_chat"])] == [NEW_MESSAGE]
    assert world.run(datetime(2030, 5, 22, 8, 0)) == 1  # two days after: no outcome yet
    assert [r["kind"] for r in world.coordinator_rows("outcome_missing")] == ["outcome_missing"]
    assert world.run(datetime(2030, 5, 22, 9, 0)) == 0


def test_an_older_outcome_gets_its_check_in_four_weeks_after_the_meeting(world):
    family = world.family(MEETING)
    world.outcome(family["meeting_id"], "Du får stöd varje vecka.", now=datetime(2030, 5, 20, 10, 0))
    assert world.run(datetime(2030, 5, 20, 10, 0)) == 1
    assert world.ready(family["child_id"]) is not None
    as_before_the_scheduler(world, [family["meeting_id"]])
    restart(world)
    checkins = [job for job in world.jobs(family["meeting_id"]) if job.kind == followups.CHECKIN]
    assert [job.due_at for job in checkins] == [datetime(2030, 6, 17, 8, 0)]  # 10.00 Stockholm
    assert not [job for job in world.jobs(family["meeting_id"]) if job.kind == followups.NO_OUTCOME]
    before = len(world.pushes(family["child_chat"]))
    assert world.run(datetime(2030, 6, 17, 8, 0)) == 1
    assert [r["kind"] for r in world.pushes(family["child_chat"])[before:]] == ["checkin"]
