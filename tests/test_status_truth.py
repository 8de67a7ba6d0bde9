"""Status says the truth, for every combination of recipients the child can choose: the
child is told who really got their words, the guardian reads "skickad" only when something
reached the coordinator, and the coordinator is told of a new preparation (and reads
"skickad" in their own list) only then."""
from __future__ import annotations

import json
import secrets

import pytest
import sqlalchemy

from tests.conftest import new_meeting

pytestmark = pytest.mark.stack

KINDS = ("good", "hard", "wish", "question")


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def payloads(replies):
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def coordinator_notices(stack, meeting_id: str) -> int:
    engine = sqlalchemy.create_engine(stack.env["SIPKOMPIS_DB_URL"], future=True)
    with engine.connect() as connection:
        count = connection.execute(sqlalchemy.text(
            "select count(*) from outbox where channel = 'coordinator' and kind = 'statement' "
            "and recipient = (select coordinator_id from meetings where id = :m)"), {"m": meeting_id}).scalar()
    engine.dispose()
    return count


@pytest.mark.parametrize("coordinator,guardians", [(True, False), (False, True), (True, True), (False, False)])
def test_status_names_the_real_recipients(stack, coordinator, guardians):
    meeting = new_meeting(stack)
    child = secrets.token_hex(8)
    stack.say(child, meeting["child_code"])
    stack.say(child, "/affirm")
    stack.say(child, "/start_preparation")
    for kind in KINDS:
        stack.say(child, f"svar-{kind}")
    stack.say(child, "/skip")
    for kind in KINDS:
        for recipient, wanted, default in (("coordinator", coordinator, True), ("guardians", guardians, False)):
            if wanted != default:
                offered = payloads(stack.say(child, "/choose_sharing"))
                toggle = [p for p in offered if f'"item": "{kind}"' in p and f'"recipient": "{recipient}"' in p]
                stack.say(child, toggle[0])
    stack.say(child, "/approve_summary")

    told = texts(stack.say(child, "/ask_status"))
    assert ("samordnaren" in told) == coordinator, told
    assert ("vårdnadshavare" in told) == guardians, told
    if not (coordinator or guardians):
        assert "ingen ska se" in told

    invite = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "guardian",
                                  "--name", "Anna Svensson", "--json").stdout)
    guardian = secrets.token_hex(8)
    stack.say(guardian, invite["code"])
    seen = texts(stack.say(guardian, "/ask_status"))
    assert ("klar och skickad" in seen) == coordinator, seen
    assert "Förberedelse: klar" in seen
    assert ("svar-good" in seen) == guardians

    assert coordinator_notices(stack, meeting["meeting_id"]) == (1 if coordinator else 0)
    # The coordinator's own list says "sent" and "unread" only when they got something.
    listed = json.loads(stack.cli("meeting", "list", "--coordinator", meeting["coordinator_id"],
                                  "--json").stdout)["meetings"]
    row = next(m for m in listed if m["meeting_id"] == meeting["meeting_id"])
    assert row["statement_sent"] == coordinator and row["unopened_by_coordinator"] == coordinator
