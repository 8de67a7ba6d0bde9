"""NLU component that asks for high confidence before a message counts as a command.

Erasing and pausing change what happens to the child's words, and a preparation answer
can look like one ("inget" was read as "pause" at 0.73). Below the gate such a reading
becomes `nlu_fallback`, which inside the form is simply the child's answer and outside it
a choice of buttons. Button payloads never pass through here.
"""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.intent_override import IntentOverride


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CommandConfidenceGate(IntentOverride):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intents": ["stop_and_delete", "pause_messages"], "threshold": 0.9}

    def decide(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        threshold = float(self.component_config["threshold"])
        if (intent.get("name") in set(self.component_config["intents"])
                and float(intent.get("confidence") or 0) < threshold):
            self.override(message, "nlu_fallback", threshold)
