"""Honest receipts (issue 16 point 5): the child learns "samordnaren har läst" only once the
coordinator's own key opened the statement, and a statement left unopened for a working day
brings the coordinator one content-free reminder."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy

from bot.services.receipts import one_working_day_after
from bot.swedish_dates import STOCKHOLM, parse_local
from tests.conftest import new_meeting, prepare_over_rest

pytestmark = pytest.mark.stack

ANSWERS = ("jag tycker om fotboll", "läxorna är för många", "mindre läxor", "vem bestämmer")
READ = "Samordnaren har öppnat och läst"


def texts(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def prepared_and_sent(stack) -> tuple[dict, str]:
    meeting = new_meeting(stack)
    child, _told = prepare_over_rest(stack, meeting["child_code"], ANSWERS)
    return meeting, child


def unopened_reminders(stack, meeting_id: str) -> list[str]:
    engine = sqlalchemy.create_engine(stack.env["SIPKOMPIS_DB_URL"], future=True)
    with engine.connect() as connection:
        rows = connection.execute(sqlalchemy.text(
            "select id from outbox where channel = 'coordinator' and kind = 'statement_unopened' "
            "and recipient = (select coordinator_id from meetings where id = :m)"),
            {"m": meeting_id}).all()
    engine.dispose()
    return [r[0] for r in rows]


def run_due_later(stack, days: int = 4) -> int:
    # Midday, so quiet hours never hold the reminder back.
    later = (datetime.now(STOCKHOLM) + timedelta(days=days)).replace(hour=12, minute=0)
    result = stack.cli("followups", "run-due", "--now", later.isoformat(), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["sent"]


def test_the_child_hears_samordnaren_har_last_only_after_the_coordinator_opened_it(stack):
    meeting, child = prepared_and_sent(stack)
    assert READ not in texts(stack.say(child, "/ask_status"))
    opened = stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key", meeting["key_file"])
    assert opened.returncode == 0, opened.stderr
    told = texts(stack.say(child, "/ask_status"))
    assert READ in told and "samordnaren" in told


def test_a_statement_unopened_for_a_working_day_reminds_the_coordinator_once_without_content(stack):
    meeting, _child = prepared_and_sent(stack)
    assert unopened_reminders(stack, meeting["meeting_id"]) == []
    run_due_later(stack)
    assert len(unopened_reminders(stack, meeting["meeting_id"])) == 1
    run_due_later(stack, days=6)
    assert len(unopened_reminders(stack, meeting["meeting_id"])) == 1
    dump = b"".join(p.read_bytes() for p in stack.var.glob("sipkompis.db*"))
    for answer in ANSWERS:
        assert answer.encode() not in dump


def test_no_reminder_when_the_coordinator_already_opened_it(stack):
    meeting, _child = prepared_and_sent(stack)
    stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key", meeting["key_file"])
    run_due_later(stack)
    assert unopened_reminders(stack, meeting["meeting_id"]) == []


@pytest.mark.parametrize("approved,due", [
    ("2030-05-15 10:00", "2030-05-16 10:00"),  # Wednesday → Thursday
    ("2030-05-17 15:00", "2030-05-20 15:00"),  # Friday → Monday
    ("2030-05-18 11:00", "2030-05-20 11:00"),  # Saturday → Monday
])
def test_one_working_day_skips_the_weekend(approved, due):
    assert one_working_day_after(parse_local(approved)) == parse_local(due)
