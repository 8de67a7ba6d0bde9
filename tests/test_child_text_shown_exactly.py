"""The child approves exactly what they were shown: an answer is never read as template
syntax, whatever it contains (`{`, `0[`, `{answer}`, `%s`, emoji, control-free Unicode)."""
from __future__ import annotations

import json
import secrets

import pytest
from hypothesis import given, settings, strategies as st
from rasa_sdk.executor import CollectingDispatcher

from actions.common import responses, utter
from tests.conftest import new_meeting

TRICKY = ("mitt {svar} är 0[1] och {answer}", "{", "}{", "{0}", "{number}", "%s %(x)s", "{{dubbel}}")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_summary_item_shows_any_answer_exactly(answer):
    dispatcher = CollectingDispatcher()
    utter(dispatcher, "utter_summary_item", number=1, label="Det som är svårt", answer=answer,
          audience="samordnaren")
    assert dispatcher.messages[0]["text"] == f"1. Det som är svårt:\n«{answer}»\nSer det: samordnaren"


@pytest.mark.parametrize("answer", TRICKY)
def test_every_response_that_quotes_someone_shows_it_exactly(answer):
    for name, template in responses().items():
        if "{" not in template.get("text", ""):
            continue
        dispatcher = CollectingDispatcher()
        fields = [part.split("}")[0] for part in template["text"].split("{")[1:]]
        utter(dispatcher, name, **{field: answer for field in fields})
        assert dispatcher.messages[0]["text"].count(answer) >= len(set(fields)), name
        assert dispatcher.messages[0]["buttons"] == list(template.get("buttons") or []), name


@pytest.mark.stack
def test_summary_shows_braces_exactly_and_inbox_holds_the_same(stack):
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    stack.say(sender, "/start_preparation")
    answers = ("jag gillar {kod} och 0[1]", "det är {svårt}", "{answer}", "vad händer {sen}")
    for answer in answers:
        stack.say(sender, answer)
    summary = "\n".join(r.get("text") or "" for r in stack.say(sender, "/skip"))
    for answer in answers:
        assert f"«{answer}»" in summary
    stack.say(sender, "/approve_summary")
    result = stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key", meeting["key_file"], "--json")
    sent = [i["text"] for i in json.loads(result.stdout)["statements"][0]["items"]]
    assert sent == list(answers)
