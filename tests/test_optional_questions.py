"""Optional questions (issue 15 point 8): offered as buttons from the summary, never forced."""
from __future__ import annotations

import json

import pytest

from actions.phrases import label
from bot.services.statements import OPTIONAL_KINDS
from tests.conftest import new_meeting, prepare_over_rest

pytestmark = pytest.mark.stack


def _texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def _buttons(replies: list[dict]) -> dict[str, str]:
    return {b["title"]: b["payload"] for r in replies for b in (r.get("buttons") or [])}


def test_say_more_offers_every_optional_question_and_the_answer_is_sent_like_the_others(stack):
    meeting = new_meeting(stack)
    sender, summary = prepare_over_rest(stack, meeting["child_code"], approve=False)
    assert _buttons(summary).get("Säg mer") == "/add_more"
    offered = stack.say(sender, "/add_more")
    titles = _buttons(offered)
    for kind in OPTIONAL_KINDS:
        assert label(kind) in titles, kind
    assert "/review_summary" in titles.values()

    asked = stack.say(sender, titles[label("goal")])
    assert "mål" in _texts(asked) and "/skip" in _buttons(asked).values()
    shown = stack.say(sender, "att klara nian {och} 0[1]")
    assert f"{label('goal')}:\n«att klara nian {{och}} 0[1]»" in _texts(shown)
    assert "/approve_summary" in _buttons(shown).values()

    stack.say(sender, "/approve_summary")
    inbox = json.loads(stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key",
                                 meeting["key_file"], "--json").stdout)
    items = {i["kind"]: i["text"] for i in inbox["statements"][-1]["items"]}
    assert items["goal"] == "att klara nian {och} 0[1]"
    assert not set(items) & (set(OPTIONAL_KINDS) - {"goal"})


def test_an_optional_question_is_never_asked_unless_chosen_and_vet_inte_adds_nothing(stack):
    meeting = new_meeting(stack)
    sender, summary = prepare_over_rest(stack, meeting["child_code"], approve=False)
    for kind in OPTIONAL_KINDS:
        assert label(kind) not in _texts(summary)
    offered = _buttons(stack.say(sender, "/add_more"))
    stack.say(sender, offered[label("who_there")])
    shown = stack.say(sender, "vet inte")
    assert label("who_there") not in _texts(shown) and "/approve_summary" in _buttons(shown).values()
    stack.say(sender, offered[label("about_me")])
    shown = stack.say(sender, "/skip")
    assert label("about_me") not in _texts(shown) and "/approve_summary" in _buttons(shown).values()


def test_taking_part_takes_several_wishes_and_the_support_persons_name(stack):
    meeting = new_meeting(stack)
    sender, _ = prepare_over_rest(stack, meeting["child_code"], approve=False)
    offered = _buttons(stack.say(sender, "/add_more"))
    asked = _texts(stack.say(sender, offered[label("taking_part")]))
    for need in ("digitalt", "först eller sist", "pauser", "stopptecken", "stödperson"):
        assert need in asked
    wishes = "vara med digitalt, prata sist och ha med min stödperson Leila Ahmadi"
    shown = _texts(stack.say(sender, wishes))
    assert f"{label('taking_part')}:\n«{wishes}»" in shown
    stack.say(sender, "/approve_summary")
    inbox = json.loads(stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key",
                                 meeting["key_file"], "--json").stdout)
    assert [i["text"] for i in inbox["statements"][-1]["items"] if i["kind"] == "taking_part"] == [wishes]
