"""Reminders before the meeting (issue 13 part 2), on SQLite and PostgreSQL with the time
injected: 3 and 1 days before at the meeting's own clock time, right across the spring and
autumn clock changes, never in quiet hours, to the child and every guardian (also one
invited later), content-free with one "Öppna" button, moved by `meeting update`,
withdrawn by `meeting cancel`, and never to someone who paused messages."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.services import followups, reminders
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.models import Person
from tests.followup_world import NEW_MESSAGE, OPEN, world  # noqa: F401 - fixture

SECOND = timedelta(seconds=1)


def reminder_rows(world, chat: str) -> list[dict]:
    return [r for r in world.outbox(chat) if r["kind"] == "reminder"]


@pytest.mark.parametrize("meeting, expected", [
    # Monday 1 April 2030 09:30 CEST (07:30 UTC); summer time began Sunday 31 March.
    (datetime(2030, 4, 1, 7, 30), [datetime(2030, 3, 29, 8, 30),    # Fri 09:30 CET
                                   datetime(2030, 3, 31, 7, 30)]),  # Sun 09:30 CEST
    # Monday 28 October 2030 09:30 CET (08:30 UTC); winter time began Sunday 27 October.
    (datetime(2030, 10, 28, 8, 30), [datetime(2030, 10, 25, 7, 30),  # Fri 09:30 CEST
                                     datetime(2030, 10, 27, 8, 30)]),  # Sun 09:30 CET
], ids=["spring", "autumn"])
def test_reminders_come_at_the_meetings_local_time_across_a_clock_change(world, meeting, expected):
    family = world.family(meeting)
    late_guardian = world.guardian(family["meeting_id"], name="Bo Sen")  # invited after create
    world.link("late-guardian", world.code(late_guardian), channel="telegram")
    chats = [family["child_chat"], *family["guardian_chats"], "late-guardian"]
    for due in expected:
        assert world.run(due - SECOND) == 0
        assert world.run(due) == 1
        assert world.run(due + timedelta(minutes=5)) == 0  # nothing twice
    for chat in chats:
        rows = reminder_rows(world, chat)
        assert len(rows) == 2, chat
        for row in rows:
            assert row["text"] == NEW_MESSAGE
            assert row["buttons"] == [OPEN]


def test_a_reminder_that_would_fall_in_quiet_hours_comes_at_eight(world):
    # 07:00 Stockholm on Thursday 16 May 2030 (CEST): reminders at 08:00, not 07:00.
    family = world.family(datetime(2030, 5, 16, 5, 0))
    assert reminders.days() == [3, 1]
    assert world.run(datetime(2030, 5, 13, 5, 59)) == 0
    assert reminder_rows(world, family["child_chat"]) == []
    assert world.run(datetime(2030, 5, 13, 6, 0)) == 1
    assert world.run(datetime(2030, 5, 15, 6, 0)) == 1
    assert len(reminder_rows(world, family["child_chat"])) == 2


def test_a_runner_that_wakes_up_in_the_night_waits_for_the_morning(world):
    family = world.family(datetime(2030, 5, 20, 7, 30))  # Monday 09:30 CEST
    # The scheduler was down from Friday 09:30 until 23:30 Stockholm time: not now.
    assert world.run(datetime(2030, 5, 17, 21, 30)) == 0
    assert reminder_rows(world, family["child_chat"]) == []
    assert world.run(datetime(2030, 5, 18, 5, 59)) == 0  # 07:59 Saturday
    assert world.run(datetime(2030, 5, 18, 6, 0)) == 1   # 08:00 Saturday
    assert len(reminder_rows(world, family["child_chat"])) == 1


def test_the_reminder_days_are_configurable(world, monkeypatch):
    monkeypatch.setenv("SIPKOMPIS_REMINDER_DAYS", "7")
    family = world.family(datetime(2030, 5, 20, 7, 30))
    assert world.run(datetime(2030, 5, 13, 7, 29)) == 0
    assert world.run(datetime(2030, 5, 13, 7, 30)) == 1
    assert world.run(datetime(2030, 5, 17, 7, 30)) == 0  # not 3 days before
    assert world.run(datetime(2030, 5, 19, 7, 30)) == 0  # nor 1 day before
    assert len(reminder_rows(world, family["child_chat"])) == 1


def test_a_moved_meeting_moves_its_reminders(world):
    family = world.family(datetime(2030, 5, 20, 7, 30))
    world.update(family["meeting_id"], datetime(2030, 5, 27, 11, 0))  # a week later, 13:00
    assert world.run(datetime(2030, 5, 19, 7, 30)) == 0  # the old day-before time
    assert reminder_rows(world, family["child_chat"]) == []
    assert world.run(datetime(2030, 5, 24, 11, 0)) == 1
    assert world.run(datetime(2030, 5, 26, 11, 0)) == 1
    assert len(reminder_rows(world, family["child_chat"])) == 2


def test_a_cancelled_meeting_sends_no_reminders_nor_asks_for_an_outcome(world):
    family = world.family(datetime(2030, 5, 20, 7, 30))
    world.cancel(family["meeting_id"])
    for day in range(14, 26):
        assert world.run(datetime(2030, 5, day, 12, 0)) == 0
    assert reminder_rows(world, family["child_chat"]) == []
    assert world.coordinator_rows("outcome_missing") == []
    assert all(job.cancelled_at is not None for job in world.jobs(family["meeting_id"]))


def test_a_paused_person_gets_no_reminder_and_the_others_do(world):
    family = world.family(datetime(2030, 5, 20, 7, 30))
    with transaction(world.factory) as session:
        followups.pause(session, Keyring(session), session.get(Person, family["child_id"]))
    assert world.run(datetime(2030, 5, 17, 7, 30)) == 1
    assert reminder_rows(world, family["child_chat"]) == []
    assert len(reminder_rows(world, family["guardian_chats"][0])) == 1
    paused = world.coordinator_rows("paused")
    assert len(paused) == 1 and "pausat" in paused[0]["text"]
    with transaction(world.factory) as session:
        assert followups.note_activity(session, family["child_id"]) is True
        assert followups.note_activity(session, family["child_id"]) is False  # told once
    assert len(world.coordinator_rows("resumed")) == 1
    assert world.run(datetime(2030, 5, 19, 7, 30)) == 1
    assert len(reminder_rows(world, family["child_chat"])) == 1


def test_rest_chats_get_no_push_rows(world):
    """REST and terminal chats cannot show a notice by themselves: nothing piles up."""
    family = world.family(datetime(2030, 5, 20, 7, 30), channel="rest")
    assert world.run(datetime(2030, 5, 17, 7, 30)) == 0
    assert reminder_rows(world, family["child_chat"]) == []


def test_a_malformed_reminder_setting_is_refused_in_one_line(monkeypatch):
    monkeypatch.setenv("SIPKOMPIS_REMINDER_DAYS", "tre")
    with pytest.raises(ValueError, match="SIPKOMPIS_REMINDER_DAYS"):
        reminders.days()
