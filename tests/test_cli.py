"""The coordinator CLI contract (DESIGN section 5): JSON shapes, readable errors, empty DBs."""
from __future__ import annotations

import json
import os
import stat

from tests.conftest import run_cli


def cli_json(*args: str) -> dict:
    result = run_cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout  # exactly one JSON object
    return json.loads(lines[0])


def make_meeting(tmp_path) -> tuple[dict, dict]:
    coordinator = cli_json("coordinator", "add", "--name", "Sara Lind", "--key-out", str(tmp_path / "k"))
    meeting = cli_json("meeting", "create", "--coordinator", coordinator["coordinator_id"],
                       "--child-name", "Alva Svensson", "--at", "2030-05-20 09:30", "--place",
                       "Skolan", "--purpose", "stöd", "--participant", "Omar:Kuratorn",
                       "--participant", "Eva:BUP")
    return coordinator, meeting


def test_any_command_works_on_an_empty_database():
    assert cli_json("meeting", "list") == {"meetings": []}


def test_coordinator_add_writes_a_private_key_file_and_stores_only_the_public_key(tmp_path):
    result = cli_json("coordinator", "add", "--name", "Sara Lind", "--key-out", str(tmp_path / "k"))
    assert set(result) == {"coordinator_id", "fingerprint", "key_file", "totp_uri", "totp_qr_file"}
    mode = stat.S_IMODE(os.stat(result["key_file"]).st_mode)
    assert mode == 0o600
    header = json.loads(open(result["key_file"]).read())
    assert header["coordinator_id"] == result["coordinator_id"]
    assert "service_verify_key" in header  # pinned at creation


def test_meeting_create_and_invite_print_the_contract_fields(tmp_path):
    _, meeting = make_meeting(tmp_path)
    assert set(meeting) >= {"meeting_id", "child_id"}
    invite = cli_json("invite", "--meeting", meeting["meeting_id"], "--role", "child")
    assert set(invite) >= {"code", "link", "web_link", "person_id"}
    assert invite["code"] not in invite["web_link"]  # no code in a URL
    raw = invite["code"].replace("-", "")
    assert len(raw) == 12 and set(raw) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")


def test_telegram_deep_link_when_bot_username_is_set(tmp_path):
    _, meeting = make_meeting(tmp_path)
    result = run_cli("invite", "--meeting", meeting["meeting_id"], "--role", "guardian", "--name",
                     "Anna", "--json", env={"TELEGRAM_BOT_USERNAME": "sipkompis_bot"})
    invite = json.loads(result.stdout)
    assert invite["link"] == f"https://t.me/sipkompis_bot?start={invite['code'].replace('-', '')}"


def test_unknown_role_is_accepted_with_a_warning(tmp_path):
    coordinator = cli_json("coordinator", "add", "--name", "S", "--key-out", str(tmp_path / "k"))
    result = run_cli("meeting", "create", "--coordinator", coordinator["coordinator_id"],
                     "--child-name", "Alva", "--at", "2030-05-20 09:30", "--place", "p",
                     "--purpose", "p", "--participant", "Xena:trollkarl", "--json")
    assert result.returncode == 0
    assert "trollkarl" in result.stderr and "warning" in result.stderr


def test_meeting_list_shows_preparation_status(tmp_path):
    _, meeting = make_meeting(tmp_path)
    listed = cli_json("meeting", "list")["meetings"]
    assert listed[0]["meeting_id"] == meeting["meeting_id"]
    assert listed[0]["preparation"] == "inte påbörjad"
    assert listed[0]["at"] == "måndag 20 maj 2030 kl. 09.30"


def test_bad_input_gets_one_clear_line_and_a_nonzero_exit(tmp_path):
    coordinator, meeting = make_meeting(tmp_path)
    cases = [
        ("meeting", "create", "--coordinator", coordinator["coordinator_id"], "--child-name", "A",
         "--at", "2020-01-01 10:00", "--place", "p", "--purpose", "p"),
        ("meeting", "create", "--coordinator", coordinator["coordinator_id"], "--child-name", "A",
         "--at", "imorgon", "--place", "p", "--purpose", "p"),
        ("meeting", "cancel", "--meeting", "nope"),
        ("invite", "--meeting", "nope", "--role", "child"),
        ("forget", "--person", "nope"),
    ]
    for args in cases:
        result = run_cli(*args)
        assert result.returncode != 0, args
        assert result.stderr.strip().startswith("error:"), result.stderr
        assert "Traceback" not in result.stderr


def test_wrong_passphrase_opens_nothing(tmp_path):
    coordinator, _ = make_meeting(tmp_path)
    result = run_cli("inbox", "--coordinator", coordinator["coordinator_id"], "--key",
                     coordinator["key_file"], env={"SIPKOMPIS_KEY_PASSPHRASE": "wrong passphrase"})
    assert result.returncode != 0 and "passphrase" in result.stderr


def test_broken_database_url_is_explained():
    result = run_cli("meeting", "list", env={"SIPKOMPIS_DB_URL": "postgresql://x@127.0.0.1:1/none"})
    assert result.returncode != 0
    assert "SIPKOMPIS_DB_URL" in result.stderr and "Traceback" not in result.stderr


def test_unknown_command_fails():
    result = run_cli("frobnicate")
    assert result.returncode != 0


def test_safety_check_prints_json():
    crisis = json.loads(run_cli("safety-check", "jag vill inte leva längre", "--json").stdout)
    assert crisis == {"crisis": True, "category": "suicide"}
    calm = json.loads(run_cli("safety-check", "jag dör av tristess", "--json").stdout)
    assert calm == {"crisis": False, "category": None}


def test_invite_revoke_ends_codes(tmp_path):
    _, meeting = make_meeting(tmp_path)
    invite = cli_json("invite", "--meeting", meeting["meeting_id"], "--role", "child")
    revoked = cli_json("invite", "revoke", "--person", invite["person_id"])
    assert revoked["codes_revoked"] == 1


def test_forget_after_revoke_and_again_prints_one_object_each_time(tmp_path):
    _, meeting = make_meeting(tmp_path)
    invite = cli_json("invite", "--meeting", meeting["meeting_id"], "--role", "child")
    cli_json("invite", "--meeting", meeting["meeting_id"], "--role", "child")  # reissued
    cli_json("invite", "revoke", "--person", invite["person_id"])
    erased = cli_json("forget", "--person", invite["person_id"])
    assert erased["erased"] is True and erased["already_erased"] is False
    assert erased["people"] == 1 and erased["invites"] == 2
    again = cli_json("forget", "--person", invite["person_id"])
    assert again["already_erased"] is True
    readable = run_cli("forget", "--person", invite["person_id"])
    assert readable.returncode == 0 and "redan raderad" in readable.stdout
    listed = cli_json("meeting", "list")["meetings"]
    assert listed[0]["status"] == "erased"
    refused = run_cli("invite", "--meeting", meeting["meeting_id"], "--role", "child")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    unknown = run_cli("invite", "revoke", "--person", "nope", "--json")
    assert unknown.returncode != 0 and json.loads(unknown.stdout)["error"].startswith("unknown person")


def _meeting_row(meeting_id: str):
    from bot.store.db import open_store
    from bot.store.keyring import Keyring
    from bot.store.models import Meeting
    from bot.services import meetings

    with open_store()() as session:
        row = session.get(Meeting, meeting_id)
        view = meetings.view(session, Keyring(session), meeting_id) if row.key_id else None
        return row.purpose_child_enc, view


def test_the_purpose_for_the_child_is_sealed_changed_and_erased(tmp_path):
    coordinator = cli_json("coordinator", "add", "--name", "Sara", "--key-out", str(tmp_path / "k"))
    meeting = cli_json("meeting", "create", "--coordinator", coordinator["coordinator_id"],
                       "--child-name", "Alva", "--at", "2030-05-20 09:30", "--place", "Skolan",
                       "--purpose", "samordning av insatser",
                       "--purpose-for-child", "hur  skolan kan bli lugnare för dig")
    sealed, view = _meeting_row(meeting["meeting_id"])
    assert b"skolan" not in sealed  # encrypted like the coordinator's purpose
    assert view.purpose_shown_to_child == "hur skolan kan bli lugnare för dig"
    cli_json("meeting", "update", "--meeting", meeting["meeting_id"], "--purpose-for-child",
             "vad du behöver i skolan")
    assert _meeting_row(meeting["meeting_id"])[1].purpose_shown_to_child == "vad du behöver i skolan"
    cli_json("meeting", "update", "--meeting", meeting["meeting_id"], "--purpose-for-child", "")
    assert _meeting_row(meeting["meeting_id"])[1].purpose_shown_to_child == "samordning av insatser"
    cli_json("meeting", "update", "--meeting", meeting["meeting_id"], "--purpose-for-child", "igen")
    cli_json("forget", "--person", meeting["child_id"])
    assert _meeting_row(meeting["meeting_id"])[0] is None


def test_a_meeting_update_with_nothing_to_change_says_so_in_one_line(tmp_path):
    _, meeting = make_meeting(tmp_path)
    result = run_cli("meeting", "update", "--meeting", meeting["meeting_id"])
    assert result.returncode != 0
    assert result.stderr.strip() == "error: nothing to change: give --at, --place or --purpose-for-child"
