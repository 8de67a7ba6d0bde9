"""Answers to questions about SIP and the meeting, from the real meeting data."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.phrases import label, phrases
from actions.common import entity, latest_intent, meeting_vars, settings, store, utter, who
from bot.roles import explain, find_role
from bot.services.audience import has_guardians
from bot.services import meetings, statements
from bot.store.keyring import KeyUnavailable

# Questions anyone may ask, even before giving a code.
GENERAL = {
    "ask_what_is_sip": "utter_what_is_sip",
    "ask_must_attend": "utter_must_attend",
    "ask_privacy": "utter_privacy",
    "ask_help": "utter_help",
    "ask_capabilities": "utter_capabilities",
    "bot_challenge": "utter_bot_challenge",
    # Worries children have (issue 15 point 10): answered even in the middle of preparing,
    # so "har jag gjort nåt fel" is never saved as what is good.
    "ask_did_i_do_wrong": "utter_did_i_do_wrong",
    "ask_bring_someone": "utter_bring_someone",
    "ask_meeting_length": "utter_meeting_length",
    "ask_fear_social_services": "utter_fear_social_services",
}
ABOUT_MEETING = ("ask_meeting_purpose", "ask_meeting_when_where", "ask_who_attends")
QUESTION_INTENTS = tuple(GENERAL) + ABOUT_MEETING + ("ask_about_role",)


# "vad gör en logoped", "vem är ergoterapeuten": the word after the question names the role
# even when it is not in the catalogue, so an unknown role still gets a general answer.
_ROLE_QUESTION = re.compile(
    r"(?:vad\s+(?:gör|jobbar|betyder|är)|vem\s+är|vad\s+sysslar)\s+(?:en\s+|ett\s+|med\s+)?"
    r"([a-zåäöéü-]{3,30})", re.IGNORECASE)
_NOT_ROLES = {"det", "den", "sip", "du", "ni", "man", "mötet", "hen", "han", "hon", "de", "dom"}


def role_word(tracker: Tracker) -> str | None:
    # The role catalogue, not the classifier, finds known roles: DIET learns intents only
    # (its entity layer cost half of Rasa's start-up), and a list of names cannot miss one.
    text = tracker.latest_message.get("text") or ""
    found = entity(tracker, "role") or find_role(text)
    if found:
        return found
    match = _ROLE_QUESTION.search(tracker.latest_message.get("text") or "")
    if match and match.group(1).casefold() not in _NOT_ROLES:
        return match.group(1)
    return None


def privacy_details(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Everything about the child's words: who reads them, how long they are kept, and
    what the adults may and must do with them. The opening only names the essentials."""
    with store() as (session, _keys):
        ident = who(session, tracker)
        adult = ident is not None and ident.person.role == "child" and not has_guardians(session, ident.person)
    utter(dispatcher, "utter_privacy_adult" if adult else "utter_privacy")
    utter(dispatcher, "utter_privacy_storage", retention_days=settings().retention_days)
    utter(dispatcher, "utter_preparation_duties")


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> None:
    """Answer `intent`; shared by the question action and the preparation form."""
    if intent == "ask_privacy":
        privacy_details(dispatcher, tracker)
        if tracker.get_slot("pending") == "consent":
            # "läs mer" before saying yes: the question they were asked comes back.
            utter(dispatcher, "utter_ask_consent")
        return
    if intent in GENERAL:
        utter(dispatcher, GENERAL[intent])
        return
    if intent == "ask_about_role":
        role_text = role_word(tracker)
        if not role_text:
            utter(dispatcher, "utter_ask_which_role")
            return
        role = explain(role_text)
        utter(dispatcher, "utter_about_role", role=role.title, explanation=role.explain)
        return
    with store() as (session, keys):
        ident = who(session, tracker)
        if ident is None:
            utter(dispatcher, "utter_need_code_first")
            return
        if ident.meeting.status == "cancelled":
            utter(dispatcher, "utter_meeting_cancelled")
            return
        values = meeting_vars(session, keys, ident)
        if intent == "ask_meeting_purpose":
            utter(dispatcher, "utter_meeting_purpose", **values)
        elif intent == "ask_meeting_when_where":
            utter(dispatcher, "utter_meeting_when_where", **values)
        elif intent == "ask_who_attends":
            try:
                view = meetings.view(session, keys, ident.meeting.id)
            except KeyUnavailable:
                utter(dispatcher, "utter_meeting_cancelled")
                return
            lines = "\n".join(f"• {p.name}, {p.role.title}. {p.role.explain}" for p in view.participants)
            utter(dispatcher, "utter_who_attends", participants=lines)


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        from actions.access import next_steps

        intent, _ = latest_intent(tracker)
        answer(dispatcher, tracker, intent or "ask_help")
        next_steps(dispatcher, tracker)
        return []


class ActionStatus(Action):
    """Status for the child; for a guardian, status plus only what the child shared."""

    def name(self) -> str:
        return "action_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, keys):
            ident = who(session, tracker)
            if ident is None:
                utter(dispatcher, "utter_need_code_first")
                return []
            status = meetings.preparation_status(session, ident.meeting.id)
            if ident.person.role == "guardian":
                utter(dispatcher, "utter_status_guardian", status=status)
                shared = statements.shared_with_guardians(session, keys, ident.meeting.id)
                if shared:
                    items = "\n".join(f"• {label(i.kind)}: «{i.text}»" for i in shared)
                    utter(dispatcher, "utter_guardian_shared_items", items=items)
                # Guardians have no preparing to go back to: offer their menu so nobody has
                # to guess what to type next.
                utter(dispatcher, "utter_menu_guardian")
                return []
            if status in (meetings.SENT, meetings.DONE):
                shared = statements.approved_recipients(session, ident.meeting.id)
                words = phrases()["recipients"]
                named = [words[k] for k in ("coordinator", "guardians") if shared[k]]
                if named:
                    utter(dispatcher, "utter_status_child_sent", recipients=" och ".join(named))
                    # Only once the coordinator's own browser opened and verified it: an
                    # honest receipt, never "read" for a statement nobody has opened.
                    if shared["coordinator"] and statements.coordinator_has_read(session, ident.meeting.id):
                        utter(dispatcher, "utter_status_coordinator_read")
                else:
                    utter(dispatcher, "utter_status_child_kept")
            elif status == "pågår":
                utter(dispatcher, "utter_status_child_draft")
            else:
                utter(dispatcher, "utter_status_child_none")
        from actions.access import next_steps

        next_steps(dispatcher, tracker)
        return []


class ActionSmallTalk(Action):
    def name(self) -> str:
        return "action_small_talk"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        intent, _ = latest_intent(tracker)
        response = {"goodbye": "utter_goodbye", "thanks": "utter_thanks",
                    "feel_good": "utter_feel_good", "feel_bad": "utter_feel_bad"}.get(
            intent or "", "utter_out_of_scope")
        from actions.access import next_steps

        utter(dispatcher, response)
        next_steps(dispatcher, tracker)
        return []


class ActionFallback(Action):
    """Never a dead end: an unknown sender with a code gets in, anyone else gets choices."""

    def name(self) -> str:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, _keys):
            linked = who(session, tracker) is not None
        if not linked:
            utter(dispatcher, "utter_need_code_first")
            return []
        utter(dispatcher, "utter_fallback")
        return []
