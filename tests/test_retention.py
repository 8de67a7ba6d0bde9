"""Retention is enforced (issue 12 defect 3), on SQLite and PostgreSQL: meetings erased
SIPKOMPIS_RETENTION_DAYS after the meeting or its last follow-up, the child's words
dropped once the follow-up is over, idle unlinked chats erased; and `serve`'s scheduler
runs it, surviving runs that fail."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.crypto.keyfile import read_key_file
from bot.services import retention, statements
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.models import Conversation, Delivery, FollowUp, Meeting, Person, new_id, utcnow
from tests.conftest import REPO, run_cli
from tests.erasure_world import World

SECRET = "jag vill inte att någon vet om pappas flaska"
MEETING = datetime(2030, 5, 20, 7, 30)  # UTC


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request, isolated_env, tmp_path, monkeypatch):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("SIPKOMPIS_DB_URL", url)
    else:
        url = os.environ["SIPKOMPIS_DB_URL"]
    return World(url, tmp_path / "keys")


def run(world: World, now: datetime, days: int = 90) -> dict:
    with transaction(world.factory) as session:
        return retention.run_due(session, Keyring(session), now, retention_days=days)


def prepared(world: World):
    meeting_id, child_id = world.meeting(at=MEETING)
    world.link("chat-child", world.code(child_id))
    world.say("chat-child", SECRET)
    world.approve(child_id, {"good": "musik", "hard": SECRET})
    assert world.can_read(SECRET)
    return meeting_id, child_id


def inbox(world: World) -> list:
    private, header = read_key_file(world.coordinator.key_file, "test-passphrase")
    with transaction(world.factory) as session:
        return statements.inbox(session, Keyring(session), coordinator_id=world.coordinator.id,
                                private_key=private, verify_key=header["service_verify_key"])


def test_meeting_is_erased_when_the_retention_period_after_it_ends(world):
    meeting_id, child_id = prepared(world)
    assert run(world, MEETING + timedelta(days=89))["erased_meetings"] == 0
    assert world.can_read("Alva")
    result = run(world, MEETING + timedelta(days=90, minutes=1))
    assert result["erased_meetings"] == 1
    world.assert_unreadable(SECRET, "Alva", "musik", "Skolans konferensrum", "Omar")
    assert world.tracker_text("chat-child") == ""
    with world.factory() as session:
        assert session.get(Meeting, meeting_id) is None
        assert session.get(Person, child_id) is None
    assert inbox(world) == []
    assert run(world, MEETING + timedelta(days=200))["erased_meetings"] == 0  # nothing twice


def test_a_later_follow_up_extends_the_period(world):
    meeting_id, _ = prepared(world)
    with transaction(world.factory) as session:
        meeting = session.get(Meeting, meeting_id)
        row = FollowUp(id=new_id(), meeting_id=meeting_id, outcome_enc=b"",
                       due_at=MEETING + timedelta(days=30))
        row.outcome_enc = Keyring(session).seal(meeting.key_id, "followups", "outcome_enc", row.id, "beslut")
        session.add(row)
    assert run(world, MEETING + timedelta(days=100))["erased_meetings"] == 0
    assert run(world, MEETING + timedelta(days=121))["erased_meetings"] == 1


def test_after_the_follow_up_only_what_is_sealed_to_the_coordinator_remains(world):
    meeting_id, child_id = prepared(world)
    assert run(world, MEETING + timedelta(days=13))["minimised_meetings"] == 0
    result = run(world, MEETING + timedelta(days=15))
    assert result["minimised_meetings"] == 1 and result["erased_meetings"] == 0
    # A stolen database with the master key now shows nothing the child wrote ...
    world.assert_unreadable(SECRET, "musik")
    assert world.tracker_text("chat-child") == ""
    # ... while the coordinator still opens the statement with their own key, the child is
    # still linked, and the meeting still counts as prepared.
    opened = inbox(world)
    assert [i["text"] for i in opened[0].items] == ["musik", SECRET]
    with world.factory() as session:
        assert session.get(Conversation, "chat-child").person_id == child_id
        assert session.scalars(select(Delivery)).all()
        from bot.services.meetings import preparation_status

        assert preparation_status(session, meeting_id) == "klar och skickad"
    assert run(world, MEETING + timedelta(days=16))["minimised_meetings"] == 0  # once


def test_unlinked_chats_idle_for_30_days_are_erased(world):
    world.say("chat-anon", SECRET)
    _, child_id = world.meeting(at=MEETING)
    world.link("chat-linked", world.code(child_id))
    world.say("chat-linked", "hej")
    now = utcnow()
    assert run(world, now + timedelta(days=29))["erased_conversations"] == 0
    result = run(world, now + timedelta(days=31))
    assert result["erased_conversations"] == 1
    world.assert_unreadable(SECRET)
    assert world.conversation("chat-anon") is None
    assert world.conversation("chat-linked").person_id == child_id


def test_erased_skeletons_and_plumbing_rows_are_purged(world):
    from bot.services import erasure
    from bot.store.models import OutboxMessage

    meeting_id, child_id = prepared(world)
    with transaction(world.factory) as session:
        erasure.forget(session, Keyring(session), child_id, actor="test")
    with world.factory() as session:
        assert session.get(Meeting, meeting_id).status == "erased"
        assert session.scalars(select(OutboxMessage)).all()  # the coordinator's notices
    later = MEETING + timedelta(days=400)
    result = run(world, later)
    assert result["erased_meetings"] == 0  # its content was erased already; the bare row goes
    with world.factory() as session:
        assert session.get(Meeting, meeting_id) is None
        assert session.get(Conversation, "chat-child") is None
        assert session.scalars(select(OutboxMessage)).all() == []


# --- the command ------------------------------------------------------------------------

def test_retention_command_prints_the_contract_and_refuses_a_bad_time(tmp_path):
    def cli(*args):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    coordinator = cli("coordinator", "add", "--name", "Sara", "--key-out", str(tmp_path / "k"), "--json")
    meeting = cli("meeting", "create", "--coordinator", coordinator["coordinator_id"], "--child-name",
                  "Alva", "--at", "2030-05-20 09:30", "--place", "Skolan", "--purpose", "stöd", "--json")
    before = cli("retention", "run-due", "--now", "2030-08-18T07:00:00Z", "--json")
    assert before["erased_meetings"] == 0
    after = cli("retention", "run-due", "--now", "2030-08-18T08:00:00+00:00", "--json")
    assert after["erased_meetings"] == 1
    listed = cli("meeting", "list", "--json")["meetings"]
    assert meeting["meeting_id"] not in [m["meeting_id"] for m in listed]
    readable = run_cli("retention", "run-due", "--now", "2030-08-18T08:00:00Z")
    assert readable.returncode == 0 and "möte" in readable.stdout
    for bad in ("imorgon", "2030-13-01"):
        refused = run_cli("retention", "run-due", "--now", bad)
        assert refused.returncode != 0 and "Traceback" not in refused.stderr
        assert refused.stderr.strip().startswith("error:") and len(refused.stderr.strip().splitlines()) == 1


# --- the scheduler ------------------------------------------------------------------------

def due_followup(world: World) -> str:
    meeting_id, child_id = world.meeting(at=MEETING)
    world.link("chat-child", world.code(child_id))
    with transaction(world.factory) as session:
        meeting = session.get(Meeting, meeting_id)
        row = FollowUp(id=new_id(), meeting_id=meeting_id, outcome_enc=b"", due_at=utcnow() - timedelta(minutes=1))
        row.outcome_enc = Keyring(session).seal(meeting.key_id, "followups", "outcome_enc", row.id, "beslut")
        session.add(row)
        from bot.services import followups, scheduler

        scheduler.schedule(session, followups.OUTCOME, meeting_id, row.due_at, followup_id=row.id)
    return row.id


def test_a_failing_run_is_logged_without_content_and_retried_next_tick(world, caplog):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from bot.stack import scheduler

    followup_id = due_followup(world)
    broken = sessionmaker(bind=create_engine("postgresql://nobody@127.0.0.1:1/none", future=True), future=True)
    state = scheduler.State()
    failed = scheduler.tick(broken, state, utcnow())
    assert set(failed) == {"followups", "retention", "erased_chats"}
    assert state.last_retention is None  # so the next tick tries retention again
    assert "nobody" not in caplog.text and "127.0.0.1" not in caplog.text
    assert scheduler.tick(world.factory, state, utcnow()) == {}
    assert state.last_retention is not None
    with world.factory() as session:
        assert session.get(FollowUp, followup_id).ready_at is not None


def test_the_scheduler_process_delivers_due_follow_ups_and_stops_cleanly(isolated_env, tmp_path):
    world = World(os.environ["SIPKOMPIS_DB_URL"], tmp_path / "keys")
    followup_id = due_followup(world)
    ready = isolated_env / "run" / "scheduler.ready"
    process = subprocess.Popen([sys.executable, "-m", "bot.stack.scheduler", "--ready-file", str(ready),
                                "--tick", "1"], cwd=REPO, env=dict(os.environ),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        sent = None
        while time.monotonic() < deadline and sent is None:
            time.sleep(0.5)
            with world.factory() as session:
                sent = session.get(FollowUp, followup_id).ready_at
        assert sent is not None and ready.exists()
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    assert "beslut" not in output
