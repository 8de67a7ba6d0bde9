"""Conversations: a random id per chat, linked to a person by an invite code.

The conversation id is Rasa's sender id. Who is talking is always read from here, never
from dialogue slots (a typed `/intent{...}` can set slots).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.services import audit, invites
from bot.services.errors import NotFound
from bot.store.keyring import Keyring
from bot.store.models import Conversation, Meeting, Person, utcnow

MAX_FAILED_CODES = 5
LOCKOUT = timedelta(minutes=15)


class RateLimited(Exception):
    """Too many wrong codes: the sender must wait."""


@dataclass(frozen=True)
class Identity:
    conversation: Conversation
    person: Person | None
    meeting: Meeting | None

    @property
    def role(self) -> str:
        return self.person.role if self.person else "unknown"


def get_or_create(session: Session, keys: Keyring, conversation_id: str,
                  channel: str = "rest") -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        conversation = Conversation(id=conversation_id, key_id=keys.create_key(), channel=channel)
        session.add(conversation)
        session.flush()
    return conversation


def identity(session: Session, conversation_id: str) -> Identity | None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    person = session.get(Person, conversation.person_id) if conversation.person_id else None
    meeting = session.get(Meeting, person.meeting_id) if person and person.meeting_id else None
    return Identity(conversation, person, meeting)


def link_with_code(session: Session, keys: Keyring, conversation_id: str, text: str,
                   now: datetime | None = None) -> Person:
    """Redeem the code found in `text` for this conversation.

    Raises RateLimited after five wrong tries, InviteError for a wrong code (the same
    error whatever is wrong with it, so a guesser learns nothing).
    """
    now = now or utcnow()
    conversation = get_or_create(session, keys, conversation_id)
    if conversation.locked_until and conversation.locked_until > now:
        raise RateLimited("wait")
    code = invites.normalise(text)
    try:
        if code is None:
            raise invites.InviteError("no code")
        invite = invites.redeem(session, keys, code, now)
        person = session.get(Person, invite.person_id) if invite.person_id else None
        if invite.kind != "person" or person is None:
            raise invites.InviteError("not a person invite")
    except invites.InviteError:
        conversation.failed_code_attempts += 1
        if conversation.failed_code_attempts >= MAX_FAILED_CODES:
            conversation.locked_until = now + LOCKOUT
            conversation.failed_code_attempts = 0
        raise
    if holds_someone_else(session, keys, conversation, person):
        # A chat with another person's history is never handed to a second person: it
        # starts afresh (their words are dropped and the key replaced) before linking.
        from bot.services.erasure import reset_history

        reset_history(session, keys, conversation, now=now)
    conversation.person_id = conversation.owner_person_id = person.id
    conversation.invite_id = invite.id
    conversation.failed_code_attempts = 0
    conversation.locked_until = None
    # The words typed before linking belong to the person from now on, so that erasing
    # the person shreds them too.
    keys.rewrap_under(conversation.key_id, person.key_id)
    meeting = session.get(Meeting, person.meeting_id)
    audit.record(session, f"person:{person.id}", "use_code", "invite", invite.id,
                 meeting.id if meeting else None)
    return person


def holds_someone_else(session: Session, keys: Keyring, conversation: Conversation,
                       person: Person) -> bool:
    """Whether the stored history of this chat is another person's (linked once, then
    unlinked by a revoke or reissue; or a key still wrapped under someone else's key)."""
    if conversation.owner_person_id and conversation.owner_person_id != person.id:
        return True
    from bot.store.models import DataKey

    row = session.get(DataKey, conversation.key_id)
    return bool(row and row.wrapped_by.startswith("key:")
                and row.wrapped_by != f"key:{person.key_id}")


def unlink(session: Session, keys: Keyring, conversation: Conversation, *, reset: bool) -> None:
    """End a chat's access to its person (code revoked or reissued).

    With `reset` (revoke) the stored history goes and the key is replaced, so whoever held
    the code keeps nothing; without it (reissue) the history stays the person's, under
    their key, until they link again with the new code or are erased.
    """
    if reset:
        from bot.services.erasure import reset_history

        reset_history(session, keys, conversation)
    else:
        conversation.person_id = None
        conversation.history_reset_at = utcnow()


def conversations_of(session: Session, person_id: str) -> list[Conversation]:
    from sqlalchemy import select

    return list(session.scalars(select(Conversation).where(Conversation.person_id == person_id)))


def require_person(session: Session, conversation_id: str) -> Identity:
    ident = identity(session, conversation_id)
    if ident is None or ident.person is None:
        raise NotFound("conversation not linked")
    return ident


def discard(session: Session, keys: Keyring, conversation_id: str) -> None:
    """Remove a conversation that belongs to nobody (e.g. `serve`'s start-up probe)."""
    from sqlalchemy import delete

    from bot.store.models import TrackerEvent

    conversation = session.get(Conversation, conversation_id)
    session.execute(delete(TrackerEvent).where(TrackerEvent.conversation_id == conversation_id))
    if conversation is not None and conversation.person_id is None:
        key_id = conversation.key_id
        session.delete(conversation)
        session.flush()
        keys.destroy(key_id)
