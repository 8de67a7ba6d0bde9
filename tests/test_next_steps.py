"""No dead ends: every answer a child gets ends with buttons for what to do next."""
from __future__ import annotations

import secrets

import pytest

from tests.conftest import new_meeting, prepare_over_rest

pytestmark = pytest.mark.stack

# Typed as children type them, one per kind of answer the bot gives outside preparing.
QUESTIONS = ("varför blir det ett möte", "när är mötet", "vilka kommer", "vem kan läsa det jag skriver",
             "vad gör en kurator", "måste jag vara med", "vad är sip", "hur funkar det här", "vad kan du göra",
             "har jag gjort nåt fel", "kan jag ta med en kompis", "hur länge håller mötet på",
             "tar soc mig", "hur går det med min förberedelse", "tack", "vad tycker du om pizza")


def _payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for b in (replies[-1].get("buttons") or [])] if replies else []


def test_every_answer_before_preparing_offers_what_to_do_next(stack):
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    for question in QUESTIONS:
        replies = stack.say(sender, question)
        assert replies and replies[-1].get("text"), question
        payloads = _payloads(replies)
        assert "/start_preparation" in payloads, (question, [r.get("text") for r in replies], payloads)


def test_an_answer_before_consent_asks_for_consent_again(stack):
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    for question in ("vad är sip", "när är mötet", "vad gör en kurator"):
        replies = stack.say(sender, question)
        assert _payloads(replies) == ["/affirm", "/deny"], question


def test_after_sending_the_answers_offer_to_change_what_was_sent(stack):
    meeting = new_meeting(stack)
    sender, sent = prepare_over_rest(stack, meeting["child_code"])
    assert "Klart!" in "\n".join(r.get("text") or "" for r in sent)
    assert "/change_answer" in _payloads(sent)  # "Klart!" is no dead end either
    for question in ("när är mötet", "vilka kommer", "tack"):
        assert "/change_answer" in _payloads(stack.say(sender, question)), question


def test_pausing_messages_still_offers_what_to_do_next(stack):
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    replies = stack.say(sender, "sluta skicka påminnelser")
    assert "/start_preparation" in _payloads(replies), [r.get("text") for r in replies]
