"""Erasure ("radera allt", `forget`): destroy the person's data key and delete their rows.

Destroying the key is what makes erasure reliable: any copy of a blob that survives in a
backup, a WAL or a dump can no longer be decrypted. The rows go too, for tidiness.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.services import audit, notices
from bot.services.conversations import conversations_of
from bot.services.errors import NotFound
from bot.store.keyring import Keyring
from bot.store.models import (
    Delivery, Invite, Meeting, OutboxMessage, Participant, Person, Statement, StatementItem,
    TrackerEvent, utcnow,
)


def forget(session: Session, keys: Keyring, person_id: str, *, actor: str) -> dict:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("unknown person")
    meeting = session.get(Meeting, person.meeting_id) if person.meeting_id else None
    conversation_ids = [c.id for c in conversations_of(session, person.id)]
    for conversation_id in conversation_ids:
        session.execute(delete(TrackerEvent).where(TrackerEvent.conversation_id == conversation_id))
        session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == conversation_id))
    for conversation in conversations_of(session, person.id):
        conversation_key = conversation.key_id
        conversation.key_id = keys.create_key()
        conversation.person_id = None
        conversation.erased_at = utcnow()
        session.flush()
        keys.destroy(conversation_key)
    session.execute(delete(Invite).where(Invite.person_id == person.id))
    summary = {"person_id": person.id, "role": person.role, "conversations": len(conversation_ids)}
    if person.role == "child" and meeting is not None:
        # The child's key is the meeting's key: the meeting's words are about the child.
        summary["statement_items"] = len(session.scalars(select(StatementItem.id).where(
            StatementItem.meeting_id == meeting.id)).all())
        session.execute(delete(Delivery).where(Delivery.meeting_id == meeting.id))
        session.execute(delete(StatementItem).where(StatementItem.meeting_id == meeting.id))
        session.execute(delete(Statement).where(Statement.meeting_id == meeting.id))
        session.execute(delete(Participant).where(Participant.meeting_id == meeting.id))
        notices.erased(session, keys, meeting)
        meeting.status = "erased"
        meeting.place_enc = meeting.purpose_enc = b""
        meeting_key, meeting.key_id = meeting.key_id, None
        session.delete(person)
        session.flush()
        keys.destroy(meeting_key)
        guardians = session.scalars(select(Person).where(
            Person.meeting_id == meeting.id, Person.role == "guardian")).all()
        summary["guardians_unlinked"] = len(guardians)
    else:
        person_key = person.key_id
        session.delete(person)
        session.flush()
        if person_key:
            keys.destroy(person_key)
    audit.record(session, actor, "erase", "person", person.id, meeting.id if meeting else None)
    return summary
