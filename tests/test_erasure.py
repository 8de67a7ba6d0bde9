"""Erasure that keeps its word (issue 12), on SQLite and on a real PostgreSQL server.

Every test writes the child's words through the real encrypted tracker store and the
statement service, checks they are readable, erases, and then reads the whole store back
with the service's own keys (the keyring, the tracker store): nothing of the erased
person may open any more.
"""
from __future__ import annotations

import os
from collections import Counter

import pytest
from sqlalchemy import select

from bot.services import conversations, erasure, invites, notices
from bot.services.errors import NotFound
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.models import Conversation, DataKey, Meeting, OutboxMessage, Person
from bot.store.telegram_models import TelegramChat
from bot.store.web_models import WebLogin, WebSession, WebTranscriptEntry
from tests.erasure_world import World

SECRET = "pappa skriker på mig varje kväll och jag är rädd"
SHARED = "jag vill att mamma vet att jag längtar efter henne"


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request, isolated_env, tmp_path, monkeypatch):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("SIPKOMPIS_DB_URL", url)
    else:
        url = os.environ["SIPKOMPIS_DB_URL"]
    return World(url, tmp_path / "keys")


def forget(world: World, person_id: str, **kwargs) -> dict:
    with transaction(world.factory) as session:
        return erasure.forget(session, Keyring(session), person_id, actor="test", **kwargs)


def prepared_child(world: World, sender: str = "chat-child"):
    meeting_id, child_id = world.meeting()
    world.link(sender, world.code(child_id))
    world.say(sender, SECRET)
    world.approve(child_id, {"good": "fotboll", "hard": SECRET})
    assert world.can_read(SECRET) and SECRET in world.tracker_text(sender)
    return meeting_id, child_id


# --- 1. forget in every state ---------------------------------------------------------

def test_forget_after_revoke_erases_everything_instead_of_failing(world):
    meeting_id, child_id = prepared_child(world)
    with transaction(world.factory) as session:
        invites.cut_off(session, Keyring(session), child_id, reset=True)
    summary = forget(world, child_id)
    assert summary["erased"] is True and summary["people"] == 1
    world.assert_unreadable(SECRET, "Alva", "fotboll", "Skolans konferensrum")
    assert world.tracker_text("chat-child") == ""


@pytest.mark.parametrize("state", ["linked", "revoked", "reissued", "reissued_and_relinked",
                                   "never_linked"])
def test_forget_works_in_every_state_and_counts_what_it_erased(world, state):
    meeting_id, child_id = world.meeting()
    if state != "never_linked":
        world.link("chat-1", world.code(child_id))
        world.say("chat-1", SECRET)
        assert SECRET in world.tracker_text("chat-1")
    if state == "revoked":
        with transaction(world.factory) as session:
            invites.cut_off(session, Keyring(session), child_id, reset=True)
    if state.startswith("reissued"):
        new_code = world.code(child_id, reissue=True)
        # The old chat is cut off but still holds the child's history, under the child's key.
        assert world.conversation("chat-1").person_id is None
        assert SECRET in world.tracker_text("chat-1")
        if state == "reissued_and_relinked":
            world.link("chat-2", new_code)
            world.say("chat-2", "andra chatten")
    summary = forget(world, child_id)
    assert summary["erased"] is True
    if state in ("linked", "reissued", "reissued_and_relinked"):
        assert summary["tracker_events"] >= 2
        assert summary["conversations"] == (2 if state == "reissued_and_relinked" else 1)
    world.assert_unreadable(SECRET, "andra chatten", "Alva")
    assert world.tracker_text("chat-1") == "" and world.tracker_text("chat-2") == ""
    with world.factory() as session:
        assert session.get(Person, child_id) is None
        assert session.get(Meeting, meeting_id).status == "erased"


def test_forget_twice_is_idempotent_and_an_unknown_id_is_refused(world):
    _, child_id = prepared_child(world)
    first = forget(world, child_id)
    assert first["already_erased"] is False
    again = forget(world, child_id)
    assert again == {"erased": True, "already_erased": True, "person_id": child_id}
    with pytest.raises(NotFound):
        forget(world, "no-such-person")


# --- 2. "radera allt" before a code ---------------------------------------------------

def test_erase_in_an_unlinked_chat_deletes_the_rows_and_destroys_the_key(world):
    world.say("chat-anon", SECRET)
    old_key = world.conversation("chat-anon").key_id
    assert world.can_read(SECRET)
    with transaction(world.factory) as session:
        counts = erasure.erase_unlinked(session, Keyring(session), "chat-anon", actor="unlinked")
    assert counts["tracker_events"] == 2 and counts["data_keys"] == 1
    world.assert_unreadable(SECRET)
    assert world.events("chat-anon") == 0
    with world.factory() as session:
        assert session.get(DataKey, old_key) is None
    # Rasa writing back the erased turn it still holds in memory adds nothing readable.
    world.say("chat-anon", "hej igen")
    world.assert_unreadable(SECRET)


# --- 4. nothing left behind: guardians, web logins, Telegram chats, outbox ------------

def test_erasing_the_child_unlinks_guardians_and_leaves_nothing_of_theirs(world):
    from bot.channels.telegram import chats

    meeting_id, child_id = world.meeting()
    guardian_id = world.guardian(meeting_id)
    world.link("chat-child", world.code(child_id))
    with transaction(world.factory) as session:
        keys = Keyring(session)
        chat, _ = chats.find_or_create(session, keys, 424242)
        telegram_conversation = chat.conversation_id
        # Web: a PIN login and a live session, and the sealed transcript the page shows.
        session.add(WebLogin(person_id=child_id, invite_id="x", conversation_id="chat-child",
                             pin_hash=b"scrypt-hash"))
        session.add(WebSession(id_hash="h" * 64, csrf_token="c", person_id=child_id,
                               conversation_id="chat-child"))
        conversation = session.get(Conversation, "chat-child")
        row = WebTranscriptEntry(id="t1", conversation_id="chat-child", position=1, data_enc=b"")
        row.data_enc = keys.seal(conversation.key_id, "web_transcript", "data_enc", "t1", SECRET)
        session.add(row)
        # A crisis signal to the coordinator and a queued reply for the chat.
        notices.crisis(session, keys, session.get(Meeting, meeting_id), "jour 010-123")
    world.link(telegram_conversation, world.code(child_id), channel="telegram")
    world.say(telegram_conversation, SECRET)
    world.link("chat-guardian", world.code(guardian_id))
    world.approve(child_id, {"good": SHARED, "hard": SECRET}, guardians=("good",))
    world.say("chat-guardian", "vad har barnet delat", reply=f"Alva delade: {SHARED}")
    assert SHARED in world.tracker_text("chat-guardian")

    summary = forget(world, child_id)

    assert summary["guardians_unlinked"] == 1
    assert summary["web_logins"] == 1 and summary["web_sessions"] == 1
    assert summary["telegram_chats"] == 1 and summary["statement_items"] == 2
    world.assert_unreadable(SECRET, SHARED, "Alva", "Anna", "jour")
    assert world.tracker_text("chat-guardian") == ""
    with world.factory() as session:
        assert session.get(Person, guardian_id) is None
        assert session.scalars(select(WebLogin)).all() == []
        assert session.scalars(select(WebSession)).all() == []
        assert session.scalars(select(TelegramChat)).all() == []
        assert conversations.identity(session, "chat-guardian").person is None
        # The guardian is told, content-free, that there is nothing more to see.
        keys = Keyring(session)
        told = [keys.open("outbox", "payload_enc", r.id, r.payload_enc) for r in session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "chat-guardian"))]
        assert len(told) == 1 and "inget mer" in told[0] and SHARED not in told[0]


def test_the_chat_asking_for_erasure_keeps_its_telegram_row_until_the_reply_went_out(world):
    from bot.channels.telegram import chats
    from bot.services.retention import ERASED_CHAT_GRACE
    from bot.store.models import utcnow

    _, child_id = world.meeting()
    with transaction(world.factory) as session:
        chat, _ = chats.find_or_create(session, Keyring(session), 777)
        conversation_id = chat.conversation_id
    world.link(conversation_id, world.code(child_id), channel="telegram")
    forget(world, child_id, replying_to=conversation_id)
    with transaction(world.factory) as session:
        keys = Keyring(session)
        chat = session.scalars(select(TelegramChat)).one()
        assert chats.chat_id_of(keys, chat) == 777  # still needed to send the confirmation
        reply = OutboxMessage(id="reply", channel="telegram", recipient=conversation_id,
                              key_id=chat.key_id, payload_enc=b"")
        reply.payload_enc = keys.seal(chat.key_id, "outbox", "payload_enc", "reply", '{"text": "raderat"}')
        session.add(reply)
    later = utcnow() + ERASED_CHAT_GRACE * 2
    with transaction(world.factory) as session:
        assert chats.sweep_erased(session, Keyring(session), later) == 0  # not delivered yet
        session.get(OutboxMessage, "reply").sent_at = utcnow()
    with transaction(world.factory) as session:
        assert chats.sweep_erased(session, Keyring(session), later) == 1
        assert session.scalars(select(TelegramChat)).all() == []


# --- 5. reissued and revoked codes cut off the old chat -------------------------------

def test_a_reissued_code_cuts_off_the_chat_that_used_the_old_one(world):
    _, child_id = world.meeting()
    world.link("stolen", world.code(child_id))
    world.say("stolen", SECRET)
    world.code(child_id, reissue=True)
    with world.factory() as session:
        assert conversations.identity(session, "stolen").person is None


def test_revoke_deletes_the_tracker_and_rekeys_the_chat(world):
    _, child_id = world.meeting()
    world.link("stolen", world.code(child_id))
    world.say("stolen", SECRET)
    old_key = world.conversation("stolen").key_id
    with transaction(world.factory) as session:
        result = invites.cut_off(session, Keyring(session), child_id, reset=True)
    assert result == {"codes_revoked": 1, "chats_unlinked": 1}
    after = world.conversation("stolen")
    assert after.person_id is None and after.key_id != old_key
    assert world.events("stolen") == 0
    world.assert_unreadable(SECRET)


def test_a_chat_holding_one_persons_history_is_started_afresh_for_another(world):
    meeting_id, child_id = world.meeting()
    guardian_id = world.guardian(meeting_id)
    world.link("shared-phone", world.code(child_id))
    world.say("shared-phone", SECRET)
    world.code(child_id, reissue=True)  # the chat is unlinked but still holds the child's words
    world.link("shared-phone", world.code(guardian_id))
    # The guardian's chat starts empty: the child's words were not handed over.
    assert SECRET not in world.tracker_text("shared-phone")
    with world.factory() as session:
        conversation = session.get(Conversation, "shared-phone")
        wrapped_by = session.get(DataKey, conversation.key_id).wrapped_by
        guardian = session.get(Person, guardian_id)
        assert conversation.owner_person_id == guardian_id and wrapped_by == f"key:{guardian.key_id}"
    world.assert_unreadable(SECRET)  # the only copy was that chat's history: dropped
    # Erasing the guardian now does not touch the child.
    forget(world, guardian_id)
    with world.factory() as session:
        assert session.get(Person, child_id) is not None


def test_the_same_person_relinking_keeps_their_own_history(world):
    _, child_id = world.meeting()
    world.link("own-phone", world.code(child_id))
    world.say("own-phone", "mitt eget svar")
    world.link("own-phone", world.code(child_id, reissue=True))
    assert "mitt eget svar" in world.tracker_text("own-phone")


# --- 7. crisis rows are sealed under the child's key ----------------------------------

def test_crisis_outbox_rows_are_sealed_under_the_childs_key_and_go_with_erasure(world):
    meeting_id, child_id = world.meeting()
    with transaction(world.factory) as session:
        meeting = session.get(Meeting, meeting_id)
        notices.crisis(session, Keyring(session), meeting, "jour@kommun.se")
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "crisis")).all()
        assert len(rows) == 2 and {r.key_id for r in rows} == {meeting.key_id}
    summary = forget(world, child_id)
    assert summary["outbox"] >= 2
    with world.factory() as session:
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "crisis")).all() == []


def row_counts(world: World) -> dict[str, int]:
    from sqlalchemy import func

    from bot.store.models import Base

    with world.factory() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables}


def test_the_counts_forget_returns_are_the_rows_it_deleted(world):
    meeting_id, child_id = prepared_child(world)
    world.link("chat-guardian", world.code(world.guardian(meeting_id)))
    world.say("chat-guardian", "hej")
    before = row_counts(world)
    summary = forget(world, child_id)
    after = row_counts(world)
    # Conversations are kept as bare erased rows, each with a fresh empty key; the
    # erasure itself queues notices and writes its audit record.
    created = {"conversations", "data_keys", "outbox", "audit_events"}
    checked = [t for t in summary if t in before and t not in created]
    assert {"tracker_events", "statement_items", "deliveries", "participants", "people",
            "invites"} <= set(checked)
    for table in checked:
        assert before[table] - after[table] == summary[table], table
    assert summary["conversations"] == 2 and summary["guardians_unlinked"] == 1


# --- 7. the REST channel's reply cache forgets an erased conversation ------------------

def test_cached_replies_are_not_given_again_after_erasure(world):
    from bot.rasa_plugins.rest_channel import _Replies

    _, child_id = world.meeting()
    world.link("chat-cache", world.code(child_id))
    world.say("chat-cache", "hej")
    replies = _Replies()
    key = ("chat-cache", "message-1")
    replies.remember(key, [{"text": f"Sammanfattning: {SECRET}"}])
    replies.lock(key)
    assert key in replies.done  # a plain retry is answered from the cache
    forget(world, child_id)
    replies.lock(key)
    assert key not in replies.done


def test_cached_replies_do_not_outlive_their_time(world):
    from bot.rasa_plugins.rest_channel import _Replies

    world.say("chat-ttl", "hej")
    now = [1000.0]
    replies = _Replies(ttl=60)
    replies.clock = lambda: now[0]
    replies.remember(("chat-ttl", "m1"), [{"text": SECRET}])
    now[0] += 61
    replies.remember(("chat-ttl", "m2"), [{"text": "ok"}])
    assert list(replies.done) == [("chat-ttl", "m2")]
