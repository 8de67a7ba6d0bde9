"""Rasa tracker store that encrypts every event under the conversation's data key.

Unlike Rasa's SQLTrackerStore there is no plaintext column (no `intent_name`, no event
JSON): each event is one AES-GCM blob bound to its conversation and position. Errors are
raised, never swallowed; the launcher removes Rasa's fail-safe wrapper that would
otherwise fall back to memory.

Speed: a save appends only the events the turn added, and a retrieve does not decrypt or
replay what this process already holds. Each process keeps, per recent conversation, the
current session as it was last read or written (see `_Held`), and trusts it only while
the stored rows still end exactly where it ends: the row count and the last row's sealed
bytes (a fresh random nonce on every write) are compared in the same query that reads
any newer rows. Another replica's turn, an erasure, a revoked code or a discarded probe
all change them, so a stale copy is never used: newer rows are decrypted and appended,
anything else is read afresh. The copies are few, short-lived and dropped as soon as the
store is seen emptied.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select

from bot.services import conversations, followup_shown
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


@dataclass
class _Held:
    """What this process knows a conversation's stored rows to be.

    `count` rows are stored, the last one is `last_seq` with sealed bytes `last_blob`;
    `events` is the current session as (event type, JSON text), the texts being what was
    sealed. `tracker` is the tracker Rasa got from `retrieve` or saved last, kept only
    while it holds exactly `events` (it saves replaying them all on the next turn).
    """

    count: int
    last_seq: int
    last_blob: bytes
    events: list[tuple[str, str]]
    tracker: Optional[DialogueStateTracker] = None
    used: float = field(default_factory=time.monotonic)

    def unchanged_tracker(self) -> Optional[DialogueStateTracker]:
        """The held tracker if nobody added to it since (a turn that failed before saving
        leaves its unsaved events in it: then it is not handed out again)."""
        if self.tracker is not None and len(self.tracker.events) == len(self.events):
            return self.tracker
        return None


def _session_start(events: list[tuple[str, str]]) -> int:
    """Where the current session begins (with the action run just before its start)."""
    for index in range(len(events) - 1, -1, -1):
        if events[index][0] == SessionStarted.type_name:
            return index - 1 if index > 0 else 0
    return 0


def _current_session(events: list[tuple[str, str]]) -> list[tuple[str, str]]:
    start = _session_start(events)
    return events[start:] if start else events


class EncryptedTrackerStore(TrackerStore, SerializedTrackerAsText):
    # Conversations held per process, and for how long after their last turn: enough for
    # every child in a busy hour, short enough that decrypted words do not linger.
    held_max = 500
    held_seconds = 15 * 60
    sweep_seconds = 30.0

    def __init__(self, domain: Optional[Domain] = None, host: Optional[str] = None,
                 db_url: Optional[str] = None, event_broker: Any = None, **kwargs: Any) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.factory = open_store(db_url or None)
        self._held: OrderedDict[str, _Held] = OrderedDict()
        self._lock = threading.Lock()
        self._sweeper: Optional[threading.Thread] = None

    async def keys(self) -> Iterable[str]:
        with self.factory() as session:
            return list(session.scalars(select(TrackerEvent.conversation_id).distinct()))

    # --- what is held ------------------------------------------------------------------

    def _take(self, sender_id: str) -> Optional[_Held]:
        with self._lock:
            held = self._held.get(sender_id)
            if held is not None and time.monotonic() - held.used > self.held_seconds:
                del self._held[sender_id]
                return None
            return held

    def _put(self, sender_id: str, held: Optional[_Held]) -> None:
        with self._lock:
            self._held.pop(sender_id, None)
            if held is not None:
                held.used = time.monotonic()
                self._held[sender_id] = held
                while len(self._held) > self.held_max:
                    self._held.popitem(last=False)
                if self._sweeper is None:
                    self._sweeper = threading.Thread(target=self._sweep_forever, daemon=True,
                                                     name="tracker-copy-sweep")
                    self._sweeper.start()

    def sweep(self) -> int:
        """Drop every held copy that is idle too long or no longer matches the store (an
        erasure, a revoke or another replica's turn changed it). Runs by itself every
        `sweep_seconds` once something is held, so a copy of an erased conversation does
        not outlive the erasure by more than that, even if the chat never writes again.
        Returns how many copies were dropped."""
        now = time.monotonic()
        with self._lock:
            held = dict(self._held)
        if not held:
            return 0
        with self.factory() as session:
            stored = {cid: (count, last) for cid, count, last in session.execute(
                select(TrackerEvent.conversation_id, func.count(), func.max(TrackerEvent.seq))
                .where(TrackerEvent.conversation_id.in_(list(held)))
                .group_by(TrackerEvent.conversation_id))}
        doomed = [cid for cid, h in held.items()
                  if now - h.used > self.held_seconds or stored.get(cid) != (h.count, h.last_seq)]
        with self._lock:
            for cid in doomed:
                if self._held.get(cid) is held[cid]:
                    del self._held[cid]
        return len(doomed)

    def _sweep_forever(self) -> None:
        while True:
            time.sleep(self.sweep_seconds)
            try:
                self.sweep()
            except Exception as error:  # noqa: BLE001 - the next sweep tries again
                logger.warning("tracker copy sweep failed: %s", type(error).__name__)
                self.forget_held()  # cannot check them: drop them all, the store has it all

    def holds(self, sender_id: str) -> bool:
        """Whether this process holds a decrypted copy of the conversation."""
        with self._lock:
            return sender_id in self._held

    def forget_held(self, sender_id: Optional[str] = None) -> None:
        """Drop what this process holds of one conversation (or of all)."""
        with self._lock:
            if sender_id is None:
                self._held.clear()
            else:
                self._held.pop(sender_id, None)

    # --- reading the rows --------------------------------------------------------------

    def _open(self, keys: Keyring, sender_id: str, rows) -> list[tuple[str, str]]:
        opened = []
        for seq, blob in rows:
            text = keys.open("tracker_events", "data_enc", _position(sender_id, seq), blob)
            opened.append((json.loads(text).get("event"), text))
        return opened

    def _all_rows(self, session, sender_id: str) -> list[tuple[int, bytes]]:
        return [(seq, bytes(blob)) for seq, blob in session.execute(
            select(TrackerEvent.seq, TrackerEvent.data_enc).where(
                TrackerEvent.conversation_id == sender_id).order_by(TrackerEvent.seq))]

    def _events(self, session, keys: Keyring, sender_id: str) -> list[dict]:
        return [json.loads(text) for _, text in
                self._open(keys, sender_id, self._all_rows(session, sender_id))]

    def _current(self, session, sender_id: str) -> Optional[_Held]:
        """The stored current session, as little of it decrypted as the held copy allows.

        One query returns the total row count and every row from the held copy's last row
        on. The copy is used only if that row is still there with the same sealed bytes
        and the count adds up (nothing removed or rewritten before it); then only newer
        rows are decrypted. Returns None when nothing is stored.
        """
        held = self._take(sender_id)
        from_seq = held.last_seq if held is not None else 0
        total = select(func.count()).select_from(TrackerEvent).where(
            TrackerEvent.conversation_id == sender_id).scalar_subquery()
        rows = session.execute(select(TrackerEvent.seq, TrackerEvent.data_enc, total).where(
            TrackerEvent.conversation_id == sender_id, TrackerEvent.seq >= from_seq,
        ).order_by(TrackerEvent.seq)).all()
        count = rows[0][2] if rows else 0
        rows = [(seq, bytes(blob)) for seq, blob, _ in rows]
        if (held is not None and rows and rows[0] == (held.last_seq, held.last_blob)
                and count == held.count + len(rows) - 1):
            if len(rows) == 1:
                return held
            newer = self._open(Keyring(session), sender_id, rows[1:])
            fresh = _Held(count, rows[-1][0], rows[-1][1], _current_session(held.events + newer))
            tracker = held.unchanged_tracker()
            if tracker is not None and len(fresh.events) == len(held.events) + len(newer):
                # Another replica's turn, and no new session: bring the held tracker up to
                # date with just those events. Rasa's lock store keeps every other turn of
                # this conversation out meanwhile, so no turn is holding this object.
                for _, text in newer:
                    tracker.update(Event.from_parameters(json.loads(text)))
                fresh.tracker = tracker
            return fresh
        if held is not None:  # rows were removed or rewritten: nothing held is trusted
            self._put(sender_id, None)
            rows = self._all_rows(session, sender_id)
        if not rows:
            return None
        events = _current_session(self._open(Keyring(session), sender_id, rows))
        return _Held(len(rows), rows[-1][0], rows[-1][1], events)

    def _tracker(self, sender_id: str, events: list[tuple[str, str]]) -> DialogueStateTracker:
        return DialogueStateTracker.from_dict(
            sender_id, [json.loads(text) for _, text in events], self.domain.slots)

    # --- Rasa's interface --------------------------------------------------------------

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        with self.factory() as session:
            held = self._current(session, sender_id)
        if held is None:
            return None
        tracker = held.unchanged_tracker()
        if tracker is None:
            tracker = held.tracker = self._tracker(sender_id, held.events)
        # The held tracker is exactly what is stored: this turn gets it instead of a replay
        # of every event; `save` keeps it if what it stores leaves it exact.
        self._put(sender_id, held)
        return tracker

    async def retrieve_full_tracker(self, sender_id: str) -> Optional[DialogueStateTracker]:
        with self.factory() as session:
            events = self._events(session, Keyring(session), sender_id)
        if not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        try:
            with transaction(self.factory) as session:
                keys = Keyring(session)
                conversation = conversations.get_or_create(session, keys, sender_id)
                held = self._current(session, sender_id)
                events = list(tracker.events)
                if held is None:
                    already = _first_to_keep(events, conversation)
                else:
                    already = len(held.events)
                conversation.last_seen_at = utcnow()
                next_seq = (held.last_seq if held is not None else 0) + 1
                written: list[tuple[str, str]] = []
                last = (held.last_seq, held.last_blob) if held is not None else None
                for offset, event in enumerate(events[already:]):
                    seq = next_seq + offset
                    text = json.dumps(event.as_dict())
                    blob = keys.seal(conversation.key_id, "tracker_events", "data_enc",
                                     _position(sender_id, seq), text)
                    session.add(TrackerEvent(conversation_id=sender_id, seq=seq, data_enc=blob))
                    written.append((event.type_name, text))
                    last = (seq, blob)
                followup_shown.mark_shown_in_saved_turn(
                    session, [event.as_dict() for event in events[already:]])
        except BaseException:
            self._put(sender_id, None)  # unknown what was stored: read afresh next time
            raise
        if last is None:
            self._put(sender_id, None)
            return
        before = held.events if held is not None else []
        count = (held.count if held is not None else 0) + len(written)
        now_held = _Held(count, last[0], last[1], _current_session(before + written))
        # Keep the tracker object only when it holds exactly the stored session: it was
        # the held one (or replayed from it) plus what was just written, no new session.
        if (held is not None and held.tracker is tracker and len(events) == len(now_held.events)
                and len(before) == already):
            now_held.tracker = tracker
        self._put(sender_id, now_held)
