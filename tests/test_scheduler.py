"""The scheduler in the database and what it runs after the meeting (issue 13 parts 1, 3,
5-8), on SQLite and PostgreSQL with the time injected: each item delivered exactly once by
two runners at the same time and across a runner dying between claim and send; the
outcome ready at the meeting's start whatever the hour while its notice waits out quiet
hours (right across both clock changes); guardians told the status and never the
content; the coordinator reminded when no outcome was recorded, and not when one was."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from bot.services import followups, scheduler
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.models import OutboxMessage, Person, ScheduledJob
from tests.conftest import REPO
from tests.followup_world import NEW_MESSAGE, READ, world  # noqa: F401 - fixture

MEETING = datetime(2030, 5, 20, 7, 30)  # Monday 20 May 2030 09:30 Stockholm (CEST)
AFTER = datetime(2030, 5, 20, 9, 0)     # 11:00 the same day
OUTCOME = "Du får prata med Omar varje vecka och skolan ordnar en lugn plats."
POINTS = [{"what": "Samtal om skolan", "who": "Omar, kurator", "when": "varje tisdag"},
          {"what": "Lugn plats på rasterna", "who": "Rektor Lind", "when": "från 1 juni"}]
SECRET_WORDS = ["Omar", "lugn plats", "Samtal om skolan", "tisdag", "Rektor Lind", "1 juni"]


def child_pushes(world, family, kind: str) -> list[dict]:
    return [r for r in world.outbox(family["child_chat"]) if r["kind"] == kind]


# --- exactly once -------------------------------------------------------------------

def test_two_runners_at_the_same_time_deliver_each_item_once(world):
    families = [world.family(MEETING + timedelta(minutes=20 * i), guardians=0, tag=str(i))
                for i in range(12)]
    for family in families:
        world.outcome(family["meeting_id"], OUTCOME, POINTS, now=MEETING - timedelta(days=1))
    start = threading.Barrier(2)
    totals: list[int] = []

    def runner():
        start.wait()
        # One claim at a time, so the two runners interleave item by item.
        totals.append(scheduler.run(world.factory, followups.HANDLERS, MEETING + timedelta(hours=5),
                                    limit=1))

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(totals) == 12, totals  # twelve outcomes; the reminders were long past
    for family in families:
        assert len(child_pushes(world, family, "followup")) == 1
        assert world.ready(family["child_id"]).text == OUTCOME
    assert world.run(MEETING + timedelta(hours=6)) == 0


CRASHING_RUNNER = r'''
import os, sys
from datetime import datetime
from bot.services import followups, scheduler
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
factory = open_store(sys.argv[1])
now = datetime.fromisoformat(sys.argv[2])
with transaction(factory) as session:
    claimed = scheduler.claim(session, now, "crashing-runner")
print(len(claimed), flush=True)
session = factory()
session.begin()
for job_id in claimed:
    scheduler._run_claimed(session, Keyring(session), job_id, "crashing-runner", now,
                           followups.HANDLERS)
session.flush()  # the outbox rows are written, but never committed:
os._exit(9)      # the process dies between claim and commit
'''


def test_a_runner_dying_between_claim_and_send_delays_the_item_but_never_doubles_it(world):
    family = world.family(MEETING, guardians=1)
    world.outcome(family["meeting_id"], OUTCOME, POINTS, now=MEETING - timedelta(days=1))
    died = subprocess.run([sys.executable, "-c", CRASHING_RUNNER, world.url, AFTER.isoformat()],
                          cwd=REPO, capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert died.returncode == 9, died.stderr
    assert int(died.stdout.strip()) >= 1
    assert world.outbox(family["child_chat"]) == []  # nothing of the dead runner's work
    assert world.ready(family["child_id"]) is None
    assert world.run(AFTER) == 0  # its claim still holds: nobody else takes it yet
    with transaction(world.factory) as session:  # the claim timeout passes
        session.execute(update(ScheduledJob).where(ScheduledJob.claim_token == "crashing-runner")
                        .values(claimed_at=ScheduledJob.claimed_at - scheduler.CLAIM_TIMEOUT
                                - timedelta(seconds=1)))
    assert world.run(AFTER) == 1
    assert len(child_pushes(world, family, "followup")) == 1
    assert len([r for r in world.outbox(family["guardian_chats"][0]) if r["kind"] == "status"]) == 1
    assert world.run(AFTER + timedelta(hours=1)) == 0


def test_a_slow_runner_whose_claim_was_taken_over_rolls_back(world):
    family = world.family(MEETING, guardians=0)
    world.outcome(family["meeting_id"], OUTCOME, now=MEETING - timedelta(days=1))
    with transaction(world.factory) as session:
        slow = scheduler.claim(session, AFTER, "slow")
    wall = datetime.utcnow() + scheduler.CLAIM_TIMEOUT + timedelta(seconds=1)
    with transaction(world.factory) as session:
        fast = scheduler.claim(session, AFTER, "fast", wall=wall)
    assert fast == slow and fast
    with transaction(world.factory) as session:
        for job_id in fast:
            scheduler._run_claimed(session, Keyring(session), job_id, "fast", AFTER, followups.HANDLERS)
    with transaction(world.factory) as session:
        assert all(scheduler.finish(session, job_id, "slow", AFTER) is None for job_id in slow)
    assert len(child_pushes(world, family, "followup")) == 1


def test_run_due_inside_a_callers_transaction_also_delivers_once(world):
    family = world.family(MEETING, guardians=0)
    with transaction(world.factory) as session:
        keys = Keyring(session)
        followups.record_outcome(session, keys, family["meeting_id"], OUTCOME, POINTS,
                                 now=MEETING - timedelta(days=1))
        assert followups.run_due(session, keys, AFTER) == 1
        assert followups.run_due(session, keys, AFTER) == 0
    assert world.run(AFTER) == 0
    assert len(child_pushes(world, family, "followup")) == 1


# --- the outcome: ready at once, the notice after quiet hours ---------------------------

def test_the_outcome_is_ready_for_the_childs_next_message_with_every_point(world):
    family = world.family(MEETING, guardians=0, channel="rest")
    followup_id, mode = world.outcome(family["meeting_id"], OUTCOME, POINTS,
                                      next_followup=date(2030, 6, 17), now=MEETING - timedelta(hours=2))
    assert mode == "new"
    assert world.run(MEETING - timedelta(minutes=1)) == 0
    assert world.ready(family["child_id"]) is None  # not before the meeting
    assert world.run(MEETING + timedelta(minutes=1)) == 1
    view = world.ready(family["child_id"])
    assert (view.followup_id, view.meeting_id, view.text) == (followup_id, family["meeting_id"], OUTCOME)
    assert view.points == POINTS and view.next_followup == date(2030, 6, 17)
    with transaction(world.factory) as session:
        followups.mark_outcome_shown(session, followup_id)
    assert world.ready(family["child_id"]) is None
    with world.factory() as session:
        again = followups.latest_outcome(session, Keyring(session), family["meeting_id"])
    assert again.text == OUTCOME and again.points == POINTS  # "read it again"
    assert world.ready(world.guardian(family["meeting_id"])) is None  # never for a guardian


def test_an_outcome_recorded_late_in_the_evening_is_ready_at_once_and_told_at_eight(world):
    # Saturday 30 March 2030, the night before summer time begins.
    meeting = datetime(2030, 3, 29, 9, 0)
    family = world.family(meeting, guardians=1)
    recorded = datetime(2030, 3, 30, 21, 30)  # 22:30 CET
    world.outcome(family["meeting_id"], OUTCOME, POINTS, now=recorded)
    assert world.run(recorded) == 1
    assert world.ready(family["child_id"]).text == OUTCOME  # readiness ignores quiet hours
    assert child_pushes(world, family, "followup") == []
    assert world.run(datetime(2030, 3, 31, 5, 59)) == 0  # 07:59 CEST
    assert child_pushes(world, family, "followup") == []
    assert world.run(datetime(2030, 3, 31, 6, 0)) == 1  # 08:00 CEST is 06:00 UTC
    pushes = child_pushes(world, family, "followup")
    assert [(p["text"], p["buttons"]) for p in pushes] == [(NEW_MESSAGE, [READ])]


def test_quiet_hours_end_at_eight_local_time_after_the_autumn_change(world):
    meeting = datetime(2030, 10, 25, 8, 0)
    family = world.family(meeting, guardians=0)
    recorded = datetime(2030, 10, 26, 21, 0)  # Saturday 23:00 CEST
    world.outcome(family["meeting_id"], OUTCOME, now=recorded)
    assert world.run(recorded) == 1
    assert world.run(datetime(2030, 10, 27, 6, 59)) == 0  # 07:59 CET
    assert child_pushes(world, family, "followup") == []
    assert world.run(datetime(2030, 10, 27, 7, 0)) == 1   # 08:00 CET is 07:00 UTC
    assert len(child_pushes(world, family, "followup")) == 1


def test_a_paused_child_gets_no_notice_but_the_outcome_waits_for_them(world):
    family = world.family(MEETING, guardians=0)
    with transaction(world.factory) as session:
        followups.pause(session, Keyring(session), session.get(Person, family["child_id"]))
    world.outcome(family["meeting_id"], OUTCOME, now=MEETING - timedelta(days=1))
    assert world.run(AFTER) == 1
    assert child_pushes(world, family, "followup") == []
    assert world.ready(family["child_id"]).text == OUTCOME
    with transaction(world.factory) as session:
        followups.note_activity(session, family["child_id"])
    assert not world.person(family["child_id"]).paused
    told = [r["text"] for r in world.coordinator_rows() if r["kind"] in ("paused", "resumed")]
    assert len(told) == 2 and not any("Alva" in t for t in told)


def test_a_second_outcome_replaces_an_unread_one_and_adds_to_a_read_one(world):
    family = world.family(MEETING, guardians=0)
    first, mode = world.outcome(family["meeting_id"], "Första versionen", now=MEETING - timedelta(days=1))
    assert mode == "new"
    second, mode = world.outcome(family["meeting_id"], OUTCOME, POINTS, now=MEETING - timedelta(hours=1))
    assert (second, mode) == (first, "replaced")
    assert world.run(AFTER) == 1
    assert world.ready(family["child_id"]).text == OUTCOME
    with transaction(world.factory) as session:
        followups.mark_outcome_shown(session, first)
    third, mode = world.outcome(family["meeting_id"], "Ett tillägg", now=AFTER + timedelta(days=1))
    assert mode == "added" and third != first
    assert world.run(AFTER + timedelta(days=1)) == 1
    assert world.ready(family["child_id"]).text == "Ett tillägg"
    assert len(child_pushes(world, family, "followup")) == 2


def test_the_check_in_is_ready_at_ten_on_the_next_follow_up_day(world):
    family = world.family(MEETING, guardians=0)
    followup_id, _ = world.outcome(family["meeting_id"], OUTCOME, now=MEETING - timedelta(days=1))
    assert world.run(AFTER) == 1
    check_in = datetime(2030, 6, 17, 8, 0)  # four weeks later, 10:00 CEST
    assert world.run(check_in - timedelta(seconds=1)) == 0
    with world.factory() as session:
        assert followups.ready_checkin(session, family["child_id"]) is None
    assert world.run(check_in) == 1
    with world.factory() as session:
        assert followups.ready_checkin(session, family["child_id"]) == followup_id
    assert len(child_pushes(world, family, "checkin")) == 1
    with transaction(world.factory) as session:
        followups.mark_checkin_shown(session, followup_id)
    with world.factory() as session:
        assert followups.ready_checkin(session, family["child_id"]) is None


# --- guardians and the coordinator ------------------------------------------------------

def test_guardians_get_the_status_and_never_the_content(world):
    family = world.family(MEETING, guardians=2)
    web_chat = "guardian-web"
    with world.factory() as session:
        guardian_id = session.scalars(select(Person.id).where(
            Person.meeting_id == family["meeting_id"], Person.role == "guardian")).first()
    world.link(web_chat, world.code(guardian_id), channel="web")
    world.outcome(family["meeting_id"], OUTCOME, POINTS, next_followup=date(2030, 6, 17),
                  now=MEETING - timedelta(days=1))
    for now in (AFTER, datetime(2030, 6, 17, 8, 0), datetime(2030, 7, 1, 8, 0)):
        world.run(now)
    for chat in [*family["guardian_chats"], web_chat]:
        rows = world.outbox(chat)
        assert [r["text"] for r in rows if r["kind"] == "status"] == [
            "Mötet har hållits. Nästa uppföljning: 17 juni."], chat
        everything = json.dumps(rows, ensure_ascii=False)
        assert OUTCOME not in everything
        assert not [word for word in SECRET_WORDS if word in everything], chat
    child_rows = json.dumps(child_pushes(world, family, "followup") + child_pushes(world, family, "checkin"),
                            ensure_ascii=False)
    assert not [word for word in SECRET_WORDS if word in child_rows]  # lock screens too


def test_the_coordinator_is_reminded_when_no_outcome_was_recorded(world):
    silent = world.family(MEETING, guardians=1, tag="a")
    recorded = world.family(MEETING, guardians=1, tag="b")
    world.outcome(recorded["meeting_id"], OUTCOME, now=AFTER)
    two_days = MEETING + timedelta(days=2)
    world.run(two_days - timedelta(minutes=1))
    assert world.coordinator_rows("outcome_missing") == []
    world.run(two_days)
    missing = world.coordinator_rows("outcome_missing")
    assert len(missing) == 1
    assert missing[0]["meeting_id"] == silent["meeting_id"]
    assert "outcome --meeting " + silent["meeting_id"] in missing[0]["text"]
    for chat in [silent["child_chat"], *silent["guardian_chats"]]:
        assert [r for r in world.outbox(chat) if r["kind"] == "outcome_missing"] == []
    world.run(two_days + timedelta(days=3))
    assert len(world.coordinator_rows("outcome_missing")) == 1  # once


def test_recording_the_outcome_late_cancels_the_coordinators_reminder(world):
    family = world.family(MEETING, guardians=0)
    world.outcome(family["meeting_id"], OUTCOME, now=MEETING + timedelta(days=1))
    assert world.run(MEETING + timedelta(days=3)) == 1  # the outcome only
    assert world.coordinator_rows("outcome_missing") == []


def test_outcomes_for_cancelled_and_erased_meetings_are_refused(world):
    import pytest

    from bot.services import erasure

    cancelled = world.family(MEETING, guardians=0, tag="c")
    world.cancel(cancelled["meeting_id"])
    with pytest.raises(followups.OutcomeRefused, match="cancelled"):
        world.outcome(cancelled["meeting_id"], OUTCOME)
    erased = world.family(MEETING, guardians=0, tag="e")
    world.outcome(erased["meeting_id"], OUTCOME, now=MEETING - timedelta(days=1))
    with transaction(world.factory) as session:
        erasure.forget(session, Keyring(session), erased["child_id"], actor="test")
    with pytest.raises(followups.OutcomeRefused, match="erased"):
        world.outcome(erased["meeting_id"], OUTCOME)
    assert world.run(AFTER) == 0
    with world.factory() as session:
        assert session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "followup")).all() == []
