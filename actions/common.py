"""What every action needs: a store session, the caller's identity, and reply helpers."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.config import load_settings
from bot.services import conversations, meetings
from bot.services.conversations import Identity
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring, KeyUnavailable
from bot.swedish_dates import long_form


@contextmanager
def store() -> Iterator[tuple[Any, Keyring]]:
    with transaction(open_store()) as session:
        yield session, Keyring(session)


def who(session, tracker: Tracker) -> Identity | None:
    """Identity from the store by conversation id: never from slots or entities."""
    ident = conversations.identity(session, tracker.sender_id)
    if ident is None or ident.person is None or ident.meeting is None:
        return None
    return ident


def meeting_vars(session, keys: Keyring, ident: Identity) -> dict[str, str]:
    try:
        view = meetings.view(session, keys, ident.meeting.id)
    except KeyUnavailable:
        return {"meeting_when": "okänt", "place": "okänt", "purpose": "okänt"}
    return {"meeting_when": long_form(view.starts_at), "place": view.place, "purpose": view.purpose}


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


def settings():
    return load_settings()


def utter(dispatcher: CollectingDispatcher, response: str, **values: Any) -> None:
    dispatcher.utter_message(response=response, **values)


def asked_in_last_turn(tracker: Tracker, slot: str) -> bool:
    """Whether `slot` was set by the bot's reply to the message before this one.

    A yes/no question counts only for the very next message: a "ja" given to something
    else two turns later must never confirm an erasure the child already moved on from.
    """
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return False
        elif users_seen == 1 and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value") is not None
    return False
