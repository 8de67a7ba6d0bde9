"""A small world for erasure and retention tests: a store (SQLite or PostgreSQL), a
coordinator, meetings, children and guardians, chats that say things through the real
encrypted tracker store, and a reader that opens every sealed column with the service's
own keys to show what is still readable."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime

from sqlalchemy import inspect, select

from bot.services import conversations, coordinators, invites, meetings, statements
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from bot.store.models import Base, Conversation, Person, TrackerEvent

FAST_KDF = {"iterations": 1, "lanes": 1, "memory_cost": 8}


def rasa_escaped(text: str) -> str:
    """How Rasa's JSON writes the text (non-ASCII escaped): `slår` is `sl\\u00e5r`."""
    return json.dumps(text)[1:-1]


def readable(factory) -> str:
    """Every sealed column of every table that the service's keys still open."""
    opened: list[str] = []
    with factory() as session:
        keys = Keyring(session)
        for table in Base.metadata.sorted_tables:
            columns = [c.name for c in table.columns if c.name.endswith("_enc")]
            if not columns:
                continue
            key = inspect(table).primary_key.columns.values()[0].name
            for row in session.execute(table.select()).mappings():
                for column in columns:
                    blob = row[column]
                    if not blob:
                        continue
                    row_id = (f"{row['conversation_id']}#{row['seq']}"
                              if table.name == "tracker_events" else str(row[key]))
                    try:
                        opened.append(keys.open_bytes(table.name, column, row_id, blob)
                                      .decode("utf-8", "replace"))
                    except Exception:  # noqa: BLE001 - unreadable is what is being shown
                        continue
    return "\n".join(opened)


class World:
    def __init__(self, url: str, key_dir) -> None:
        self.url = url
        self.factory = open_store(url)
        self.key_dir = key_dir
        self._tracker_store = None
        with transaction(self.factory) as session:
            self.coordinator = coordinators.add(session, Keyring(session), name="Sara Lind",
                                                key_dir=key_dir, passphrase="test-passphrase",
                                                kdf_params=FAST_KDF)

    # --- set-up ---------------------------------------------------------------------

    def meeting(self, child_name: str = "Alva Svensson", at: datetime = datetime(2030, 5, 20, 7, 30)):
        with transaction(self.factory) as session:
            meeting, child, _ = meetings.create(
                session, Keyring(session), coordinator_id=self.coordinator.id,
                child_name=child_name, starts_at=at, place="Skolans konferensrum",
                purpose="hitta bättre stöd", participants=[("Omar Haddad", "kurator")])
        return meeting.id, child.id

    def guardian(self, meeting_id: str, name: str = "Anna Svensson") -> str:
        with transaction(self.factory) as session:
            meeting = meetings.get(session, meeting_id)
            person = meetings.create_person(session, Keyring(session), meeting=meeting,
                                            role="guardian", name=name)
        return person.id

    def code(self, person_id: str, reissue: bool = False) -> str:
        with transaction(self.factory) as session:
            keys = Keyring(session)
            if reissue:
                invites.cut_off(session, keys, person_id, reset=False)
            return invites.issue(session, keys, kind="person", person_id=person_id)

    def link(self, conversation_id: str, code: str, channel: str = "rest") -> str:
        with transaction(self.factory) as session:
            keys = Keyring(session)
            conversations.get_or_create(session, keys, conversation_id, channel=channel)
            return conversations.link_with_code(session, keys, conversation_id, code).id

    def approve(self, child_id: str, answers: dict[str, str], guardians: tuple[str, ...] = ()) -> None:
        sharing = statements.default_sharing()
        for kind in guardians:
            sharing[kind] = {"coordinator": True, "guardians": True}
        with transaction(self.factory) as session:
            keys = Keyring(session)
            child = session.get(Person, child_id)
            statements.save_draft(session, keys, child=child, answers=answers, sharing=sharing)
            statements.approve(session, keys, child=child)

    # --- chats through the real tracker store ---------------------------------------

    @property
    def tracker_store(self):
        if self._tracker_store is None:
            from rasa.shared.core.domain import Domain

            from bot.rasa_plugins.tracker_store import EncryptedTrackerStore

            self._tracker_store = EncryptedTrackerStore(Domain.empty(), db_url=self.url)
        return self._tracker_store

    def say(self, sender: str, text: str, reply: str | None = None) -> None:
        from rasa.shared.core.events import BotUttered, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker

        async def turn():
            tracker = await self.tracker_store.retrieve(sender)
            tracker = tracker or DialogueStateTracker(sender, [])
            tracker.update(UserUttered(text))
            tracker.update(BotUttered(reply if reply is not None else f"Du skrev: {text}"))
            await self.tracker_store.save(tracker)

        asyncio.run(turn())

    def tracker_text(self, sender: str) -> str:
        """Everything Rasa would get back for this sender, as JSON text."""
        async def read():
            tracker = await self.tracker_store.retrieve_full_tracker(sender)
            return json.dumps([e.as_dict() for e in tracker.events], ensure_ascii=False) if tracker else ""

        return asyncio.run(read())

    # --- reading back -----------------------------------------------------------------

    def readable(self) -> str:
        return readable(self.factory)

    def can_read(self, word: str) -> bool:
        text = self.readable()
        return word in text or rasa_escaped(word) in text

    def assert_unreadable(self, *words: str) -> None:
        text = self.readable()
        for word in words:
            assert word not in text and rasa_escaped(word) not in text, word

    def conversation(self, conversation_id: str) -> Conversation | None:
        with self.factory() as session:
            return session.get(Conversation, conversation_id)

    def events(self, conversation_id: str) -> int:
        with self.factory() as session:
            return len(session.scalars(select(TrackerEvent.id).where(
                TrackerEvent.conversation_id == conversation_id)).all())
