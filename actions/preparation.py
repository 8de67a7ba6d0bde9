"""Preparing: the five questions of the golden path, one at a time.

What counts as an answer (DESIGN section 5): typed text, kept verbatim. A crisis message,
help-now, erase and pause never reach here (slot mappings exclude them, rules take over).
A button payload is never an answer, except skip and, at the last question, the choices
offered. At the first three questions a confident `ask_*` question is answered and the
same question asked again; from the fourth on, every typed text is the answer, except
that at the four open questions a message that only says "vet inte" gets examples.
"""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import entity, latest_intent, store, utter, who
from actions.phrases import payload, phrases
from actions.questions import QUESTION_INTENTS, answer
from bot.services.statements import OPTIONAL_KINDS, SKIPPED

INTERRUPTIBLE = ("answer_good", "answer_hard", "answer_wish")
# What a child who answers only "vet inte" is shown, per open question.
EXAMPLES = {"answer_good": "utter_examples_answer_good", "answer_hard": "utter_examples_answer_hard",
            "answer_wish": "utter_examples_answer_wish", "answer_question": "utter_examples_answer_question"}
QUESTION_CONFIDENCE = 0.9


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def looks_like_a_question(text: str) -> bool:
    """A confident ask_* reading alone once took "hemlig önskan" for a privacy question."""
    words = _normalised(text).split()
    return text.rstrip().endswith("?") or bool(words and words[0] in phrases()["question_words"])


def says_only_not_knowing(text: str) -> bool:
    """True when the message says "I don't know" and nothing more: no word of an answer in it.

    "vet inte" saved as what is good in the child's life would be sent as their voice;
    "vet inte, kanske mer lugn" is an answer and is kept. Word lists, not the NLU: the
    classifier also reads "det är svårt" (an answer to "Vad är svårt?") as not knowing.
    """
    words = [re.sub(r"(.)\1{2,}", r"\1", word) for word in _normalised(text).split()]
    if not words:
        return False
    core, filler = set(phrases()["not_knowing"]), set(phrases()["not_knowing_filler"])
    return all(word in core or word in filler for word in words) and any(word in core for word in words)


def typed_skip(text: str) -> bool:
    """Only these few phrases skip; any other text is the child's answer, kept verbatim."""
    return _normalised(text) in phrases()["skip_phrases"]

def refuse_preparing(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[Any] | None:
    """None when a consented child is talking; otherwise say why not and end the turn.

    Every way into the form goes through here. Ending the turn explicitly matters: with
    no follow-up, the stories would predict the form next and start it anyway.
    """
    with store() as (session, _keys):
        ident = who(session, tracker)
        if ident is None:
            utter(dispatcher, "utter_need_code_first")
            return [FollowupAction("action_listen")]
        if ident.person.role != "child":
            utter(dispatcher, "utter_not_for_guardians")
            return [FollowupAction("action_listen")]
        if ident.person.consent_at is None:
            utter(dispatcher, "utter_ask_consent_first")
            return [SlotSet("pending", "consent"), FollowupAction("action_listen")]
    return None


class ActionStartPreparation(Action):
    def name(self) -> str:
        return "action_start_preparation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        refused = refuse_preparing(dispatcher, tracker)
        if refused is not None:
            return refused
        if not any(tracker.get_slot(s) for s in INTERRUPTIBLE):
            utter(dispatcher, "utter_preparation_intro")
            # Before the first question: their right to be heard, and what happens to words
            # once sent (a record, the meeting, the adults' duty to report harm).
            utter(dispatcher, "utter_preparation_rights")
            utter(dispatcher, "utter_preparation_duties")
        return [SlotSet("pending", None), FollowupAction("preparation_form")]


class ActionAskAnswerParticipation(Action):
    """The fifth question, with one button per way of taking part."""

    def name(self) -> str:
        return "action_ask_answer_participation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        choices = phrases()["participation_buttons"]
        buttons = [{"title": title, "payload": payload("choose_participation", participation=key)}
                   for key, title in choices.items()]
        buttons.append({"title": phrases()["buttons"]["skip"], "payload": "/skip"})
        dispatcher.utter_message(response="utter_participation_question", buttons=buttons)
        return []


OPTIONAL_SLOTS = tuple(f"answer_{kind}" for kind in OPTIONAL_KINDS)


class ValidatePreparationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_preparation_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        """The five questions, and an optional one only once the child has chosen it."""
        chosen = tracker.get_slot("extra_asked")
        extra = [f"answer_{chosen}"] if chosen in OPTIONAL_KINDS else []
        return [slot for slot in domain_slots if slot not in OPTIONAL_SLOTS] + extra

    def _answer(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                tracker: Tracker) -> dict[str, Any]:
        text = (tracker.latest_message.get("text") or "").strip()
        if value != tracker.latest_message.get("text"):
            # A value kept from earlier: Rasa re-validates filled slots when the form is
            # reactivated (after help, or to change one answer). It was checked then.
            return {slot: value}
        intent, confidence = latest_intent(tracker)
        if text.startswith("/"):
            if intent == "skip":
                return {slot: SKIPPED}
            if slot == "answer_participation" and intent == "choose_participation":
                choice = entity(tracker, "participation")
                sentence = phrases()["participation"].get(choice or "")
                return {slot: sentence} if sentence else {slot: None}
            return {slot: None}  # another button: not an answer, ask again
        if not text:
            return {slot: None}
        if (slot in INTERRUPTIBLE and intent in QUESTION_INTENTS and confidence >= QUESTION_CONFIDENCE
                and looks_like_a_question(text)):
            answer(dispatcher, tracker, intent)
            return {slot: None}
        if typed_skip(text):
            return {slot: SKIPPED}
        if slot in EXAMPLES and says_only_not_knowing(text):
            # Examples, then the same question again (with its skip button).
            utter(dispatcher, EXAMPLES[slot])
            return {slot: None}
        if slot in OPTIONAL_SLOTS and says_only_not_knowing(text):
            return {slot: SKIPPED}  # a question they chose to add: nothing to add after all
        return {slot: text}

    def validate_answer_good(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._answer("answer_good", value, dispatcher, tracker)

    def validate_answer_hard(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._answer("answer_hard", value, dispatcher, tracker)

    def validate_answer_wish(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._answer("answer_wish", value, dispatcher, tracker)

    def validate_answer_question(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._answer("answer_question", value, dispatcher, tracker)

    def validate_answer_participation(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._answer("answer_participation", value, dispatcher, tracker)


def _validates(slot: str):
    def validate(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                 domain: DomainDict) -> dict[str, Any]:
        return self._answer(slot, value, dispatcher, tracker)
    return validate


# The optional questions take typed text exactly as the five do (rasa_sdk looks for
# `validate_<slot>` by name).
for _slot in OPTIONAL_SLOTS:
    setattr(ValidatePreparationForm, f"validate_{_slot}", _validates(_slot))
