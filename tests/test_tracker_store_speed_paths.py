"""The tracker store's short cuts (append only the new events, keep the current session of
recent chats decrypted in the process) never change what Rasa gets back: several Rasa
processes sharing one database always see each other's turns, an erasure anywhere drops
every copy, and a turn that failed before saving leaves nothing behind. On SQLite and on
a real PostgreSQL server; each store instance stands for one Rasa process."""
from __future__ import annotations

import asyncio
import os

import pytest
from sqlalchemy import delete, func, select

from bot.services import conversations
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from bot.store.models import TrackerEvent
from tests.erasure_world import rasa_escaped, readable

SECRET = "jag är rädd för pappa när han dricker"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, isolated_env, monkeypatch):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("SIPKOMPIS_DB_URL", url)
        return url
    return os.environ["SIPKOMPIS_DB_URL"]


def replica(url: str):
    from rasa.shared.core.domain import Domain

    from bot.rasa_plugins.tracker_store import EncryptedTrackerStore

    return EncryptedTrackerStore(Domain.empty(), db_url=url)


def turn(store, sender: str, text: str) -> list[str]:
    """One turn as Rasa runs it; returns the user texts the turn saw before its own."""
    from rasa.shared.core.events import BotUttered, UserUttered

    async def run():
        tracker = await store.get_or_create_tracker(sender)
        seen = [e.text for e in tracker.events if isinstance(e, UserUttered)]
        tracker.update(UserUttered(text))
        tracker.update(BotUttered(f"Tack! Du skrev {len(text)} tecken."))
        await store.save(tracker)
        return seen

    return asyncio.run(run())


def user_texts(store, sender: str, full: bool = False) -> list[str] | None:
    from rasa.shared.core.events import UserUttered

    get = store.retrieve_full_tracker if full else store.retrieve
    tracker = asyncio.run(get(sender))
    return None if tracker is None else [e.text for e in tracker.events if isinstance(e, UserUttered)]


def stored_rows(url: str, sender: str) -> int:
    with open_store(url)() as session:
        return session.scalar(select(func.count()).select_from(TrackerEvent).where(
            TrackerEvent.conversation_id == sender))


def test_turns_spread_over_two_processes_always_see_every_earlier_turn(url):
    one, two = replica(url), replica(url)
    said = []
    for n in range(8):
        text = f"meddelande {n}"
        store = one if n % 3 != 1 else two  # uneven, so each is sometimes behind by several
        assert turn(store, "chat-a", text) == said
        said.append(text)
    for store in (one, two):
        assert user_texts(store, "chat-a") == said
        assert user_texts(store, "chat-a", full=True) == said
    # Each event was written once: no turn re-wrote what an earlier one had stored.
    full = asyncio.run(one.retrieve_full_tracker("chat-a"))
    assert stored_rows(url, "chat-a") == len(full.events)


def test_a_conversation_rewritten_to_the_same_length_elsewhere_is_read_afresh(url):
    one, two = replica(url), replica(url)
    turn(one, "chat-b", "det gamla")
    assert one.holds("chat-b")
    rows = stored_rows(url, "chat-b")
    with transaction(open_store(url)) as session:  # history dropped by another process
        session.execute(delete(TrackerEvent).where(TrackerEvent.conversation_id == "chat-b"))
    assert turn(two, "chat-b", "det nya") == []
    assert stored_rows(url, "chat-b") == rows  # same count, same last position, new content
    assert user_texts(one, "chat-b") == ["det nya"]
    assert turn(one, "chat-b", "och sen") == ["det nya"]


def test_an_erasure_in_another_process_leaves_no_copy_behind(url):
    store = replica(url)
    turn(store, "chat-c", SECRET)
    turn(store, "chat-c", "mer")
    assert store.holds("chat-c") and rasa_escaped(SECRET) in readable(open_store(url))
    with transaction(open_store(url)) as session:  # e.g. `forget` or retention, from the CLI
        conversations.discard(session, Keyring(session), "chat-c")
    assert store.sweep() == 1  # what runs by itself every half minute
    assert not store.holds("chat-c")
    assert user_texts(store, "chat-c") is None
    assert rasa_escaped(SECRET) not in readable(open_store(url))
    # A held copy that still matches the store stays.
    turn(store, "chat-d", "hej")
    assert store.sweep() == 0 and store.holds("chat-d")


def test_a_turn_that_fails_before_saving_leaves_nothing_behind(url):
    from rasa.shared.core.events import UserUttered

    store = replica(url)
    turn(store, "chat-e", "första")

    async def failed_turn():
        tracker = await store.retrieve("chat-e")
        tracker.update(UserUttered("aldrig sparad"))  # the turn dies here, no save

    asyncio.run(failed_turn())
    assert user_texts(store, "chat-e") == ["första"]
    assert turn(store, "chat-e", "andra") == ["första"]
    assert user_texts(replica(url), "chat-e", full=True) == ["första", "andra"]


def test_the_held_copy_is_bounded_and_expires(url):
    store = replica(url)
    store.held_max = 3
    for n in range(5):
        turn(store, f"chat-{n}", "hej")
    assert [store.holds(f"chat-{n}") for n in range(5)] == [False, False, True, True, True]
    store.held_seconds = 0
    assert store.sweep() == 3
    assert not any(store.holds(f"chat-{n}") for n in range(5))
    assert user_texts(store, "chat-4") == ["hej"]  # still all there in the store
