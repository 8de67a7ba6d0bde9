"""NLU component that asks for high confidence and a command word before a message
counts as a command.

Erasing and pausing change what happens to the child's words, and a preparation answer
can look like one: "inget" was read as "pause" at 0.73, and after a retraining at more
than 0.9, so the answer "inget" to "Vad vill du fråga?" paused the child's messages.
Confidence alone moves with every retraining; a command also has to say what it does
(a word from `cues`, matched at the start of a word: "radera", "ta bort", "pausa",
"sluta"...). Otherwise the reading becomes `nlu_fallback`, which inside the form is simply
the child's answer and outside it a choice of buttons. Button payloads never pass here.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.intent_override import IntentOverride


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CommandConfidenceGate(IntentOverride):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intents": ["stop_and_delete", "pause_messages"], "threshold": 0.9, "cues": {}}

    def decide(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        name = intent.get("name")
        if name not in set(self.component_config["intents"]):
            return
        threshold = float(self.component_config["threshold"])
        cues = (self.component_config.get("cues") or {}).get(name)
        if (float(intent.get("confidence") or 0) < threshold
                or (cues and not says_a_cue(message.get(TEXT) or "", cues))):
            self.override(message, "nlu_fallback", threshold)


def says_a_cue(text: str, cues: list[str]) -> bool:
    """Whether a cue begins at the start of a word ("raderar" has "radera", "stäng av" counts)."""
    words = " " + " ".join(re.findall(r"\w+", text.casefold())) + " "
    return any(f" {cue.casefold()}" in words for cue in cues)
