"""Notices the service sends on its own: escalation on a crisis (content-free, never to
guardians), the child and guardians told when the meeting moves or is cancelled, and the
content-free reminder with its button as Telegram and the web chat show it."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import REPO, new_meeting, start_stack, stop_stack
from tests.followup_world import NEW_MESSAGE, FollowupWorld


READ_OUTBOX = r'''
import json
from sqlalchemy import select
from bot.store.db import open_store
from bot.store.keyring import Keyring
from bot.store.models import OutboxMessage
rows = []
with open_store()() as session:
    keys = Keyring(session)
    for row in session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)):
        rows.append({"channel": row.channel, "recipient": row.recipient, "kind": row.kind,
                     **json.loads(keys.open("outbox", "payload_enc", row.id, row.payload_enc))})
print(json.dumps(rows, ensure_ascii=False))
'''


def outbox(stack) -> list[dict]:
    result = subprocess.run([sys.executable, "-c", READ_OUTBOX], cwd=REPO, capture_output=True,
                            text=True, env={**os.environ, **stack.env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.mark.stack
def test_escalation_is_content_free_and_never_reaches_guardians(trained_model, tmp_path):
    running = start_stack(tmp_path / "var", {"SIPKOMPIS_ESCALATION": "coordinator",
                                             "SIPKOMPIS_ON_DUTY_CONTACT": "socialjouren"})
    try:
        meeting = new_meeting(running)
        guardian = json.loads(running.cli("invite", "--meeting", meeting["meeting_id"], "--role",
                                          "guardian", "--name", "Anna", "--json").stdout)
        guardian_chat = secrets.token_hex(8)
        running.say(guardian_chat, guardian["code"])
        child = secrets.token_hex(8)
        start = texts(running.say(child, meeting["child_code"]))
        assert "samordnare" in start and "signal" in start  # told before anything is asked
        running.say(child, "/affirm")
        words = "min styvpappa slår mig varje kväll"
        replies = running.say(child, words)
        assert "116 111" in texts(replies) and "signal" in texts(replies)
        rows = outbox(running)
        crisis = [r for r in rows if r["kind"] == "crisis"]
        assert {r["channel"] for r in crisis} == {"coordinator", "on_duty"}
        assert all("slår" not in r["text"] and "styvpappa" not in r["text"] for r in rows)
        assert not [r for r in rows if r["recipient"] == guardian_chat and r["kind"] == "crisis"]

        moved = running.cli("meeting", "update", "--meeting", meeting["meeting_id"], "--at",
                            "2030-05-22 13:00", "--json")
        assert moved.returncode == 0, moved.stderr
        running.cli("meeting", "cancel", "--meeting", meeting["meeting_id"], "--json")
        rows = outbox(running)
        for chat in (child, guardian_chat):
            told = [r["text"] for r in rows if r["recipient"] == chat]
            assert any("onsdag 22 maj 2030 kl. 13.00" in t for t in told)
            assert any("inställt" in t for t in told)
    finally:
        stop_stack(running)


def _reminded_world(tmp_path):
    from datetime import datetime

    world = FollowupWorld(os.environ["SIPKOMPIS_DB_URL"], tmp_path / "keys")
    meeting_id, child_id = world.meeting(at=datetime(2030, 5, 20, 7, 30))
    return world, meeting_id, child_id


def test_telegram_sends_the_reminder_with_a_button_offered_to_that_chat_only(isolated_env, tmp_path):
    import asyncio
    from datetime import datetime

    from telegram import Bot

    from bot.channels.telegram import chats
    from bot.channels.telegram.outbox import Sender
    from bot.store.db import transaction
    from bot.store.keyring import Keyring
    from tests.fake_telegram import FakeTelegram

    world, _meeting_id, child_id = _reminded_world(tmp_path)
    with transaction(world.factory) as session:
        keys = Keyring(session)
        child_chat, _ = chats.find_or_create(session, keys, 4242)
        other_chat, _ = chats.find_or_create(session, keys, 5151)
    world.link(child_chat.conversation_id, world.code(child_id), channel="telegram")
    assert world.run(datetime(2030, 5, 17, 7, 30)) == 1
    fake = FakeTelegram().start()

    async def send():
        bot = Bot(fake.token, base_url=fake.api_base)
        await bot.initialize()
        try:
            await Sender(bot, world.factory).send_due()
        finally:
            await bot.shutdown()

    try:
        asyncio.run(send())
        sent = fake.sent_to(4242, "sendMessage")
        assert [m.text for m in sent] == [NEW_MESSAGE]  # what a lock screen shows: nothing more
        assert [b["text"] for b in sent[0].buttons] == ["Öppna"]
        callback = sent[0].buttons[0]["callback_data"]
        with world.factory() as session:
            keys = Keyring(session)
            offered = chats.offered_payload(session, keys, session.get(type(child_chat), child_chat.id), callback)
            assert offered is not None and offered[1] == "/open_reminder"
            assert chats.offered_payload(session, keys, session.get(type(other_chat), other_chat.id),
                                         callback) is None
        assert fake.sent_to(5151) == []
    finally:
        fake.stop()


def test_the_web_chat_shows_the_reminder_with_its_button_beside_a_forms_buttons(isolated_env, tmp_path):
    from datetime import datetime

    from bot.channels.web import transcript
    from bot.store.db import transaction
    from bot.store.keyring import Keyring

    world, _meeting_id, child_id = _reminded_world(tmp_path)
    world.link("web-chat", world.code(child_id), channel="web")
    with transaction(world.factory) as session:
        transcript.append(session, Keyring(session), "web-chat", [
            {"who": "bot", "text": "Vad är bra?", "buttons": [{"title": "Hoppa över", "payload": "/skip"}]}])
    assert world.run(datetime(2030, 5, 17, 7, 30)) == 1
    with transaction(world.factory) as session:
        keys = Keyring(session)
        assert transcript.deliver_outbox(session, keys, "web-chat") == 1
        lines = transcript.read(session, keys, "web-chat")
    assert lines[-1]["text"] == NEW_MESSAGE
    assert transcript.offered(lines) == [{"title": "Hoppa över", "payload": "/skip"},
                                         {"title": "Öppna", "payload": "/open_reminder"}]
    assert transcript.offered(lines + [{"who": "child", "text": "hej", "buttons": []}]) == []
