"""A small world for the after-the-meeting tests, on SQLite or PostgreSQL: a coordinator,
meetings, a child and guardians with Telegram, web and REST chats, the scheduler run at
injected times, and the outbox read back (decrypted) per chat."""
from __future__ import annotations

import json
import os
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.services import followups, meetings
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.models import OutboxMessage, Person, ScheduledJob
from tests.erasure_world import World

NEW_MESSAGE = "Hej! Du har ett nytt meddelande från SIP-kompis."
OPEN = {"title": "Öppna", "payload": "/open_reminder"}
READ = {"title": "Läs", "payload": "/followup_open"}


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request, isolated_env, tmp_path, monkeypatch):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("SIPKOMPIS_DB_URL", url)
    else:
        url = os.environ["SIPKOMPIS_DB_URL"]
    return FollowupWorld(url, tmp_path / "keys")


class FollowupWorld(World):
    def family(self, at: datetime, guardians: int = 1, channel: str = "telegram",
               tag: str = "") -> dict:
        """A meeting, its child linked in one chat of `channel`, guardians each in a chat."""
        meeting_id, child_id = self.meeting(at=at)
        child_chat = f"child{tag}-{meeting_id[:8]}"
        self.link(child_chat, self.code(child_id), channel=channel)
        guardian_chats = []
        for index in range(guardians):
            person = self.guardian(meeting_id, name=f"Anna {index}")
            chat = f"guardian{tag}{index}-{meeting_id[:8]}"
            self.link(chat, self.code(person), channel=channel)
            guardian_chats.append(chat)
        return {"meeting_id": meeting_id, "child_id": child_id, "child_chat": child_chat,
                "guardian_chats": guardian_chats}

    def run(self, now: datetime) -> int:
        return followups.run_due_in(self.factory, now)

    def outcome(self, meeting_id: str, text: str, points: list[dict] | None = None,
                next_followup: date | None = None, now: datetime | None = None):
        with transaction(self.factory) as session:
            row, mode = followups.record_outcome(session, Keyring(session), meeting_id, text,
                                                 points or [], next_followup, now=now)
        return row.id, mode

    def outbox(self, recipient: str | None = None) -> list[dict]:
        rows = []
        with self.factory() as session:
            keys = Keyring(session)
            query = select(OutboxMessage).order_by(OutboxMessage.created_at)
            if recipient:
                query = query.where(OutboxMessage.recipient == recipient)
            for row in session.scalars(query):
                rows.append({"channel": row.channel, "recipient": row.recipient, "kind": row.kind,
                             **json.loads(keys.open("outbox", "payload_enc", row.id, row.payload_enc))})
        return rows

    def pushes(self, recipient: str) -> list[dict]:
        return [r for r in self.outbox(recipient) if r["kind"] != "code_used"]

    def coordinator_rows(self, kind: str | None = None) -> list[dict]:
        return [r for r in self.outbox(self.coordinator.id) if kind is None or r["kind"] == kind]

    def ready(self, child_id: str):
        with self.factory() as session:
            return followups.ready_outcome(session, Keyring(session), child_id)

    def jobs(self, meeting_id: str) -> list[ScheduledJob]:
        with self.factory() as session:
            return list(session.scalars(select(ScheduledJob).where(
                ScheduledJob.meeting_id == meeting_id).order_by(ScheduledJob.due_at)))

    def update(self, meeting_id: str, at: datetime) -> None:
        with transaction(self.factory) as session:
            meetings.update(session, Keyring(session), meeting_id, starts_at=at, place=None,
                            actor="test")

    def cancel(self, meeting_id: str) -> None:
        with transaction(self.factory) as session:
            meetings.cancel(session, Keyring(session), meeting_id, actor="test")

    def person(self, person_id: str) -> Person:
        with self.factory() as session:
            return session.get(Person, person_id)
