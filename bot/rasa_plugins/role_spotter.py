"""NLU component that marks the role a message names, from the role catalogue.

DIET no longer extracts entities (its CRF layer was half of Rasa's load time), and a
learned extractor could miss a listed name anyway. The `role` entity of `ask_about_role`
(DESIGN section 5) is therefore found here, exactly as `bot/roles.py` knows the roles,
on any message, as DIET's extractor did. Its value is the text as written; the
EntitySynonymMapper after it turns common forms into the role list's names.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.roles import find_role_span

NAME = "RoleSpotter"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class RoleSpotter(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RoleSpotter":
        return cls()

    def process_training_data(self, training_data: Any) -> Any:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            span = find_role_span(text)
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != "role"]
            if span:
                start, end = span
                entities.append({"entity": "role", "start": start, "end": end,
                                 "value": text[start:end], "confidence_entity": 1.0,
                                 "extractor": NAME})
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
