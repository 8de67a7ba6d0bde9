"""Erasure ("radera allt", `forget`, retention): destroy the keys, delete the rows.

Destroying the key is what makes erasure reach copies the rows cannot: a blob that
survives in a WAL, a dump or a backup no longer decrypts once its data key is gone from
the live database and the master key that wrapped it in the copy is retired (see
docs/erasure-backups-keys.md). The rows go too, so that what is left is only the
bare facts listed in that page (ids, times, counts), never a word or a name.

Erasure works in every state of a person: linked, revoked, re-invited, never linked and
already erased (then it changes nothing). A conversation belongs to a person while it is
linked, and also after a code reissue left it unlinked (its history is still theirs):
`owner_person_id`, and the key hierarchy itself, find both.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bot.services import audit, notices
from bot.services.errors import NotFound
from bot.store.keyring import Keyring
from bot.store.models import (
    AuditEvent, Base, Conversation, InboxUpdate, Meeting, OutboxMessage, Person, TrackerEvent,
    utcnow,
)

# Tables the generic sweeps below never touch: they are handled one by one (a conversation
# is re-keyed, not deleted, so Rasa cannot write an erased turn back; the audit log keeps
# who erased what; a Telegram chat must live until the confirmation is delivered).
_KEPT_BY_SWEEPS = {"audit_events", "conversations", "meetings", "people", "telegram_chats",
                   "data_keys", "service_secrets", "coordinators"}


def _load_all_models() -> None:
    """Every table module in bot/store, so the sweeps see tables other features add."""
    import bot.store as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name.endswith("models"):
            importlib.import_module(f"bot.store.{module.name}")


_tables_in: dict[str, frozenset] = {}


def _existing_tables(session: Session) -> frozenset:
    """The tables this database has (a model whose migration has not run is skipped)."""
    from sqlalchemy import inspect

    bind = session.get_bind()
    url = str(bind.engine.url)
    if url not in _tables_in:
        _tables_in[url] = frozenset(inspect(bind.engine).get_table_names())
    return _tables_in[url]


def _sweep(session: Session, column: str, values: list[str], counts: Counter,
           skip: frozenset = frozenset()) -> None:
    """Delete the rows of every table with `column` in `values`, dependents first.

    Generic on purpose: a table another feature adds that holds a person's, a chat's or a
    meeting's rows is erased with them without this module having to know it.
    """
    if not values:
        return
    _load_all_models()
    existing = _existing_tables(session)
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in _KEPT_BY_SWEEPS or table.name in skip or column not in table.c:
            continue
        if table.name not in existing:
            continue
        result = session.execute(table.delete().where(table.c[column].in_(values)))
        counts[table.name] += max(result.rowcount or 0, 0)


def _drop_rows_under_keys(session: Session, key_ids: list[str], counts: Counter) -> None:
    """Outbox and inbox rows sealed under keys about to be destroyed."""
    if not key_ids:
        return
    for model in (OutboxMessage, InboxUpdate):
        result = session.execute(delete(model).where(model.key_id.in_(key_ids)))
        counts[model.__tablename__] += max(result.rowcount or 0, 0)


# --- conversations ----------------------------------------------------------------------

def erase_conversation(session: Session, keys: Keyring, conversation: Conversation,
                       counts: Counter | None = None, now: datetime | None = None) -> Counter:
    """Delete everything a conversation holds and destroy its key.

    The row itself stays, marked erased and with a fresh empty key: Rasa may still hold
    the erasing turn in memory, and the tracker store writes back only what follows the
    erasure for a conversation it knows was erased. Retention removes the bare row later.
    """
    counts = Counter() if counts is None else counts
    now = now or utcnow()
    old_key = conversation.key_id
    doomed = keys.subtree(old_key)
    _sweep(session, "conversation_id", [conversation.id], counts)
    result = session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == conversation.id))
    counts["outbox"] += max(result.rowcount or 0, 0)
    _drop_rows_under_keys(session, doomed, counts)
    conversation.key_id = keys.create_key()
    conversation.person_id = conversation.owner_person_id = conversation.invite_id = None
    conversation.erased_at = conversation.history_reset_at = now
    session.flush()
    counts["data_keys"] += keys.destroy(old_key)
    counts["conversations"] += 1
    return counts


def reset_history(session: Session, keys: Keyring, conversation: Conversation,
                  now: datetime | None = None, keep_link: bool = False) -> Counter:
    """Drop a conversation's stored history and give it a new key, keeping the row.

    Used when a code is revoked (whoever held it loses what they saw), when a chat holding
    one person's history is about to be linked to another, and when a meeting is over
    (minimisation; then `keep_link` keeps it linked, the new key under the person's key).
    """
    counts: Counter = Counter()
    now = now or utcnow()
    old_key = conversation.key_id
    doomed = keys.subtree(old_key)
    _sweep(session, "conversation_id", [conversation.id], counts,
           skip=frozenset({"web_sessions", "web_logins"}) if keep_link else frozenset())
    result = session.execute(delete(OutboxMessage).where(
        OutboxMessage.recipient == conversation.id, OutboxMessage.sent_at.is_(None)))
    counts["outbox"] += max(result.rowcount or 0, 0)
    _drop_rows_under_keys(session, doomed, counts)
    person = session.get(Person, conversation.person_id) if keep_link and conversation.person_id else None
    conversation.key_id = keys.create_key(person.key_id if person and person.key_id else None)
    if not keep_link:
        conversation.person_id = conversation.owner_person_id = conversation.invite_id = None
    conversation.history_reset_at = now
    session.flush()
    counts["data_keys"] += keys.destroy(old_key)
    return counts


def conversations_holding(session: Session, keys: Keyring, person: Person) -> list[Conversation]:
    """Every conversation with this person's words: linked now, linked once (a reissued
    code left it unlinked), or with a key wrapped under theirs (older rows, any state)."""
    under = keys.subtree(person.key_id) if person.key_id else []
    clauses = [Conversation.person_id == person.id, Conversation.owner_person_id == person.id]
    if under:
        clauses.append(Conversation.key_id.in_(under))
    return list(session.scalars(select(Conversation).where(or_(*clauses))))


# --- people -----------------------------------------------------------------------------

def already_erased(session: Session, person_id: str) -> bool:
    return session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "erase", AuditEvent.subject_type == "person",
        AuditEvent.subject_id == person_id).limit(1)) is not None


def forget(session: Session, keys: Keyring, person_id: str, *, actor: str,
           replying_to: str | None = None, now: datetime | None = None) -> dict:
    """Erase a person in any state; returns what was erased, by table, as counts.

    `replying_to` is the conversation the erasure was asked from: its Telegram chat row is
    kept until the confirmation is delivered (the scheduler removes it afterwards).
    Erasing the child erases the meeting's content too (the child's key is the meeting's
    key) and the guardians, who are told, without content, that there is nothing more.
    """
    now = now or utcnow()
    person = session.get(Person, person_id)
    if person is None:
        if already_erased(session, person_id):
            return {"erased": True, "already_erased": True, "person_id": person_id}
        raise NotFound("unknown person")
    meeting = session.get(Meeting, person.meeting_id) if person.meeting_id else None
    counts: Counter = Counter()
    summary = {"erased": True, "already_erased": False, "person_id": person.id, "role": person.role}
    if person.role == "child" and meeting is not None:
        guardians = session.scalars(select(Person).where(
            Person.meeting_id == meeting.id, Person.role == "guardian")).all()
        for guardian in guardians:
            _erase_guardian_of_erased_child(session, keys, guardian, meeting, counts, now)
        summary["guardians_unlinked"] = len(guardians)
        _erase_person(session, keys, person, counts, replying_to, now, meeting_key=meeting.key_id)
        _erase_meeting_content(session, keys, meeting, counts)
        notices.erased(session, keys, meeting)
    else:
        _erase_person(session, keys, person, counts, replying_to, now)
    audit.record(session, actor, "erase", "person", person.id, meeting.id if meeting else None)
    summary.update({name: count for name, count in sorted(counts.items()) if count})
    return summary


def _erase_person(session: Session, keys: Keyring, person: Person, counts: Counter,
                  replying_to: str | None, now: datetime, meeting_key: str | None = None) -> None:
    from bot.channels.telegram import chats
    from bot.channels.web import sessions as web_sessions

    held = conversations_holding(session, keys, person)
    for conversation in held:
        erase_conversation(session, keys, conversation, counts, now)
    web_sessions.erase_for(session, person.id, [c.id for c in held], counts)
    counts["telegram_chats"] += chats.erase_for(
        session, keys, [c.id for c in held if c.id != replying_to])
    _sweep(session, "person_id", [person.id], counts)
    person_key = person.key_id
    session.delete(person)
    session.flush()
    counts["people"] += 1
    if person_key and person_key != meeting_key:
        _drop_rows_under_keys(session, keys.subtree(person_key), counts)
        counts["data_keys"] += keys.destroy(person_key)


def _erase_guardian_of_erased_child(session: Session, keys: Keyring, guardian: Person,
                                    meeting: Meeting, counts: Counter, now: datetime) -> None:
    """A guardian of an erased child: their chats are emptied (they may hold items the
    child shared with guardians), told there is nothing more, and the guardian erased."""
    from bot.channels.web import sessions as web_sessions

    held = conversations_holding(session, keys, guardian)
    for conversation in held:
        erase_conversation(session, keys, conversation, counts, now)
        # Sealed under the chat's new, empty key: the notice is all it holds now.
        notices._queue(session, keys, channel=conversation.channel, recipient=conversation.id,
                       key_id=conversation.key_id, kind="erased",
                       text=notices.texts()["person"]["nothing_more"])
    web_sessions.erase_for(session, guardian.id, [c.id for c in held], counts)
    _sweep(session, "person_id", [guardian.id], counts)
    guardian_key = guardian.key_id
    session.delete(guardian)
    session.flush()
    counts["people"] += 1
    if guardian_key:
        counts["data_keys"] += keys.destroy(guardian_key)
    audit.record(session, "service", "erase", "person", guardian.id, meeting.id)


def _erase_meeting_content(session: Session, keys: Keyring, meeting: Meeting, counts: Counter) -> None:
    """Everything sealed under the meeting's key (the child's key), then the key itself.

    The bare meeting row stays (status `erased`, no place, no purpose) so the coordinator's
    `meeting list` shows what happened; retention deletes it when the period ends.
    """
    if meeting.key_id is None:
        return
    _sweep(session, "meeting_id", [meeting.id], counts, skip=frozenset({"outbox", "inbox"}))
    doomed = keys.subtree(meeting.key_id)
    # Conversations whose key is still under the meeting's key belong to nobody we found
    # above (an older row): they hold the child's words, so they go too.
    for conversation in session.scalars(select(Conversation).where(Conversation.key_id.in_(doomed))):
        erase_conversation(session, keys, conversation, counts)
    _drop_rows_under_keys(session, keys.subtree(meeting.key_id), counts)
    meeting.status = "erased"
    meeting.place_enc = meeting.purpose_enc = b""
    meeting.purpose_child_enc = None
    meeting_key, meeting.key_id = meeting.key_id, None
    session.flush()
    counts["data_keys"] += keys.destroy(meeting_key)


def erase_meeting(session: Session, keys: Keyring, meeting: Meeting, *, actor: str,
                  now: datetime | None = None) -> Counter:
    """Retention: erase the child, the guardians and every row of the meeting, then the
    meeting row. What remains is the audit log's erase records (who, when, which ids)."""
    counts: Counter = Counter()
    now = now or utcnow()
    people = session.scalars(select(Person).where(Person.meeting_id == meeting.id)).all()
    for person in sorted(people, key=lambda p: p.role != "child"):
        if session.get(Person, person.id) is None:
            continue  # a guardian already erased with the child
        summary = forget(session, keys, person.id, actor=actor, now=now)
        counts.update({k: v for k, v in summary.items() if isinstance(v, int) and not isinstance(v, bool)})
    _erase_meeting_content(session, keys, meeting, counts)
    _sweep(session, "meeting_id", [meeting.id], counts, skip=frozenset({"outbox", "inbox"}))
    # Only the erase records stay: they prove the erasure and keep `forget` idempotent.
    session.execute(delete(AuditEvent).where(AuditEvent.meeting_id == meeting.id,
                                             AuditEvent.action != "erase"))
    session.delete(meeting)
    session.flush()
    audit.record(session, actor, "erase", "meeting", meeting.id, meeting.id)
    return counts


def erase_unlinked(session: Session, keys: Keyring, conversation_id: str, *, actor: str) -> Counter:
    """"radera allt" in a chat no code has linked yet: what was typed there is erased."""
    from bot.channels.web import sessions as web_sessions

    conversation = session.get(Conversation, conversation_id)
    counts: Counter = Counter()
    if conversation is None:
        session.execute(delete(TrackerEvent).where(TrackerEvent.conversation_id == conversation_id))
        return counts
    erase_conversation(session, keys, conversation, counts)
    web_sessions.erase_for(session, None, [conversation.id], counts)
    audit.record(session, actor, "erase", "conversation", conversation.id)
    return counts


def delete_conversation(session: Session, keys: Keyring, conversation: Conversation,
                        counts: Counter | None = None) -> Counter:
    """Retention: a conversation idle for long enough goes entirely, row and key."""
    from bot.channels.telegram import chats

    counts = Counter() if counts is None else counts
    doomed = keys.subtree(conversation.key_id)
    _sweep(session, "conversation_id", [conversation.id], counts)
    result = session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == conversation.id))
    counts["outbox"] += max(result.rowcount or 0, 0)
    _drop_rows_under_keys(session, doomed, counts)
    counts["telegram_chats"] += chats.erase_for(session, keys, [conversation.id])
    key_id = conversation.key_id
    session.delete(conversation)
    session.flush()
    counts["data_keys"] += keys.destroy(key_id)
    counts["conversations"] += 1
    return counts
