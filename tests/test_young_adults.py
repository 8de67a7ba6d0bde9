"""18-20-year-olds have no vårdnadshavare (issue 15 point 5): the bot must not offer to
share with guardians who do not exist, and explains the word where it is used."""
from __future__ import annotations

import pytest

from tests.conftest import new_meeting, prepare_over_rest

pytestmark = pytest.mark.stack


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons") or []]


def test_a_young_adult_is_never_offered_to_share_with_guardians(stack):
    meeting = new_meeting(stack, child_name="Noa Berg", extra=("--child-age", "19"))
    sender, _ = prepare_over_rest(stack, meeting["child_code"], approve=False)
    choose = stack.say(sender, "/choose_sharing")
    assert "vårdnadshavare" not in texts(choose).lower()
    assert not [b for b in buttons(choose) if "vårdnadshavare" in b["title"]]
    assert [b for b in buttons(choose) if "samordnare" in b["title"].lower()]
    # A typed payload naming guardians changes nothing: the summary it shows still has
    # the coordinator as the only reader.
    summary = stack.say(sender, '/toggle_sharing{"item": "good", "recipient": "guardians"}')
    assert "jag har en bra kompis" in texts(summary)
    assert "vårdnadshavare" not in texts(summary).lower()
    done = stack.say(sender, "/approve_summary")
    assert "vårdnadshavare" not in texts(done).lower()
    details = stack.say(sender, "läs mer")
    assert "vårdnadshavare" not in texts(details).lower()


def test_a_child_is_offered_guardians_and_told_what_the_word_means(stack):
    meeting = new_meeting(stack, extra=("--child-age", "12"))
    sender, _ = prepare_over_rest(stack, meeting["child_code"], approve=False)
    choose = stack.say(sender, "/choose_sharing")
    said = texts(choose)
    assert "Vårdnadshavare är" in said and "familjehem" in said
    assert [b for b in buttons(choose) if "vårdnadshavare" in b["title"]]
