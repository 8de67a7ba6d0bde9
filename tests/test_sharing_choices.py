"""The child's choices on the summary are kept, in every order and any number of times.

A model of what the child chose (answers and who sees each) is walked through every ordered
pair of summary actions and every button pressed twice, over the REST channel of a real
`serve`. After each step the summary shown must equal the model; every approval's sealed
version read back with `inbox` and the guardian's view must hold exactly what the summary
showed when the child pressed "Skicka".
"""
from __future__ import annotations

import itertools
import json
import re
import secrets

import pytest
import yaml

from tests.conftest import REPO, new_meeting

pytestmark = pytest.mark.stack

KINDS = ("good", "hard", "wish", "question", "participation")
PHRASES = yaml.safe_load((REPO / "actions" / "phrases.yml").read_text(encoding="utf-8"))
LABELS = PHRASES["labels"]
ITEM = re.compile(r"^\d+\. (?P<label>[^:\n]+):\n«(?P<text>.*)»\nSer det: (?P<audience>.+)$", re.S)


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def payloads(replies):
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def shown_items(replies) -> dict[str, tuple[str, bool, bool]]:
    """kind -> (text, coordinator sees, guardians see), parsed from the summary as shown."""
    by_label = {v: k for k, v in LABELS.items()}
    items = {}
    for reply in replies:
        match = ITEM.match(reply.get("text") or "")
        if match:
            audience = match["audience"]
            items[by_label[match["label"]]] = (match["text"], PHRASES["audience"]["coordinator"] in audience,
                                               PHRASES["audience"]["guardians"] in audience)
    return items


class Child:
    """The conversation and the model of what it should hold."""

    def __init__(self, stack, meeting):
        self.stack, self.meeting = stack, meeting
        self.sender = secrets.token_hex(8)
        self.answers = {"good": "bra-grej-1", "hard": "svar-grej-1", "wish": "onskan-1",
                        "question": "fragan-1", "participation": PHRASES["participation"]["whole"]}
        self.sharing = {k: [True, False] for k in KINDS}
        # One entry per sealed version: an approval with nothing changed since the standing
        # version seals none (a retried turn or an old Skicka button must not send it twice).
        self.approved: list[dict[str, tuple[str, bool, bool]]] = []
        self.changed = True  # nothing sealed yet
        self.edits = itertools.count(2)

    def say(self, message):
        return self.stack.say(self.sender, message)

    def expected(self) -> dict[str, tuple[str, bool, bool]]:
        return {k: (t, *self.sharing[k]) for k, t in self.answers.items() if t is not None}

    def check_summary(self, replies, step):
        assert shown_items(replies) == self.expected(), f"after {step}: {texts(replies)}"
        shown = payloads(replies)
        assert "/approve_summary" in shown, step

    def prepare(self):
        self.say(self.meeting["child_code"])
        self.say("/affirm")
        self.say("/start_preparation")
        for kind in ("good", "hard", "wish", "question"):
            self.say(self.answers[kind])
        self.check_summary(self.say('/choose_participation{"participation": "whole"}'), "preparing")

    def pick(self, shown: list[str], intent: str, **entities) -> str:
        wanted = [p for p in shown if p.startswith(f"/{intent}")
                  and all(json.loads(p[len(intent) + 1:]).get(k) == v for k, v in entities.items())]
        assert len(wanted) == 1, (intent, entities, shown)
        return wanted[0]

    # The operations a child can do on the summary, each by pressing the buttons offered.
    def toggle(self, kind, recipient):
        offered = payloads(self.say("/choose_sharing"))
        replies = self.say(self.pick(offered, "toggle_sharing", item=kind, recipient=recipient))
        index = 0 if recipient == "coordinator" else 1
        self.sharing[kind][index] = not self.sharing[kind][index]
        self.changed = True
        self.check_summary(replies, f"toggle {kind} {recipient}")

    def remove(self, kind, stale: str | None = None):
        if stale is None:
            offered = payloads(self.say("/change_answer"))
            stale = self.pick(offered, "remove_item", item=kind)
        replies = self.say(stale)  # a second press of the same button removes nothing more
        self.answers[kind] = None
        self.changed = True
        self.check_summary(replies, f"remove {kind}")
        return stale

    def edit(self, kind):
        offered = payloads(self.say("/change_answer"))
        asked = self.say(self.pick(offered, "edit_item", item=kind))
        if kind == "participation":
            choice = "part" if self.answers[kind] != PHRASES["participation"]["part"] else "whole"
            replies = self.say(self.pick(payloads(asked), "choose_participation", participation=choice))
            self.answers[kind] = PHRASES["participation"][choice]
        else:
            new = f"nytt-{kind}-{next(self.edits)}"
            replies = self.say(new)
            self.answers[kind] = new
        self.changed = True
        self.check_summary(replies, f"edit {kind}")

    def review(self):
        self.check_summary(self.say("/review_summary"), "review")

    def approve(self):
        said = texts(self.say("/approve_summary"))
        expected = self.expected()
        if self.changed:
            self.approved.append(expected)
        self.changed = False
        for index, word in ((1, "Skickat till samordnaren"), (2, "Dina vårdnadshavare")):
            line = next((x for x in said.splitlines() if x.startswith(word)), "")
            got = [LABELS[k] for k in KINDS if k in expected and expected[k][index]]
            others = [LABELS[k] for k in KINDS if k in expected and not expected[k][index]]
            assert all(label in line for label in got), said
            assert not any(label in line for label in others), said


def present(child) -> list[str]:
    return [k for k in KINDS if child.answers[k] is not None]


def absent(child) -> list[str]:
    return [k for k in KINDS if child.answers[k] is None]


def run(child, op: str, turn: int):
    """Do one operation of kind `op`, choosing an item the child can act on."""
    here = present(child)
    if op == "toggle_coordinator":
        child.toggle(here[turn % len(here)], "coordinator")
    elif op == "toggle_guardians":
        child.toggle(here[turn % len(here)], "guardians")
    elif op == "remove":
        if len(here) > 1:
            child.remove(here[turn % len(here)])
        else:
            child.edit(absent(child)[0])
    elif op == "edit":
        gone = absent(child)
        child.edit(gone[0] if gone else here[turn % len(here)])
    elif op == "review":
        child.review()
    elif op == "approve":
        child.approve()


OPS = ("toggle_coordinator", "toggle_guardians", "remove", "edit", "review", "approve")


def inbox(stack, meeting) -> list[dict]:
    result = stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key", meeting["key_file"], "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["statements"]


def guardian_view(stack, meeting) -> str:
    invite = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "guardian",
                                  "--name", "Anna Svensson", "--json").stdout)
    sender = secrets.token_hex(8)
    stack.say(sender, invite["code"])
    return texts(stack.say(sender, "/ask_status"))


def test_every_pair_of_summary_choices_is_kept_and_sent_as_last_shown(stack):
    meeting = new_meeting(stack)
    child = Child(stack, meeting)
    child.prepare()
    turn = 0
    for first, second in itertools.product(OPS, repeat=2):
        for op in (first, second):
            run(child, op, turn)
            turn += 1
    # Every single button pressed twice in a row.
    for kind in KINDS:
        for recipient in ("coordinator", "guardians"):
            child.toggle(kind, recipient)
            child.toggle(kind, recipient)
    for kind in KINDS:
        if kind in absent(child):
            child.edit(kind)
        child.edit(kind)
        child.edit(kind)
        if len(present(child)) > 1:
            child.remove(kind, stale=child.remove(kind))
    # End with a choice that differs from the defaults, then send.
    keep = present(child)[0]
    if not child.sharing[keep][1]:
        child.toggle(keep, "guardians")
    child.approve()

    sealed = inbox(stack, meeting)
    assert len(sealed) == len(child.approved)
    for version, expected in zip(sealed, child.approved):
        got = {item["kind"]: item["text"] for item in version["items"]}
        assert got == {k: v[0] for k, v in expected.items() if v[1]}, version["version"]

    seen = guardian_view(stack, meeting)
    last = child.approved[-1]
    for kind in KINDS:
        said = f"{LABELS[kind]}: «"
        if kind in last and last[kind][2]:
            assert f"{said}{last[kind][0]}»" in seen
        else:
            assert said not in seen

    gaps = [line for line in stack.logs().splitlines() if "dialogue gap" in line]
    assert not gaps, gaps[:5]


def test_hide_then_share_another_then_send_keeps_the_hidden_item_hidden(stack):
    """The reported case: hide "svårt" from the coordinator, then share "bra" with guardians."""
    meeting = new_meeting(stack)
    child = Child(stack, meeting)
    child.prepare()
    child.toggle("hard", "coordinator")
    child.toggle("good", "guardians")
    child.approve()
    sent = {item["kind"]: item["text"] for item in inbox(stack, meeting)[0]["items"]}
    assert "hard" not in sent and sent["good"] == "bra-grej-1"
    assert "bra-grej-1" in guardian_view(stack, meeting)


def test_changes_after_sending_are_flagged_until_sent_again(stack):
    meeting = new_meeting(stack)
    child = Child(stack, meeting)
    child.prepare()
    child.approve()
    changed = child.say("/choose_sharing")
    replies = child.say(child.pick(payloads(changed), "toggle_sharing", item="wish", recipient="coordinator"))
    assert "förra versionen" in texts(replies)
    child.say("/approve_summary")
    assert "förra versionen" not in texts(child.say("/review_summary"))
    versions = inbox(stack, meeting)
    assert [v["version"] for v in versions] == [1, 2]
    assert "wish" in {i["kind"] for i in versions[0]["items"]}
    assert "wish" not in {i["kind"] for i in versions[1]["items"]}
