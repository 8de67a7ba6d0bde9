"""Erase ("radera allt", after one confirmation) and pause ("stopp", never erases)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.access import next_steps
from actions.common import store, utter, who
from bot.services import erasure


ERASE, ERASE_IN_FORM = "erase", "erase_in_form"


class ActionEraseRequest(Action):
    def name(self) -> str:
        return "action_erase_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        utter(dispatcher, "utter_confirm_erase")
        # A "no" must bring a child who was preparing back to the same question, so the
        # confirmation remembers whether the form was running.
        pending = ERASE_IN_FORM if tracker.active_loop_name == "preparation_form" else ERASE
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("pending", pending)]


def erase_now(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[Any]:
    with store() as (session, keys):
        ident = who(session, tracker)
        if ident is not None:
            # This chat's Telegram row stays until the confirmation below is delivered.
            erasure.forget(session, keys, ident.person.id, actor=f"person:{ident.person.id}",
                           replying_to=tracker.sender_id)
        else:
            # No code yet (or no longer): what was typed in this chat is erased all the same.
            erasure.erase_unlinked(session, keys, tracker.sender_id, actor="unlinked")
    utter(dispatcher, "utter_erased")
    # The tracker itself is deleted above; nothing of the old answers may linger in slots.
    return [AllSlotsReset(), Restarted()]


class ActionPause(Action):
    def name(self) -> str:
        return "action_pause"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        from bot.services import followups

        with store() as (session, keys):
            ident = who(session, tracker)
            if ident is not None:
                # Any later message resumes (see bot.rasa_plugins.followup_state); the
                # coordinator is told, without content, so nobody wonders why it is quiet.
                followups.pause(session, keys, ident.person)
        utter(dispatcher, "utter_paused")
        next_steps(dispatcher, tracker)
        return []


def erase_declined(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
    from actions.access import ActionShowMenu

    utter(dispatcher, "utter_erase_cancelled")
    if tracker.get_slot("pending") == ERASE_IN_FORM:
        return [SlotSet("pending", None), FollowupAction("preparation_form")]
    return [SlotSet("pending", None)] + ActionShowMenu().run(dispatcher, tracker, domain)
