"""Meetings, their participants and the people invited to them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.roles import Role, explain, match_role
from bot.services import audit, notices, statements
from bot.services.errors import NotFound
from bot.store.keyring import Keyring
from bot.store.models import Coordinator, Meeting, Participant, Person, StatementItem, new_id, utcnow


@dataclass(frozen=True)
class ParticipantView:
    name: str
    role: Role


@dataclass(frozen=True)
class MeetingView:
    id: str
    coordinator_id: str
    starts_at: datetime
    place: str
    purpose: str
    status: str
    participants: list[ParticipantView]
    child_id: str | None
    purpose_for_child: str | None = None

    @property
    def purpose_shown_to_child(self) -> str:
        return self.purpose_for_child or self.purpose


def parse_participant(spec: str) -> tuple[str, str]:
    name, sep, role = spec.partition(":")
    if not sep or not name.strip() or not role.strip():
        # Without the value: it holds a person's name, and stderr ends up in logs.
        raise ValueError("participant must be written as Name:role")
    return name.strip(), role.strip()


def create_person(session: Session, keys: Keyring, *, meeting: Meeting, role: str, name: str) -> Person:
    """A child or guardian. A child's key is the meeting's key: erasing it shreds the meeting."""
    person = Person(id=new_id(), meeting_id=meeting.id, role=role, name_enc=b"")
    person.key_id = meeting.key_id if role == "child" else keys.create_key()
    person.name_enc = keys.seal(person.key_id, "people", "name_enc", person.id, name)
    session.add(person)
    return person


def create(session: Session, keys: Keyring, *, coordinator_id: str, child_name: str,
           starts_at: datetime, place: str, purpose: str,
           participants: list[tuple[str, str]],
           child_age_band: str | None = None,
           purpose_for_child: str | None = None) -> tuple[Meeting, Person, list[str]]:
    """Returns the meeting, the child, and warnings for roles not in the catalogue.

    `child_age_band` ("under_18" | "18_plus" | None) picks help that fits in a crisis;
    only the band is kept, never the age.
    """
    if child_age_band not in (None, "under_18", "18_plus"):
        raise ValueError(f"unknown age band {child_age_band!r}")
    if session.get(Coordinator, coordinator_id) is None:
        raise NotFound("unknown coordinator")
    meeting = Meeting(id=new_id(), coordinator_id=coordinator_id, starts_at=starts_at,
                      key_id=keys.create_key(), place_enc=b"", purpose_enc=b"")
    meeting.place_enc = keys.seal(meeting.key_id, "meetings", "place_enc", meeting.id, place)
    meeting.purpose_enc = keys.seal(meeting.key_id, "meetings", "purpose_enc", meeting.id, purpose)
    if purpose_for_child:
        _seal_purpose_for_child(keys, meeting, purpose_for_child)
    session.add(meeting)
    session.flush()
    warnings = []
    for position, (name, role_text) in enumerate(participants):
        role = match_role(role_text)
        row = Participant(id=new_id(), meeting_id=meeting.id, position=position,
                          name_enc=b"", role=role.name if role else "other")
        row.name_enc = keys.seal(meeting.key_id, "participants", "name_enc", row.id, name)
        if role is None:
            warnings.append(f"unknown role {role_text!r} for {name}: accepted, explained in general terms")
            row.role_label_enc = keys.seal(meeting.key_id, "participants", "role_label_enc",
                                           row.id, role_text)
        session.add(row)
    child = create_person(session, keys, meeting=meeting, role="child", name=child_name)
    child.age_band = child_age_band
    _plan(session, meeting)
    audit.record(session, f"coordinator:{coordinator_id}", "create", "meeting", meeting.id, meeting.id)
    return meeting, child, warnings


def _plan(session: Session, meeting: Meeting) -> None:
    """Reminders before, and the coordinator's reminder after, follow the meeting's time
    (imported here: bot.services.followups builds on this module)."""
    from bot.services import followups

    session.flush()
    followups.plan_meeting(session, meeting)


def get(session: Session, meeting_id: str) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("unknown meeting")
    return meeting


def child_of(session: Session, meeting_id: str) -> Person | None:
    return session.scalars(select(Person).where(
        Person.meeting_id == meeting_id, Person.role == "child")).first()


def view(session: Session, keys: Keyring, meeting_id: str) -> MeetingView:
    meeting = get(session, meeting_id)
    rows = session.scalars(select(Participant).where(Participant.meeting_id == meeting.id)
                           .order_by(Participant.position)).all()
    participants = []
    for row in rows:
        name = keys.open("participants", "name_enc", row.id, row.name_enc)
        if row.role == "other" and row.role_label_enc:
            role = explain(keys.open("participants", "role_label_enc", row.id, row.role_label_enc))
        else:
            role = explain(row.role)
        participants.append(ParticipantView(name, role))
    child = child_of(session, meeting.id)
    return MeetingView(
        id=meeting.id, coordinator_id=meeting.coordinator_id, starts_at=meeting.starts_at,
        place=keys.open("meetings", "place_enc", meeting.id, meeting.place_enc),
        purpose=keys.open("meetings", "purpose_enc", meeting.id, meeting.purpose_enc),
        status=meeting.status, participants=participants, child_id=child.id if child else None,
        purpose_for_child=(keys.open("meetings", "purpose_child_enc", meeting.id, meeting.purpose_child_enc)
                           if meeting.purpose_child_enc else None),
    )


def _seal_purpose_for_child(keys: Keyring, meeting: Meeting, text: str) -> None:
    meeting.purpose_child_enc = keys.seal(meeting.key_id, "meetings", "purpose_child_enc",
                                          meeting.id, " ".join(text.split()))


def set_purpose_for_child(session: Session, keys: Keyring, meeting_id: str, text: str, *,
                          actor: str) -> Meeting:
    """Change only how the purpose reads for the child: no notice, since nothing about when
    or where changed; an empty text goes back to the coordinator's purpose."""
    meeting = get(session, meeting_id)
    if meeting.status == "erased" or meeting.key_id is None:
        raise NotFound("the meeting was erased")
    if text.strip():
        _seal_purpose_for_child(keys, meeting, text)
    else:
        meeting.purpose_child_enc = None
    audit.record(session, actor, "change", "meeting", meeting.id, meeting.id)
    return meeting


def person_name(keys: Keyring, person: Person) -> str:
    return keys.open("people", "name_enc", person.id, person.name_enc)


def first_name(keys: Keyring, person: Person) -> str:
    name = person_name(keys, person).strip()
    return name.split()[0] if name else ""


def update(session: Session, keys: Keyring, meeting_id: str, *, starts_at: datetime | None,
           place: str | None, actor: str) -> Meeting:
    meeting = get(session, meeting_id)
    if meeting.status == "cancelled":
        raise NotFound("the meeting is cancelled")
    if meeting.status == "erased" or meeting.key_id is None:
        raise NotFound("the meeting was erased")
    if starts_at is not None:
        meeting.starts_at = starts_at
    if place is not None:
        meeting.place_enc = keys.seal(meeting.key_id, "meetings", "place_enc", meeting.id, place)
    current_place = place or keys.open("meetings", "place_enc", meeting.id, meeting.place_enc)
    _plan(session, meeting)
    notices.meeting_changed(session, keys, meeting, current_place, people_of(session, meeting.id))
    audit.record(session, actor, "change", "meeting", meeting.id, meeting.id)
    return meeting


def people_of(session: Session, meeting_id: str) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.meeting_id == meeting_id)))


def cancel(session: Session, keys: Keyring, meeting_id: str, *, actor: str) -> Meeting:
    meeting = get(session, meeting_id)
    meeting.status = "cancelled"
    from bot.services import followups

    followups.withdraw_meeting(session, meeting.id)
    notices.meeting_cancelled(session, keys, meeting, people_of(session, meeting.id))
    audit.record(session, actor, "cancel", "meeting", meeting.id, meeting.id)
    return meeting


SENT, DONE = "klar och skickad", "klar"


def preparation_status(session: Session, meeting_id: str) -> str:
    """`inte påbörjad`, `pågår`, `klar` or `klar och skickad`: the only thing a guardian learns.

    "skickad" only when the version that stands gave the coordinator something: a child
    who approved with every item hidden is done, but nothing was sent, and nobody may be
    told otherwise. While the child edits after sending, the coordinator still holds that
    version, so it stays "skickad".
    """
    if statements.coordinator_holds(session, meeting_id):
        return SENT
    items = session.scalars(select(StatementItem).where(StatementItem.meeting_id == meeting_id)).all()
    approved = [item for item in items if item.status == "approved"]
    if approved:
        return DONE
    if items:
        return "pågår"
    return "inte påbörjad"


def list_for(session: Session, coordinator_id: str | None = None) -> list[Meeting]:
    query = select(Meeting).order_by(Meeting.starts_at)
    if coordinator_id:
        query = query.where(Meeting.coordinator_id == coordinator_id)
    return list(session.scalars(query))


def is_upcoming(meeting: Meeting) -> bool:
    return meeting.status == "planned" and meeting.starts_at > utcnow()
