"""Base for the deterministic NLU components that run after the classifiers.

Each one decides, by a rule, that a message means something the classifier must not
overrule (a crisis, an invite code, a command that is not certain enough).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


class IntentOverride(GraphComponent, IntentClassifier):
    def __init__(self, config: Dict[Text, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "IntentOverride":
        return cls(config)

    def process_training_data(self, training_data: Any) -> Any:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.decide(message)
        return messages

    def decide(self, message: Message) -> None:
        raise NotImplementedError

    def override(self, message: Message, intent: str, confidence: float,
                 entity: Optional[tuple[str, Any]] = None) -> None:
        verdict = {"name": intent, "confidence": confidence}
        message.set(INTENT, verdict, add_to_output=True)
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
        message.set(INTENT_RANKING_KEY, [verdict] + ranking, add_to_output=True)
        if entity is not None:
            name, value = entity
            entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != name]
            entities.append({"entity": name, "value": value, "start": 0, "end": 0,
                             "extractor": type(self).__name__})
            message.set(ENTITIES, entities, add_to_output=True)
