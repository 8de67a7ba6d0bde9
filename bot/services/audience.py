"""Who is writing, for help that fits: a child, an adult (18 or over), a guardian, or unknown.

Read from the store by conversation id, never from slots or entities (a typed
`/intent{...}` can set slots). Only the age band is stored, never an age.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.store.models import Conversation, Person

__all__ = ["AUDIENCES", "AGE_BANDS", "audience_of", "band_for_age", "has_guardians"]

AUDIENCES = ("child", "adult", "guardian", "unknown")
AGE_BANDS = ("under_18", "18_plus")


def band_for_age(age: int | None) -> str | None:
    """The band for an age given at `meeting create`; None keeps it unknown."""
    if age is None:
        return None
    if age < 0 or age > 130:
        raise ValueError("age must be between 0 and 130")
    return "18_plus" if age >= 18 else "under_18"


def audience_of(session: Session, conversation_id: str) -> str:
    """"child", "adult", "guardian" or "unknown" (unlinked, or a child of unknown age)."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or not conversation.person_id:
        return "unknown"
    person = session.get(Person, conversation.person_id)
    if person is None:
        return "unknown"
    if person.role == "guardian":
        return "guardian"
    if person.role == "child":
        return {"under_18": "child", "18_plus": "adult"}.get(person.age_band or "", "unknown")
    return "unknown"


def has_guardians(session: Session, child: Person) -> bool:
    """Whether sharing with guardians means anything for this child.

    At 18 nobody has vårdnadshavare: offering "visa för vårdnadshavare" to a young adult
    is wrong and would send their words to nobody. A coordinator may still invite a
    guardian for an 18-20-year-old (a parent they asked to come); then the choice stays.
    """
    if child.age_band != "18_plus":
        return True
    return session.query(Person).filter(Person.meeting_id == child.meeting_id,
                                        Person.role == "guardian").first() is not None
