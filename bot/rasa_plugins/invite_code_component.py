"""NLU component that recognises an invite code however it is typed.

A bare code ("k7qf m2xp 9rta") has no words for a classifier to learn from, so a message
that is a well-formed code, or names a code ("min kod är ..."), is read as
`provide_invite_code` outright. Other text with a code-shaped word is left to the
classifier, so an answer like "ABCD-EFGH-JKMN är mitt gamertag" stays an answer.
"""
from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.intent_override import IntentOverride
from bot.services.invites import display, normalise

MAX_LENGTH = 80
_MENTIONS_CODE = re.compile(r"\b(kod|koden|code|inbjudningskod)\b", re.IGNORECASE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InviteCodeSpotter(IntentOverride):
    def decide(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        code = normalise(text) if len(text) <= MAX_LENGTH else None
        if code is None:
            return
        rest = re.sub(r"[^0-9A-Za-z]", "", text.upper()).replace(code, "", 1)
        if rest and not _MENTIONS_CODE.search(text):
            return
        self.override(message, "provide_invite_code", 1.0, ("invite_code", display(code)))
