"""Safety first: help at once for a crisis message, in any state; one "nej" never ends it.

The detector runs before the NLU decides anything (bot.rasa_plugins.safety_component)
and names a category; this action answers with help that fits that category and the
reader (a child, someone 18 or over, a guardian, or unknown: bot.services.audience).
The texts are built by bot.safety.help from helplines.yml, never copied here.

A channel that has already shown the help (REST metadata {"help_shown": true}) gets
no repeat of the numbers: the form is still deactivated, the safety path and the
escalation still happen, and the question about a safe place is still asked.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity, settings, store, who
from bot.safety import help as crisis_help
from bot.services import notices
from bot.services.audience import audience_of

logger = logging.getLogger("actions.safety")


def _say(dispatcher: CollectingDispatcher, messages: list[str], question_last: bool) -> None:
    for number, text in enumerate(messages, start=1):
        if question_last and number == len(messages):
            dispatcher.utter_message(text=text, buttons=[dict(b) for b in crisis_help.SAFE_BUTTONS])
        else:
            dispatcher.utter_message(text=text)


def help_shown(tracker: Tracker) -> bool:
    """Whether the channel already showed the help for this message.

    Rasa keeps message metadata on the user event, not in the parse data, so read both.
    """
    metadata = tracker.latest_message.get("metadata") or {}
    if not metadata:
        event = tracker.get_last_event_for("user") or {}
        metadata = event.get("metadata") or {}
    return isinstance(metadata, dict) and metadata.get("help_shown") is True


def _audience(tracker: Tracker) -> str:
    try:
        with store() as (session, _keys):
            return audience_of(session, tracker.sender_id)
    except Exception as exc:  # help must never wait on the store: unknown gets help for all ages
        logger.warning("audience unavailable for crisis help: %s", type(exc).__name__)
        return "unknown"


def _escalate(tracker: Tracker) -> crisis_help.Signal | None:
    """Content-free signal to the coordinator and the on-duty contact, never to guardians."""
    cfg = settings()
    if cfg.escalation == "off":
        return None
    try:
        with store() as (session, keys):
            ident = who(session, tracker)
            if ident is None or ident.person.role != "child":
                return None
            notices.crisis(session, keys, ident.meeting, cfg.on_duty_contact)
    except Exception as exc:  # the help itself still goes out
        logger.error("crisis escalation failed: %s", type(exc).__name__)
        return None
    return crisis_help.Signal(coordinator=True, on_duty=cfg.on_duty_contact)


def help_now(dispatcher: CollectingDispatcher, tracker: Tracker, category: str | None = None) -> list[Any]:
    audience = _audience(tracker)
    signal = _escalate(tracker)
    if help_shown(tracker):
        messages = crisis_help.follow_up_messages(audience, signal)
    else:
        messages = crisis_help.crisis_messages(category, audience, signal=signal)
    _say(dispatcher, messages, question_last=True)
    return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("pending", "safety")]


def safety_reply(dispatcher: CollectingDispatcher, tracker: Tracker, safe: bool) -> list[Any]:
    audience = _audience(tracker)
    if safe:
        _say(dispatcher, crisis_help.safe_messages(audience), question_last=False)
        dispatcher.utter_message(response="utter_offer_resume")
        return [SlotSet("pending", None)]
    # "Nej" or "vet inte": more concrete help, and the question stays open.
    _say(dispatcher, crisis_help.not_safe_messages(audience), question_last=True)
    return [SlotSet("pending", "safety")]


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        # The category comes from the detector (entity set by CrisisOverride); a typed
        # `/crisis{...}` can only choose which help text is shown, never skip it.
        return help_now(dispatcher, tracker, entity(tracker, "crisis_category"))


class ActionHelpNow(Action):
    def name(self) -> str:
        return "action_help_now"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        return help_now(dispatcher, tracker)
