"""The database goes away and comes back: nothing a child sent is acknowledged to Telegram
while it cannot be stored, the web chat says kindly (once) that it is having trouble, and
every channel works again by itself soon after the database returns."""
from __future__ import annotations

import secrets
import sys
import time

import httpx
import pytest

from bot.channels.web.app import texts as web_texts
from tests.conftest import cut_off, new_meeting, start_stack, stop_stack
from tests.fake_telegram import FakeTelegram
from tests.web_browser import csrf_of, http_log_in, nonce_of, web_client

pytestmark = pytest.mark.stack

RECOVERY_LIMIT = 30.0


def texts(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.fixture
def outage(trained_model, pg_database, tmp_path):
    url, admin, name = pg_database
    fake = FakeTelegram().start()
    stack = start_stack(tmp_path / "var", {
        "SIPKOMPIS_DB_URL": url, "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE": fake.api_base, "TELEGRAM_BOT_USERNAME": "sipkompis_test_bot"})
    try:
        yield stack, fake, (lambda allow: cut_off(admin, name, allow))
    finally:
        cut_off(admin, name, True)
        stop_stack(stack)
        fake.stop()


def first_within(seconds: float, check) -> float | None:
    """Seconds until `check()` first holds, or None if it did not within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if check():
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return None


def test_database_outage_acknowledges_nothing_and_every_channel_recovers_by_itself(outage):
    stack, fake, database = outage
    web = f"http://127.0.0.1:{stack.env['WEB_PORT']}"
    chat_id = 515151
    before = len(fake.sent_to(chat_id, "sendMessage"))
    fake.send_text(chat_id, "/start " + new_meeting(stack)["child_code"].replace("-", ""))
    before += len(fake.messages_after(chat_id, before))
    rest_sender = secrets.token_hex(8)
    assert "Alva" in texts(stack.say(rest_sender, new_meeting(stack)["child_code"]))
    with web_client(web) as child:
        chat = http_log_in(child, new_meeting(stack)["child_code"], "246813")
        assert "Alva" in chat.text

        database(False)
        update_id = fake.send_text(chat_id, "/affirm")
        down_page = child.post("/send", data={"csrf": csrf_of(chat.text),
                                              "nonce": nonce_of(chat.text), "payload": "/affirm"})
        assert down_page.status_code == 503
        # Said once, kindly, and nothing of a stack trace.
        assert down_page.text.count(web_texts()["store_down"]) == 1
        assert "Traceback" not in down_page.text and "OperationalError" not in down_page.text
        assert child.get("/chat").status_code == 503
        down_rest = httpx.post(stack.webhook, headers=stack.headers, timeout=60,
                               json={"sender": rest_sender, "message": "/affirm"})
        assert down_rest.status_code >= 500
        time.sleep(5)
        # Not confirmed to Telegram: were the bridge to crash now, Telegram still has it.
        assert fake.acknowledged <= update_id

        database(True)
        back = {
            "telegram": first_within(RECOVERY_LIMIT, lambda: len(fake.sent_to(chat_id, "sendMessage")) > before),
            "web": first_within(RECOVERY_LIMIT, lambda: child.get("/chat").status_code == 200),
            "rest": first_within(RECOVERY_LIMIT, lambda: bool(stack.say(rest_sender, "/affirm"))),
        }
    print(f"\nrecovered after the database returned (s): {back}", file=sys.__stderr__)
    assert all(seconds is not None for seconds in back.values()), back
    assert fake.acknowledged > update_id  # the update was handled, then confirmed
    assert stack.process.poll() is None  # serve did not give up on the way
