"""Worries a child brings to the SIP meeting get a true, kind answer (issue 15 points 9b, 10).

Asked as children type them, against the real model and a running `serve`. None of the
phrasings sent here is in the training data (checked below), so the model must
generalise. After each answer the golden path still goes on: `/start_preparation`
asks question 1 and an answer moves to question 2.
"""
from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import yaml

from bot.safety.detector import detect
from bot.safety.helplines import load_helplines
from tests.conftest import new_meeting

REPO = Path(__file__).resolve().parent.parent
NUMBER = {line.key: line.number for line in load_helplines().lines}

DID_I_DO_WRONG = ("gjorde jag nåt fel", "kommer jag få skäll av dom vuxna", "är mötet ett straff för mig")
BRING_SOMEONE = ("kan min moster komma med på mötet", "får jag ta med min kusin",
                 "behöver jag vara ensam med dom")
MEETING_LENGTH = ("hur lång tid kommer det ta", "kan jag be om paus om jag blir trött",
                  "hur ser ett sånt möte ut")
FEAR_SOCIAL_SERVICES = ("kommer socialen ta mig från pappa", "blir jag tvungen att flytta",
                        "är soc med för att ta mig härifrån")


def texts(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def training_texts() -> set[str]:
    seen: set[str] = set()
    for path in (REPO / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    seen.add(line.strip()[2:].strip().casefold())
    return seen


def domain_text(response: str) -> str:
    domain = yaml.safe_load((REPO / "config" / "domain" / "child_questions.yml").read_text(encoding="utf-8"))
    return domain["responses"][response][0]["text"]


@pytest.fixture
def child(stack):
    """A child who has given their code and consented, as after step 3 of the golden path."""
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    return lambda message: stack.say(sender, message)


def answered_with_next_steps(replies) -> str:
    """The answer's text; its last message offers buttons, among them preparing."""
    assert replies, "no answer"
    buttons = replies[-1].get("buttons") or []
    assert any(b["payload"] == "/start_preparation" and b["title"].startswith("Förbered") for b in buttons), replies
    return texts(replies)


def golden_path_goes_on(say) -> None:
    assert "Fråga 1 av 5" in texts(say("/start_preparation"))
    assert "Fråga 2 av 5" in texts(say("att jag har kompisar i skolan"))


def test_the_phrasings_sent_here_are_not_in_the_training_data():
    known = training_texts()
    sent = DID_I_DO_WRONG + BRING_SOMEONE + MEETING_LENGTH + FEAR_SOCIAL_SERVICES
    assert not [text for text in sent if text.casefold() in known]


def test_a_child_who_asks_if_they_did_wrong_is_told_no_and_why(child):
    for message in DID_I_DO_WRONG:
        said = answered_with_next_steps(child(message))
        assert "Ett SIP-möte betyder inte att du har gjort något fel" in said, message
        assert "de vuxna ska samarbeta bättre" in said, message
    golden_path_goes_on(child)


def test_a_child_may_ask_to_bring_someone_they_trust_and_is_never_alone(child):
    for message in BRING_SOMEONE:
        said = answered_with_next_steps(child(message))
        assert "du får be om att ta med någon du litar på" in said, message
        assert "Säg till samordnaren" in said and "aldrig behöva vara ensam" in said, message
    golden_path_goes_on(child)


def test_a_child_learns_how_long_the_meeting_is_how_it_goes_and_that_breaks_are_allowed(child):
    for message in MEETING_LENGTH:
        said = answered_with_next_steps(child(message))
        assert "ofta ungefär en timme" in said, message
        assert "Alla säger vem de är" in said and "plan" in said, message
        assert "Du får be om paus när du vill" in said, message
    golden_path_goes_on(child)


def test_a_child_afraid_of_social_services_gets_a_careful_true_answer_not_a_crisis_alarm(child):
    for message in FEAR_SOCIAL_SERVICES:
        replies = child(message)
        said = answered_with_next_steps(replies)
        assert "Ingen bestämmer på mötet att du ska flytta" in said, message
        assert "Socialtjänsten finns till för att hjälpa barn och familjer" in said, message
        assert "BRIS" in said and "Hjälp nu" in said, message
        assert NUMBER["emergency"] not in said, message  # the crisis help was not set off
        assert any(b["payload"] == "/help_now" for b in replies[-1]["buttons"]), message
    # Abuse is still a crisis, answered with the help numbers at once.
    assert NUMBER["emergency"] in texts(child("mamma slår mig"))


def test_worries_are_answered_before_the_invite_code_too(stack):
    sender = secrets.token_hex(8)
    said = texts(stack.say(sender, "gjorde jag nåt fel"))
    assert "Ett SIP-möte betyder inte att du har gjort något fel" in said
    assert "en timme" in texts(stack.say(sender, "hur lång tid kommer det ta"))


def test_the_worry_about_social_services_promises_nothing_untrue():
    """Not "ingen får veta", not "they can never act": the adults must report harm
    (utter_preparation_duties); BRIS is named and its number comes from "Hjälp nu"."""
    text = domain_text("utter_fear_social_services")
    assert "BRIS" in text and NUMBER["bris"] not in text
    for promise in ("ingen får veta", "aldrig", "kan inte ta", "får inte ta"):
        assert promise not in text.casefold(), promise
    for message in FEAR_SOCIAL_SERVICES + ("tar soc mig", "ska de ta mig från mamma",
                                           "är soc där för att jag gjort nåt"):
        assert not detect(message).crisis, message
    assert detect("mamma slår mig").crisis


def test_a_worry_typed_in_the_middle_of_preparing_is_answered_and_never_saved_as_an_answer(child):
    assert "Fråga 1 av 5" in texts(child("/start_preparation"))
    said = texts(child("har jag gjort något fel eller"))
    assert "Ett SIP-möte betyder inte att du har gjort något fel" in said
    assert "Fråga 1 av 5" in said  # the same question again, nothing skipped
    assert "Fråga 2 av 5" in texts(child("att jag har kompisar i skolan"))
    for _ in range(3):
        child("/skip")
    summary = texts(child("/skip"))
    assert "har jag gjort något fel" not in summary and "att jag har kompisar i skolan" in summary
