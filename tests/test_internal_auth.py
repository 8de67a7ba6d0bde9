"""Only our own processes may speak for a conversation: Rasa's REST input and the action
server listen on loopback only, and both refuse a caller that cannot show the secret
derived from the master key (a second account on the same machine can reach loopback)."""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.stack


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port`, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def _conversation_exists(stack, sender: str) -> bool:
    import sqlalchemy

    engine = sqlalchemy.create_engine(stack.env["SIPKOMPIS_DB_URL"], future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(sqlalchemy.text(
                "select count(*) from tracker_events where conversation_id = :c"),
                {"c": sender}).scalar_one() > 0
    finally:
        engine.dispose()


def test_a_local_caller_without_the_secret_cannot_speak_for_a_conversation(stack):
    sender = secrets.token_hex(8)
    for headers in ({}, {"X-Sipkompis-Channel": "0" * 64}, {"X-Sipkompis-Channel": ""}):
        response = httpx.post(stack.webhook, json={"sender": sender, "message": "hej"},
                              headers=headers, timeout=60)
        assert response.status_code == 403
        assert "hej" not in response.text
    assert not _conversation_exists(stack, sender)  # nothing was run or stored for it
    assert stack.say(sender, "hej")  # our channels' secret is taken
    assert _conversation_exists(stack, sender)


def test_the_action_server_runs_actions_only_for_our_rasa(stack):
    from bot.channels import channel_secret

    url = f"http://127.0.0.1:{stack.env['ACTION_PORT']}"
    forged = {"next_action": "action_session_start", "sender_id": secrets.token_hex(8),
              "tracker": {"sender_id": "x", "slots": {}, "events": [], "latest_message": {}},
              "domain": {}, "version": "3.6.2"}
    assert httpx.get(f"{url}/health", timeout=30).status_code == 200
    assert httpx.post(f"{url}/webhook", json=forged, timeout=30).status_code == 403
    assert httpx.get(f"{url}/actions", timeout=30).status_code == 403
    ours = httpx.get(f"{url}/actions", headers=channel_secret.headers(stack.env), timeout=30)
    assert ours.status_code == 200 and ours.json()  # the same server, for the right caller


def test_rasa_and_the_action_server_listen_on_loopback_only(stack):
    loopback = {"0100007F", "00000000000000000000000001000000",  # 127.0.0.1, ::1
                "0000000000000000FFFF00000100007F"}  # ::ffff:127.0.0.1
    for name in ("RASA_PORT", "ACTION_PORT"):
        addresses = _listening_addresses(int(stack.env[name]))
        assert addresses, f"nothing listens on {name}"
        assert addresses <= loopback, f"{name} listens on {addresses}"


def test_the_key_the_secret_comes_from_is_readable_by_its_owner_only(stack):
    mode = stat.S_IMODE(os.stat(stack.env["SIPKOMPIS_MASTER_KEY_FILE"]).st_mode)
    assert mode & 0o077 == 0
