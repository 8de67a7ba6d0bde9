"""What every action needs: a store session, the caller's identity, and reply helpers."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.config import load_settings
from bot.services import conversations, meetings
from bot.services.conversations import Identity
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring, KeyUnavailable
from bot.swedish_dates import long_form

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "config" / "domain"


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
    return {"meeting_when": long_form(view.starts_at), "place": view.place, "purpose": view.purpose_shown_to_child}


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


def settings():
    return load_settings()


@lru_cache(maxsize=1)
def responses() -> dict[str, dict]:
    """The domain's responses (one variant each), read from the same files Rasa trains on."""
    merged: dict[str, list] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        merged.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return {name: variants[0] for name, variants in merged.items()}


class _Kept(dict):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def utter(dispatcher: CollectingDispatcher, response: str, **values: Any) -> None:
    """A domain response, with `values` filled in here rather than by Rasa.

    Rasa interpolates a response's variables after filling them in, so a child's answer
    containing `{` or `0[` broke the whole template and the child approved a text they
    had never been shown. Here each value is inserted once, as text, and never read as
    template syntax; only the domain's own template is.
    """
    if not values:
        dispatcher.utter_message(response=response)
        return
    template = responses()[response]
    text = template.get("text", "").format_map(_Kept({k: str(v) for k, v in values.items()}))
    dispatcher.utter_message(text=text, buttons=list(template.get("buttons") or []))


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
