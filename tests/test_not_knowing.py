"""A child who answers "vet inte" gets examples, not their "vet inte" sent as their voice."""
from __future__ import annotations

import pytest

from actions.preparation import says_only_not_knowing
from tests.conftest import child_at_question, new_meeting

NOT_KNOWING = ("vet inte", "Vet inte!!", "jag vet inte riktigt", "ingen aning", "idk", "vet inteee",
               "har inte tänkt på det", "det vet jag inte", "i dont know", "kanske", "VET INTE",
               "jag kommer inte ihåg", "hmm vet inte", "vte inte")
ANSWERS_THAT_START_UNSURE = ("vet inte, kanske mer lugn på rasterna", "jag vet inte om jag vill byta skola",
                             "vet inte vad jag ska säga om mamma", "inget", "nej", "fotboll",
                             # answers to "Vad är svårt?" that the NLU once read as not knowing
                             "det är svårt", "det är {svårt}", "svårt att säga")


@pytest.mark.parametrize("text", NOT_KNOWING)
def test_a_message_that_only_says_vet_inte_is_recognised(text):
    assert says_only_not_knowing(text)


@pytest.mark.parametrize("text", ANSWERS_THAT_START_UNSURE)
def test_a_message_with_an_answer_in_it_is_an_answer(text):
    assert not says_only_not_knowing(text)


@pytest.mark.stack
def test_vet_inte_at_each_open_question_gets_examples_and_is_never_saved(stack):
    sender = child_at_question(stack, new_meeting(stack))
    unsure = ("vet inte", "ingen aning", "idk", "vet inteee")
    answers = ("min katt", "mattelektionerna", "mer lugn", "vad händer efter mötet")
    for number, (dont_know, answer) in enumerate(zip(unsure, answers), start=1):
        replies = [r.get("text") or "" for r in stack.say(sender, dont_know)]
        joined = "\n".join(replies)
        assert "Det gör inget att inte veta" in joined, (number, replies)
        assert replies[-1].startswith(f"Fråga {number} av 5"), replies
        next_question = "\n".join(r.get("text") or "" for r in stack.say(sender, answer))
        assert f"Fråga {number + 1} av 5" in next_question
    summary = "\n".join(r.get("text") or "" for r in stack.say(sender, "/skip"))
    for answer in answers:
        assert f"«{answer}»" in summary
    for dont_know in unsure:
        assert f"«{dont_know}»" not in summary


@pytest.mark.stack
def test_an_answer_that_begins_unsure_is_kept_as_written(stack):
    sender = child_at_question(stack, new_meeting(stack))
    replies = "\n".join(r.get("text") or "" for r in stack.say(sender, ANSWERS_THAT_START_UNSURE[0]))
    assert "Fråga 2 av 5" in replies and "Det gör inget att inte veta" not in replies
    for _ in range(3):
        stack.say(sender, "/skip")
    summary = "\n".join(r.get("text") or "" for r in stack.say(sender, "/skip"))
    assert f"«{ANSWERS_THAT_START_UNSURE[0]}»" in summary
