"""The coordinator's `outcome`, `followups run-due` and `meeting list` as the contract
states them (DESIGN section 5), bad input answered in one clear line, and two `run-due`
processes at the same time delivering each item once, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from tests.conftest import REPO, run_cli
from tests.followup_world import NEW_MESSAGE, READ, world  # noqa: F401 - fixture


def ok(*args: str) -> dict:
    result = run_cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_line_error(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


@pytest.fixture
def meeting(coordinator):
    """A meeting made through the service (fast); the commands under test run as the CLI."""
    from bot.services import meetings
    from bot.store.db import open_store, transaction
    from bot.store.keyring import Keyring

    with transaction(open_store()) as session:
        created, child, _ = meetings.create(
            session, Keyring(session), coordinator_id=coordinator.id, child_name="Alva Svensson",
            starts_at=datetime(2030, 5, 20, 7, 30), place="Skolan", purpose="stöd i skolan",
            participants=[("Omar Haddad", "kurator")])
    return {"meeting_id": created.id, "child_id": child.id, "coordinator_id": coordinator.id}


def test_outcome_with_points_is_ready_after_run_due_and_listed_content_free(meeting):
    recorded = ok("outcome", "--meeting", meeting["meeting_id"], "--text", "Du får stöd varje vecka.",
                  "--point", "Samtal|Omar, kurator|varje tisdag",
                  "--point", "Lugn plats|rektorn|från 1 juni", "--next-followup", "2030-06-17")
    assert recorded["meeting_id"] == meeting["meeting_id"] and recorded["followup_id"]
    assert recorded["mode"] == "new" and recorded["points"] == 2
    assert recorded["next_followup"] == "måndag 17 juni 2030 kl. 10.00"
    assert ok("followups", "run-due", "--now", "2030-05-20T09:29:00+02:00") == {"sent": 0}
    assert ok("followups", "run-due", "--now", "2030-05-20T09:31:00+02:00") == {"sent": 1}
    assert ok("followups", "run-due", "--now", "2030-05-20T07:32:00") == {"sent": 0}  # naive = UTC
    listed = ok("meeting", "list")["meetings"][0]
    assert {k: listed[k] for k in ("meeting_id", "status", "prepared", "statement_sent",
                                   "outcome_recorded", "outcome_read", "followup_answered",
                                   "paused")} == {
        "meeting_id": meeting["meeting_id"], "status": "planned", "prepared": False,
        "statement_sent": False, "outcome_recorded": True, "outcome_read": False,
        "followup_answered": False, "paused": False}
    assert "preparation" in listed and "at" in listed
    human = run_cli("meeting", "list").stdout
    assert "beslut: ja" in human and "läst av barnet: nej" in human
    assert "Samtal" not in human and "stöd varje vecka" not in human


def test_a_second_outcome_says_that_it_replaced_the_unread_one(meeting):
    first = ok("outcome", "--meeting", meeting["meeting_id"], "--text", "Första")
    second = run_cli("outcome", "--meeting", meeting["meeting_id"], "--text", "Andra")
    assert second.returncode == 0 and "ersätter det förra" in second.stdout
    again = ok("outcome", "--meeting", meeting["meeting_id"], "--text", "Tredje")
    assert again["followup_id"] == first["followup_id"] and again["mode"] == "replaced"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """The same command line, in this process (fast): exit code, stdout, stderr."""
    from bot.cli.main import main

    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def in_one_line(capsys, code: int, args: list[str], *words: str) -> None:
    got, out, err = cli(capsys, *args)
    one_line_error(subprocess.CompletedProcess(args, got, out, err), code, *words)


def test_a_point_without_three_parts_is_one_line_and_exit_2(meeting, capsys):
    for point in ["Samtal|Omar", "Samtal||varje vecka", "a|b|c|d", "||", "Samtal", "|Omar|idag"]:
        in_one_line(capsys, 2, ["outcome", "--meeting", meeting["meeting_id"], "--text", "Beslut",
                                "--point", point], "WHAT|WHO|WHEN")
    assert cli(capsys, "meeting", "list", "--json")[1].count('"outcome_recorded": false') == 1


def test_a_now_that_is_not_iso_8601_is_one_line_and_exit_2(isolated_env, capsys):
    for now in ["imorgon", "2030-13-01T10:00", "20.5.2030 10:00", " ", "2030-05-21T25:00"]:
        in_one_line(capsys, 2, ["followups", "run-due", "--now", now], "ISO 8601")


def test_any_iso_8601_now_is_accepted(isolated_env, capsys):
    for now in ["2030-05-21T10:00:00Z", "2030-05-21T12:00:00+02:00", "2030-05-21 10:00",
                "20300521T1000Z", "2030-05-21", "2030-05-21T10:00:00.250+00:00"]:
        code, out, err = cli(capsys, "followups", "run-due", "--now", now, "--json")
        assert (code, json.loads(out)) == (0, {"sent": 0}), (now, err)


def test_a_bad_next_follow_up_date_is_one_line(meeting, capsys):
    in_one_line(capsys, 2, ["outcome", "--meeting", meeting["meeting_id"], "--text", "B",
                            "--next-followup", "17/6"], "--next-followup")
    in_one_line(capsys, 1, ["outcome", "--meeting", meeting["meeting_id"], "--text", "B",
                            "--next-followup", "2030-05-01"], "after the meeting")


def test_outcomes_for_cancelled_erased_or_unknown_meetings_are_refused_in_one_line(meeting, capsys):
    assert cli(capsys, "meeting", "cancel", "--meeting", meeting["meeting_id"])[0] == 0
    in_one_line(capsys, 1, ["outcome", "--meeting", meeting["meeting_id"], "--text", "B"], "cancelled")
    code, out, _ = cli(capsys, "meeting", "create", "--coordinator", meeting["coordinator_id"],
                       "--child-name", "Bo", "--at", "2030-05-21 09:30", "--place", "Skolan",
                       "--purpose", "stöd", "--json")
    other = json.loads(out)
    assert cli(capsys, "forget", "--person", other["child_id"])[0] == 0
    in_one_line(capsys, 1, ["outcome", "--meeting", other["meeting_id"], "--text", "B"], "erased")
    in_one_line(capsys, 1, ["outcome", "--meeting", "nosuchmeeting", "--text", "B"], "unknown meeting")


def test_two_run_due_processes_at_the_same_time_deliver_each_item_once(world):
    start = datetime(2030, 5, 20, 7, 0)
    families = [world.family(start + timedelta(minutes=10 * i), guardians=1, tag=str(i))
                for i in range(10)]
    for family in families:
        world.outcome(family["meeting_id"], "Beslut", now=start - timedelta(days=1))
    env = {**os.environ, "SIPKOMPIS_DB_URL": world.url}
    command = [sys.executable, "-m", "bot", "followups", "run-due", "--now", "2030-05-20T12:00:00Z", "--json"]
    runners = [subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [runner.communicate(timeout=300) for runner in runners]
    assert all(runner.returncode == 0 for runner in runners), results
    assert sum(json.loads(out)["sent"] for out, _err in results) == 10
    for family in families:
        pushes = [r for r in world.outbox(family["child_chat"]) if r["kind"] == "followup"]
        assert [(p["text"], p["buttons"]) for p in pushes] == [(NEW_MESSAGE, [READ])]
        status = [r for r in world.outbox(family["guardian_chats"][0]) if r["kind"] == "status"]
        assert len(status) == 1
