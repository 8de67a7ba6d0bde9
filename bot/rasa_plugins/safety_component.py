"""NLU component that runs the crisis detector after every classifier.

Placed last in the pipeline so that neither DIETClassifier nor FallbackClassifier can
overwrite its verdict: a crisis message becomes intent `crisis` with confidence 1 and the
category as entity `crisis_category`, and a rule answers it with help in any state.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.intent_override import IntentOverride
from bot.safety.detector import detect


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisOverride(IntentOverride):
    def decide(self, message: Message) -> None:
        detection = detect(message.get(TEXT) or "")
        if detection.crisis:
            self.override(message, "crisis", 1.0, ("crisis_category", detection.category))
