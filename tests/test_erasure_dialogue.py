"""'radera allt' in the real dialogue (issue 12 defects 1 and 2): before any code, and
after the coordinator reissued the code. Read back with the service's own tracker store
and keyring, nothing of what was erased opens."""
from __future__ import annotations

import asyncio
import json
import secrets

import pytest

from tests.conftest import new_meeting
from tests.erasure_world import rasa_escaped, readable

pytestmark = pytest.mark.stack


def texts(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.fixture
def stack_store(stack, monkeypatch):
    """This test process reads the stack's store with the stack's own keys."""
    from bot.store.db import open_store

    for name in ("SIPKOMPIS_DB_URL", "SIPKOMPIS_MASTER_KEY_FILE", "SIPKOMPIS_VAR_DIR"):
        monkeypatch.setenv(name, stack.env[name])
    return open_store(stack.env["SIPKOMPIS_DB_URL"])


def tracker_text(factory_url: str, sender: str) -> str:
    from rasa.shared.core.domain import Domain

    from bot.rasa_plugins.tracker_store import EncryptedTrackerStore

    store = EncryptedTrackerStore(Domain.empty(), db_url=factory_url)
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    return json.dumps([e.as_dict() for e in tracker.events]) if tracker else ""


def unreadable(stack, factory, word: str) -> bool:
    everything = readable(factory)
    return word not in everything and rasa_escaped(word) not in everything


def test_erase_before_any_code_really_erases_what_was_typed(stack, stack_store):
    secret = f"hemligheten {secrets.token_hex(3)} är att jag är rädd"
    sender = secrets.token_hex(8)
    stack.say(sender, "hej")
    stack.say(sender, secret)
    assert rasa_escaped(secret) in tracker_text(stack.env["SIPKOMPIS_DB_URL"], sender)
    asked = stack.say(sender, "radera allt")
    assert "/affirm" in [b["payload"] for r in asked for b in r.get("buttons") or []]
    assert "raderat" in texts(stack.say(sender, "/affirm"))
    assert rasa_escaped(secret) not in tracker_text(stack.env["SIPKOMPIS_DB_URL"], sender)
    assert unreadable(stack, stack_store, secret)
    # The chat goes on, empty, and still asks for a code.
    assert "kod" in texts(stack.say(sender, "hej")).lower()
    assert unreadable(stack, stack_store, secret)


def test_erase_after_a_reissued_code_reaches_the_old_chat_too(stack, stack_store):
    meeting = new_meeting(stack, child_name="Tove Lund")
    secret = f"svaret {secrets.token_hex(3)} om skolan"
    old_chat, new_chat = secrets.token_hex(8), secrets.token_hex(8)
    stack.say(old_chat, meeting["child_code"])
    stack.say(old_chat, "/affirm")
    stack.say(old_chat, "/start_preparation")
    stack.say(old_chat, secret)
    assert rasa_escaped(secret) in tracker_text(stack.env["SIPKOMPIS_DB_URL"], old_chat)
    reissued = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "child",
                                    "--json").stdout)
    # The old chat is cut off at once.
    assert "kod" in texts(stack.say(old_chat, "när är mötet")).lower()
    stack.say(new_chat, reissued["code"])
    stack.say(new_chat, "radera allt")
    erased = stack.say(new_chat, "/affirm")  # a 5xx would raise here
    assert "raderat" in texts(erased)
    assert rasa_escaped(secret) not in tracker_text(stack.env["SIPKOMPIS_DB_URL"], old_chat)
    assert unreadable(stack, stack_store, secret) and unreadable(stack, stack_store, "Tove")
    again = json.loads(stack.cli("forget", "--person", reissued["person_id"], "--json").stdout)
    assert again["already_erased"] is True
