"""Notices the service sends on its own: escalation on a crisis (content-free, never to
guardians), and the child and guardians told when the meeting moves or is cancelled."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import REPO, new_meeting, start_stack, stop_stack

pytestmark = pytest.mark.stack

READ_OUTBOX = r'''
import json
from sqlalchemy import select
from bot.store.db import open_store
from bot.store.keyring import Keyring
from bot.store.models import OutboxMessage
rows = []
with open_store()() as session:
    keys = Keyring(session)
    for row in session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)):
        rows.append({"channel": row.channel, "recipient": row.recipient, "kind": row.kind,
                     **json.loads(keys.open("outbox", "payload_enc", row.id, row.payload_enc))})
print(json.dumps(rows, ensure_ascii=False))
'''


def outbox(stack) -> list[dict]:
    result = subprocess.run([sys.executable, "-c", READ_OUTBOX], cwd=REPO, capture_output=True,
                            text=True, env={**os.environ, **stack.env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def test_escalation_is_content_free_and_never_reaches_guardians(trained_model, tmp_path):
    running = start_stack(tmp_path / "var", {"SIPKOMPIS_ESCALATION": "coordinator",
                                             "SIPKOMPIS_ON_DUTY_CONTACT": "socialjouren"})
    try:
        meeting = new_meeting(running)
        guardian = json.loads(running.cli("invite", "--meeting", meeting["meeting_id"], "--role",
                                          "guardian", "--name", "Anna", "--json").stdout)
        guardian_chat = secrets.token_hex(8)
        running.say(guardian_chat, guardian["code"])
        child = secrets.token_hex(8)
        start = texts(running.say(child, meeting["child_code"]))
        assert "samordnare" in start and "signal" in start  # told before anything is asked
        running.say(child, "/affirm")
        words = "min styvpappa slår mig varje kväll"
        replies = running.say(child, words)
        assert "116 111" in texts(replies) and "signal" in texts(replies)
        rows = outbox(running)
        crisis = [r for r in rows if r["kind"] == "crisis"]
        assert {r["channel"] for r in crisis} == {"coordinator", "on_duty"}
        assert all("slår" not in r["text"] and "styvpappa" not in r["text"] for r in rows)
        assert not [r for r in rows if r["recipient"] == guardian_chat and r["kind"] == "crisis"]

        moved = running.cli("meeting", "update", "--meeting", meeting["meeting_id"], "--at",
                            "2030-05-22 13:00", "--json")
        assert moved.returncode == 0, moved.stderr
        running.cli("meeting", "cancel", "--meeting", meeting["meeting_id"], "--json")
        rows = outbox(running)
        for chat in (child, guardian_chat):
            told = [r["text"] for r in rows if r["recipient"] == chat]
            assert any("onsdag 22 maj 2030 kl. 13.00" in t for t in told)
            assert any("inställt" in t for t in told)
    finally:
        stop_stack(running)
