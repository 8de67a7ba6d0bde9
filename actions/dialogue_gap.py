"""What happens when no rule or story predicts the next action: never a silent rewind.

Rasa's default core fallback utters a message and reverts the child's last message, which
also undoes every event of that turn: a sharing choice, a removed item. Here the turn is
kept as it is. If the bot already answered in this turn, nothing more is said; the gap is
logged by action names only (never text), so a missing rule shows up in the logs and the
tests instead of as a lost choice.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.questions import ActionFallback

logger = logging.getLogger("actions.dialogue_gap")


def this_turn(tracker: Tracker) -> list[dict]:
    events: list[dict] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        events.append(event)
    return list(reversed(events))


class ActionDialogueGap(Action):
    def name(self) -> str:
        return "action_dialogue_gap"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        turn = this_turn(tracker)
        actions = [e.get("name") for e in turn if e.get("event") == "action"]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        logger.warning("dialogue gap after intent %s, actions %s", intent, actions)
        if any(e.get("event") == "bot" for e in turn):
            return []
        return ActionFallback().run(dispatcher, tracker, domain)
