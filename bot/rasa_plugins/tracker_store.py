"""Rasa tracker store that encrypts every event under the conversation's data key.

Unlike Rasa's SQLTrackerStore there is no plaintext column (no `intent_name`, no event
JSON): each event is one AES-GCM blob bound to its conversation and position. Errors are
raised, never swallowed; the launcher removes Rasa's fail-safe wrapper that would
otherwise fall back to memory.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select

from bot.services import conversations
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from bot.store.models import TrackerEvent, utcnow

logger = logging.getLogger(__name__)


def _position(conversation_id: str, seq: int) -> str:
    return f"{conversation_id}#{seq}"


def _epoch(moment: datetime) -> float:
    return moment.replace(tzinfo=timezone.utc).timestamp()


def _first_to_keep(events: list, conversation) -> int:
    """Where to start writing when nothing is stored although Rasa holds events in memory.

    The history was dropped (erasure, a revoked code, a new owner, minimisation) while Rasa
    still had the turn in memory: writing it all back would undo the drop. A turn that
    began after the drop is kept whole. A turn in flight keeps only what came after the
    drop; for an erased conversation only what follows the erasing turn's restart (nothing
    if there was none: the turn was someone else's, cut off mid-way).
    """
    marks = [m for m in (conversation.erased_at, conversation.history_reset_at) if m is not None]
    if not marks:
        return 0
    cut = _epoch(max(marks))
    users = [e for e in events if e.type_name == "user"]
    if not users or users[-1].timestamp >= cut:
        return next((i for i, e in enumerate(events) if e.timestamp >= cut), len(events))
    if conversation.erased_at is not None and _epoch(conversation.erased_at) >= cut:
        restarts = [i for i, e in enumerate(events) if e.type_name == "restart" and e.timestamp >= cut]
        return restarts[-1] + 1 if restarts else len(events)
    return next((i for i, e in enumerate(events) if e.timestamp >= cut), len(events))


class EncryptedTrackerStore(TrackerStore, SerializedTrackerAsText):
    def __init__(self, domain: Optional[Domain] = None, host: Optional[str] = None,
                 db_url: Optional[str] = None, event_broker: Any = None, **kwargs: Any) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.factory = open_store(db_url or None)

    async def keys(self) -> Iterable[str]:
        with self.factory() as session:
            return list(session.scalars(select(TrackerEvent.conversation_id).distinct()))

    def _events(self, session, keys: Keyring, sender_id: str) -> list[dict]:
        rows = session.scalars(select(TrackerEvent).where(
            TrackerEvent.conversation_id == sender_id).order_by(TrackerEvent.seq)).all()
        return [json.loads(keys.open("tracker_events", "data_enc",
                                     _position(sender_id, row.seq), row.data_enc))
                for row in rows]

    @staticmethod
    def _current_session(events: list[dict]) -> list[dict]:
        starts = [i for i, e in enumerate(events) if e.get("event") == SessionStarted.type_name]
        return events[starts[-1] - 1 if starts and starts[-1] > 0 else 0:] if starts else events

    async def _retrieve(self, sender_id: str, full: bool) -> Optional[DialogueStateTracker]:
        with self.factory() as session:
            events = self._events(session, Keyring(session), sender_id)
        if not events:
            return None
        if not full:
            events = self._current_session(events)
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        return await self._retrieve(sender_id, full=False)

    async def retrieve_full_tracker(self, sender_id: str) -> Optional[DialogueStateTracker]:
        return await self._retrieve(sender_id, full=True)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with transaction(self.factory) as session:
            keys = Keyring(session)
            conversation = conversations.get_or_create(session, keys, tracker.sender_id)
            stored = self._events(session, keys, tracker.sender_id)
            already = len(self._current_session(stored))
            if not stored:
                already = _first_to_keep(list(tracker.events), conversation)
            conversation.last_seen_at = utcnow()
            next_seq = (session.scalar(select(func.max(TrackerEvent.seq)).where(
                TrackerEvent.conversation_id == tracker.sender_id)) or 0) + 1
            for offset, event in enumerate(list(tracker.events)[already:]):
                seq = next_seq + offset
                session.add(TrackerEvent(
                    conversation_id=tracker.sender_id, seq=seq,
                    data_enc=keys.seal(conversation.key_id, "tracker_events", "data_enc",
                                       _position(tracker.sender_id, seq),
                                       json.dumps(event.as_dict())),
                ))
