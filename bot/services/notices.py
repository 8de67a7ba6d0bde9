"""Notices the service sends on its own, queued in the outbox.

To coordinators (and an on-duty contact) a notice says that something happened, never
what the child wrote; a coordinator without a linked chat sees the same in `meeting
list`. To a child or guardian it goes to each of their conversations, sealed under that
conversation's key, and is shown by their channel. Texts live in bot/data/notices.yml.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.services.conversations import conversations_of
from bot.store.keyring import Keyring
from bot.store.models import Coordinator, Meeting, OutboxMessage, Person, new_id
from bot.swedish_dates import long_form, short_day

TEXTS = Path(__file__).resolve().parent.parent / "data" / "notices.yml"


@lru_cache(maxsize=1)
def texts() -> dict:
    return yaml.safe_load(TEXTS.read_text(encoding="utf-8"))


# Channels that deliver a queued notice by themselves (Telegram sends it, the web chat
# shows it at the next visit). REST and terminal chats have no push: they get what is
# waiting at the person's next message.
PUSH_CHANNELS = ("telegram", "web")


def _queue(session: Session, keys: Keyring, *, channel: str, recipient: str, key_id: str,
           kind: str, text: str, meeting_id: str | None = None,
           buttons: list[dict] | None = None) -> None:
    row = OutboxMessage(id=new_id(), channel=channel, recipient=recipient, key_id=key_id,
                        kind=kind, payload_enc=b"")
    body = {"text": text, "meeting_id": meeting_id}
    if buttons:
        # {"title", "payload"}: the channel registers them as offered when it shows them.
        body["buttons"] = buttons
    row.payload_enc = keys.seal(key_id, "outbox", "payload_enc", row.id, json.dumps(body))
    session.add(row)


def _to_coordinator(session: Session, keys: Keyring, meeting: Meeting, kind: str, text: str,
                    with_meeting: bool = True) -> None:
    coordinator = session.get(Coordinator, meeting.coordinator_id)
    if coordinator is not None:
        _queue(session, keys, channel="coordinator", recipient=coordinator.id,
               key_id=coordinator.key_id, kind=kind, text=text,
               meeting_id=meeting.id if with_meeting else None)


def to_coordinator_text(session: Session, keys: Keyring, meeting: Meeting, kind: str, name: str,
                        **values) -> None:
    """A content-free line to the coordinator from notices.yml's `coordinator` texts."""
    _to_coordinator(session, keys, meeting, kind, texts()["coordinator"][name].format(**values))


def to_person(session: Session, keys: Keyring, person: Person, kind: str, text: str) -> int:
    sent = 0
    for conversation in conversations_of(session, person.id):
        _queue(session, keys, channel=conversation.channel, recipient=conversation.id,
               key_id=conversation.key_id, kind=kind, text=text)
        sent += 1
    return sent


def push(session: Session, keys: Keyring, person: Person, kind: str, text: str,
         buttons: list[dict] | None = None) -> int:
    """A notice to each of the person's chats that can show one by itself; none while the
    person has paused messages. Returns how many rows were queued."""
    if person.paused:
        return 0
    sent = 0
    for conversation in conversations_of(session, person.id):
        if conversation.channel in PUSH_CHANNELS and conversation.erased_at is None:
            _queue(session, keys, channel=conversation.channel, recipient=conversation.id,
                   key_id=conversation.key_id, kind=kind, text=text, buttons=buttons)
            sent += 1
    return sent


def new_message(session: Session, keys: Keyring, person: Person, kind: str, button: str) -> int:
    """The lock-screen-safe line ("Hej! Du har ett nytt meddelande …") with one button."""
    return push(session, keys, person, kind, texts()["person"]["new_message"],
                [dict(texts()["buttons"][button])])


def outcome_missing(session: Session, keys: Keyring, meeting: Meeting) -> None:
    _to_coordinator(session, keys, meeting, "outcome_missing",
                    texts()["coordinator"]["outcome_missing"].format(
                        day=short_day(meeting.starts_at), meeting_id=meeting.id))


def paused_changed(session: Session, keys: Keyring, meeting: Meeting, person: Person,
                   paused: bool) -> None:
    """That messages were paused or are on again: content-free, to the coordinator."""
    name = f"{'paused' if paused else 'resumed'}_{'child' if person.role == 'child' else 'guardian'}"
    _to_coordinator(session, keys, meeting, "paused" if paused else "resumed",
                    texts()["coordinator"][name].format(day=short_day(meeting.starts_at)))


def feedback_ready(session: Session, keys: Keyring, meeting: Meeting) -> None:
    _to_coordinator(session, keys, meeting, "feedback",
                    texts()["coordinator"]["feedback_ready"].format(day=short_day(meeting.starts_at)))


def checkin_not_done(session: Session, keys: Keyring, meeting: Meeting) -> None:
    """Only that not everything happened: the child chose to say so, and nothing more."""
    _to_coordinator(session, keys, meeting, "checkin",
                    texts()["coordinator"]["checkin_not_done"].format(day=short_day(meeting.starts_at)))


def code_used(session: Session, keys: Keyring, meeting: Meeting, role: str) -> None:
    template = texts()["coordinator"]["code_used_child" if role == "child" else "code_used_guardian"]
    _to_coordinator(session, keys, meeting, "code_used", template.format(day=short_day(meeting.starts_at)))


def web_login_locked(session: Session, keys: Keyring, meeting: Meeting, role: str,
                     lockouts: int) -> None:
    """That someone typed the wrong PIN too often at a person's web login: nothing more."""
    template = texts()["coordinator"]["web_login_locked_child" if role == "child"
                                      else "web_login_locked_guardian"]
    _to_coordinator(session, keys, meeting, "login_locked",
                    template.format(day=short_day(meeting.starts_at), times=lockouts))


def statement_ready(session: Session, keys: Keyring, meeting: Meeting, version: int, *,
                    first: bool) -> None:
    """`first`: no earlier version gave this coordinator anything, so it is not "ändrad"."""
    template = texts()["coordinator"]["statement_first" if first else "statement_changed"]
    _to_coordinator(session, keys, meeting, "statement",
                    template.format(day=short_day(meeting.starts_at), version=version))


def erased(session: Session, keys: Keyring, meeting: Meeting) -> None:
    _to_coordinator(session, keys, meeting, "erased",
                    texts()["coordinator"]["erased"].format(day=short_day(meeting.starts_at)),
                    with_meeting=False)


def crisis(session: Session, keys: Keyring, meeting: Meeting, on_duty: str | None) -> None:
    """Content-free and urgent; to the coordinator and the on-duty contact, never guardians.

    Sealed under the meeting's (the child's) key, not the coordinator's: that a child had a
    crisis is about the child, so erasing the child shreds these rows like every other.
    """
    coordinator = session.get(Coordinator, meeting.coordinator_id)
    if coordinator is None or meeting.key_id is None:
        return
    _queue(session, keys, channel="coordinator", recipient=coordinator.id, key_id=meeting.key_id,
           kind="crisis", text=texts()["coordinator"]["crisis"], meeting_id=meeting.id)
    if on_duty:
        _queue(session, keys, channel="on_duty", recipient=on_duty, key_id=meeting.key_id,
               kind="crisis", text=texts()["on_duty"]["crisis"].format(day=short_day(meeting.starts_at)))


def meeting_changed(session: Session, keys: Keyring, meeting: Meeting, place: str, people: list[Person]) -> int:
    text = texts()["person"]["meeting_moved"].format(when=long_form(meeting.starts_at), place=place)
    return sum(to_person(session, keys, person, "meeting_changed", text) for person in people)


def meeting_cancelled(session: Session, keys: Keyring, meeting: Meeting, people: list[Person]) -> int:
    text = texts()["person"]["meeting_cancelled"].format(day=short_day(meeting.starts_at))
    return sum(to_person(session, keys, person, "meeting_cancelled", text) for person in people)
