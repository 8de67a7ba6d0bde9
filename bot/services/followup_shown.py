"""When an outcome or check-in counts as shown to the child: when the turn that showed it
is saved, not when the action ran.

action_followup_open used to mark it shown in its own transaction, committed before Rasa
had saved the turn. A turn that then failed (the crash harness killed the action server
as the follow-up form asked its first question) was answered with an error and never
saved; the child's resent message found nothing waiting and got the after-meeting menu,
so the heard questions were never asked. Now the action only names what it showed in a
slot, and the tracker store marks it in the transaction that saves those events.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services import followups

SHOWN_SLOT = "shown_followup"
SHOWING_ACTION = "action_followup_open"


def shown_mark(kind: str, followup_id: str) -> str:
    return f"{kind}:{followup_id}"


def mark_shown_in_saved_turn(session: Session, events: list[dict]) -> None:
    """Mark shown what action_followup_open showed in these newly saved events, in the
    transaction that saves them: shown means the turn that showed it was kept. Only the
    slot set by that action counts; the same slot copied into a new session does not."""
    last_action = None
    for event in events:
        if event.get("event") == "action":
            last_action = event.get("name")
        elif (event.get("event") == "slot" and event.get("name") == SHOWN_SLOT
              and last_action == SHOWING_ACTION and isinstance(event.get("value"), str)):
            kind, _, followup_id = event["value"].partition(":")
            if kind == "outcome":
                followups.mark_outcome_shown(session, followup_id)
            elif kind == "checkin":
                followups.mark_checkin_shown(session, followup_id)
