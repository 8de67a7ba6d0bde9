"""The channel-side crisis check: help from the channel itself, before Rasa is asked.

The detector is rule-based and fast, so every channel runs it on what was typed (after
the same normalisation Rasa will see) and shows the help at once. Only then is the
message relayed, with metadata {"help_shown": true} so that Rasa's crisis action does not
repeat the numbers but still does the rest (the follow-up question, the safety state).
A slow, hung, down or restarting Rasa can therefore never delay the help.

Nothing here may fail the help: if the store cannot say who is writing, the help for an
unknown reader is shown; if even the help texts cannot be built, the emergency number is.
"""
from __future__ import annotations

import logging

from bot.channels.typed_text import normalise

log = logging.getLogger("sipkompis.channels.crisis")
HELP_SHOWN = {"help_shown": True}
GENERAL = "general"  # a crisis the detector could not place: the general help
# Last resort only, when helplines.yml itself cannot be read: 112 is not going to change.
_LAST_RESORT = ["Är du i fara just nu? Ring 112. Det är gratis.", "Är du på en trygg plats just nu?"]


def category_of(text: str | None) -> str | None:
    """The crisis category of typed text (or a caption), or None when it is not a crisis."""
    if not text or not text.strip():
        return None
    from bot.safety import detect

    try:
        found = detect(normalise(text))
    except Exception as error:  # noqa: BLE001 - a detector bug must not stop the message
        log.error("crisis detector failed (%s)", type(error).__name__)
        return None
    if not found.crisis:
        return None
    # A crisis without a category gets the general help; it is never ignored.
    return found.category or GENERAL


def warm_up() -> None:
    """Compile the detector's patterns now (seconds on a busy machine), not at the first
    message, which may be the one that needs help at once."""
    category_of("hej")


def audience(session, conversation_id: str | None) -> str:
    """Who is writing, as far as the store knows; "unknown" when it cannot say."""
    if not conversation_id:
        return "unknown"
    try:
        from bot.services.audience import audience_of

        return audience_of(session, conversation_id)
    except Exception as error:  # noqa: BLE001 - the help comes regardless
        log.warning("audience unknown for crisis help (%s)", type(error).__name__)
        return "unknown"


def messages(category: str | None, audience_name: str) -> list[str]:
    """The help texts, in order (category None: the general help of "Hjälp nu")."""
    try:
        from bot.safety.help import crisis_messages

        found = [m for m in crisis_messages(None if category == GENERAL else category,
                                            audience_name) if m]
        if found:
            return found
    except Exception as error:  # noqa: BLE001
        log.error("crisis help texts unavailable (%s); showing the emergency number",
                  type(error).__name__)
    return list(_LAST_RESORT)


def messages_for(factory, conversation_id: str | None, category: str | None,
                 audience_name: str | None = None) -> list[str]:
    """The help for this conversation's reader, looked up in its own short read."""
    if audience_name is None:
        audience_name = "unknown"
        try:
            with factory() as session:
                audience_name = audience(session, conversation_id)
        except Exception as error:  # noqa: BLE001 - e.g. the database is down
            log.warning("store unavailable for crisis help (%s)", type(error).__name__)
    return messages(category, audience_name)
