"""What waits for a person after the meeting, read from the store before Rasa sees a message.

DESIGN step 11: once the outcome is ready, the child's next message (any text) is answered
with what was decided. Rasa's NLU components see a message's metadata but not who sent it,
so the input channel looks it up here and the FollowupOverride component acts on it. Any
message also counts as the person being back: a paused child is paused no more.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Optional

logger = logging.getLogger(__name__)

FOLLOWUP_KEY = "sipkompis_followup"


def followup_state(sender: str) -> Optional[str]:
    """"outcome" or "checkin" when one is ready and unseen for this conversation's child."""
    from bot.services import followups
    from bot.store.db import open_store, transaction
    from bot.store.keyring import Keyring
    from bot.store.models import Conversation, Person

    with transaction(open_store()) as session:
        conversation = session.get(Conversation, sender)
        if conversation is None or conversation.person_id is None:
            return None
        person = session.get(Person, conversation.person_id)
        if person is None:
            return None
        followups.note_activity(session, person.id)
        if person.role != "child":
            return None
        if followups.ready_outcome(session, Keyring(session), person.id) is not None:
            return "outcome"
        if followups.ready_checkin(session, person.id) is not None:
            return "checkin"
    return None


async def with_followup_state(sender: str, metadata: Optional[dict]) -> dict:
    """The caller's metadata with our own key set by us alone (a caller cannot set it)."""
    merged = {k: v for k, v in (metadata or {}).items() if k != FOLLOWUP_KEY}
    state = await asyncio.get_running_loop().run_in_executor(None, followup_state, sender)
    if state is not None:
        merged[FOLLOWUP_KEY] = state
    return merged
