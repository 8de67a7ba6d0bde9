"""NLU component: after the meeting, the child's next message opens what is waiting.

The input channel marks a message whose sender has an outcome or check-in ready (see
followup_state). Then whatever the child typed ("hej", "vad hände") becomes
`followup_open`, except a crisis, help now, erase or pause: those keep their meaning
(and CrisisOverride runs after this component, so a crisis always wins).
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.followup_state import FOLLOWUP_KEY
from bot.rasa_plugins.intent_override import IntentOverride

KEEP = frozenset({"crisis", "help_now", "stop_and_delete", "pause_messages"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FollowupOverride(IntentOverride):
    def decide(self, message: Message) -> None:
        metadata = message.get("metadata") or {}
        if not metadata.get(FOLLOWUP_KEY):
            return
        if (message.get(INTENT) or {}).get("name") in KEEP:
            return
        self.override(message, "followup_open", 1.0)
