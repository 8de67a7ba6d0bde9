"""Inviting the child or a guardian to a meeting, and taking a code back.

The `invite` command and the desk both come here, so a reissued code always ends the old
one and every chat that used it, whoever asks for it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import audit, invites, meetings
from bot.services.errors import NotFound
from bot.store.keyring import Keyring
from bot.store.models import Invite, Person, utcnow


class InviteRefused(Exception):
    """The meeting takes no new invites (cancelled, erased or held)."""


@dataclass(frozen=True)
class Invitation:
    code: str  # the raw code: shown once, on the letter, never stored
    person_id: str
    role: str


def invite(session: Session, keys: Keyring, meeting_id: str, *, role: str, name: str | None,
           actor: str) -> Invitation:
    meeting = meetings.get(session, meeting_id)
    if meeting.status != "planned":
        raise InviteRefused(f"the meeting is {meeting.status}; no new invites")
    if role == "child":
        person = meetings.child_of(session, meeting.id)
        # Reissuing for the child ends the old code first, and every chat linked with
        # it: whoever used a stolen code must not keep the child's chat.
        invites.cut_off(session, keys, person.id, reset=False)
    elif role == "guardian":
        person = meetings.create_person(session, keys, meeting=meeting, role="guardian",
                                        name=name or "Vårdnadshavare")
    else:
        raise ValueError(f"role must be child or guardian, got {role!r}")
    session.flush()
    code = invites.issue(session, keys, kind="person", person_id=person.id)
    audit.record(session, actor, "invite", "person", person.id, meeting.id)
    return Invitation(code, person.id, role)


def revoke(session: Session, keys: Keyring, person_id: str, *, actor: str,
           meeting_id: str | None = None) -> dict:
    """End the person's codes and chats (their stored history too). With `meeting_id`, the
    person must belong to that meeting: the desk never reaches into another's meeting."""
    person = session.get(Person, person_id)
    if person is None or (meeting_id is not None and person.meeting_id != meeting_id):
        raise NotFound("unknown person")
    result = invites.cut_off(session, keys, person_id, reset=True)
    audit.record(session, actor, "revoke", "person", person_id, person.meeting_id)
    return result


@dataclass(frozen=True)
class Invitee:
    person_id: str
    role: str
    name: str
    code_state: str  # none | waiting | used | revoked


def invitees(session: Session, keys: Keyring, meeting_id: str) -> list[Invitee]:
    """The child and guardians of a meeting with the state of their newest code."""
    now = utcnow()
    found = []
    for person in meetings.people_of(session, meeting_id):
        if person.role not in ("child", "guardian") or person.name_enc in (None, b""):
            continue
        newest = session.scalars(select(Invite).where(Invite.person_id == person.id)
                                 .order_by(Invite.created_at.desc())).first()
        if newest is None:
            state = "none"
        elif newest.revoked_at is not None or (newest.used_at is None and newest.expires_at < now):
            state = "revoked"
        elif newest.used_at is not None:
            state = "used"
        else:
            state = "waiting"
        found.append(Invitee(person.id, person.role, meetings.person_name(keys, person), state))
    return found
