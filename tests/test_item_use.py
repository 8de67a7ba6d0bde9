"""How the child wants each item used in the meeting (issue 15 point 3), beside who may read
it: "får tas upp", "läses upp ordagrant" or "bara för samordnaren". The child sees the
choice in the summary, and the coordinator gets it with the item, signed and sealed."""
from __future__ import annotations

import json

import pytest

from tests.conftest import new_meeting, prepare_over_rest

pytestmark = pytest.mark.stack

ANSWERS = ("vi har roligt på fritids", "jag blir ledsen när de skriker", "en lugn plats",
           "varför byter ni lärare")


def texts(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies) -> list[dict]:
    return [b for r in replies for b in r.get("buttons") or []]


def use_button(replies, kind: str) -> dict:
    return next(b for b in buttons(replies) if b["payload"].startswith("/toggle_use")
                and f'"item": "{kind}"' in b["payload"])


def summary_item(replies, answer: str) -> str:
    return next(r["text"] for r in replies if f"«{answer}»" in (r.get("text") or ""))


def test_the_child_chooses_per_item_how_it_is_used_in_the_meeting_and_the_coordinator_gets_it(stack):
    meeting = new_meeting(stack)
    child, summary = prepare_over_rest(stack, meeting["child_code"], ANSWERS, approve=False)
    # Before any choice every item the coordinator sees says it may be brought up.
    assert "På mötet: får tas upp" in summary_item(summary, ANSWERS[1])

    offered = stack.say(child, "/choose_sharing")
    step = use_button(offered, "hard")
    assert "läses upp ordagrant" in step["title"]
    shown = stack.say(child, step["payload"])
    assert "På mötet: läses upp ordagrant" in summary_item(shown, ANSWERS[1])
    assert "På mötet: får tas upp" in summary_item(shown, ANSWERS[0])
    # Twice more: bara för samordnaren, then back to the start.
    stack.say(child, use_button(stack.say(child, "/choose_sharing"), "wish")["payload"])
    offered = stack.say(child, "/choose_sharing")
    shown = stack.say(child, use_button(offered, "wish")["payload"])
    assert "På mötet: bara för samordnaren, tas inte upp" in summary_item(shown, ANSWERS[2])

    # An item hidden from the coordinator has no meeting choice: nobody there has it.
    offered = stack.say(child, "/choose_sharing")
    hide = next(b["payload"] for b in buttons(offered) if "toggle_sharing" in b["payload"]
                and '"item": "good"' in b["payload"] and '"recipient": "coordinator"' in b["payload"])
    shown = stack.say(child, hide)
    assert "På mötet" not in summary_item(shown, ANSWERS[0])
    assert not any('"item": "good"' in b["payload"] for b in buttons(stack.say(child, "/choose_sharing"))
                   if b["payload"].startswith("/toggle_use"))

    stack.say(child, "/approve_summary")
    box = stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key", meeting["key_file"], "--json")
    assert box.returncode == 0, box.stderr
    items = {i["kind"]: i for i in json.loads(box.stdout)["statements"][0]["items"]}
    assert "good" not in items
    assert items["hard"]["use"] == "read_aloud"
    assert items["wish"]["use"] == "coordinator_only"
    assert items["question"]["use"] == "raise"
    dump = b"".join(p.read_bytes() for p in stack.var.glob("sipkompis.db*"))
    for answer in ANSWERS:
        assert answer.encode() not in dump
