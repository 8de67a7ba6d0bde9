"""The child's first minute (issue 15 points 1, 2 and 13): a short, honest opening with the
essentials before the first choice, and everything else one typed "läs mer" away."""
from __future__ import annotations

import secrets

import pytest

from tests.conftest import new_meeting

pytestmark = pytest.mark.stack


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def opened(stack) -> tuple[str, list[dict]]:
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, "hej")
    return sender, stack.say(sender, meeting["child_code"])


def test_the_opening_is_short_and_says_the_essentials_before_the_first_choice(stack):
    _, replies = opened(stack)
    said = texts(replies)
    # Was 6-7 bubbles and about 170 words: a child on a phone scrolled past all of it.
    assert len(replies) <= 4, said
    assert len(said.split()) <= 90, said
    assert "chattbot" in said and "ingen människa" in said
    assert "Inget skickas utan ditt ja" in said
    assert "vem som får se" in said
    assert "i fara" in said and "nummer att ringa" in said
    # The duty to report is said before the child agrees to anything.
    assert "socialtjänsten" in said
    assert payloads(replies) == ["/affirm", "/deny"]
    assert "läs mer" in replies[-1]["text"]


def test_read_more_gives_the_details_and_asks_for_consent_again(stack):
    sender, _ = opened(stack)
    details = stack.say(sender, "läs mer")
    said = texts(details)
    assert "vårdnadshavare" in said.lower() and "familjehem" in said  # words explained
    assert "krypterat, alltså" in said
    assert "radera allt" in said
    assert "tystnadsplikt" in said and "akt" in said
    assert payloads(details) == ["/affirm", "/deny"]
    menu = stack.say(sender, "/affirm")
    assert "/start_preparation" in payloads(menu)


def test_nothing_the_opening_says_promises_that_no_adult_will_ever_know(stack):
    _, replies = opened(stack)
    said = texts(replies).lower()
    for promise in ("ingen vuxen får veta", "bara de kan läsa", "ingen får veta"):
        assert promise not in said


def test_before_the_first_question_the_child_hears_their_rights(stack):
    """Issue 15 point 1: heard, consent, a written plan they may know, and a follow-up,
    each said briefly before question 1 and after the child chose to prepare."""
    sender, _ = opened(stack)
    stack.say(sender, "/affirm")
    replies = stack.say(sender, "/start_preparation")
    bubbles = [r.get("text") or "" for r in replies]
    first_question = next(i for i, text in enumerate(bubbles) if "Fråga 1 av 5" in text)
    rights = next(i for i, text in enumerate(bubbles) if "barnkonventionen" in text)
    assert rights < first_question
    said = bubbles[rights]
    assert "rätt att säga vad du tycker" in said and "lyssnad på" in said
    assert "lag i Sverige sedan 2020" in said
    assert "samtycke" in said and "vårdnadshavare" in said
    assert "skrivs i en plan" in said and "du får veta vad den säger" in said
    assert "följs sedan upp" in said
    sentences = [s for s in said.replace("?", ".").split(". ") if s]
    assert len(sentences) <= 5 and all(len(s.split()) <= 15 for s in sentences), sentences


def test_read_more_says_the_service_could_unlock_the_words_and_promises_no_more(stack):
    sender, _ = opened(stack)
    said = texts(stack.say(sender, "läs mer"))
    assert "inte krypterat hela vägen" in said
    assert "kan låsa upp det, men den läser det inte" in said
    assert "Jag skickar det bara till de du väljer." in said
    assert "ingen läser det" not in said  # a promise that no person can is not ours to make
