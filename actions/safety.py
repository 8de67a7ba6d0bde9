"""Safety first: help at once for a crisis message, in any state; one "nej" never ends it.

The detector runs before the NLU decides anything (bot.rasa_plugins.safety_component);
this action answers. It deactivates the preparation form so the crisis message is never
stored as an answer, and offers to go back only when the child chooses to.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import settings, store, utter, who
from bot.services import notices


def help_now(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[Any]:
    utter(dispatcher, "utter_crisis_help")
    utter(dispatcher, "utter_crisis_numbers")
    cfg = settings()
    if cfg.escalation != "off":
        with store() as (session, keys):
            ident = who(session, tracker)
            # Content-free, to the coordinator and the on-duty contact: never to guardians.
            if ident is not None and ident.person.role == "child":
                notices.crisis(session, keys, ident.meeting, cfg.on_duty_contact)
                utter(dispatcher, "utter_safety_escalated")
    utter(dispatcher, "utter_ask_safe")
    return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("pending", "safety")]


def safety_reply(dispatcher: CollectingDispatcher, tracker: Tracker, safe: bool) -> list[Any]:
    if safe:
        utter(dispatcher, "utter_safety_safe")
        utter(dispatcher, "utter_offer_resume")
        return [SlotSet("pending", None)]
    # "Nej" or "vet inte": more concrete help, and the question stays open.
    utter(dispatcher, "utter_safety_not_safe")
    utter(dispatcher, "utter_safety_adult")
    utter(dispatcher, "utter_ask_safe")
    return [SlotSet("pending", "safety")]


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        return help_now(dispatcher, tracker)


class ActionHelpNow(Action):
    def name(self) -> str:
        return "action_help_now"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        return help_now(dispatcher, tracker)
