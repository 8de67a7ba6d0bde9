"""Master key rotation without downtime, the recovery key, and the printable inbox."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO, run_cli


def cli_json(*args: str, env: dict | None = None) -> dict:
    result = run_cli(*args, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def seeded(tmp_path) -> tuple[dict, dict, str]:
    coordinator = cli_json("coordinator", "add", "--name", "Sara", "--key-out", str(tmp_path / "k"))
    meeting = cli_json("meeting", "create", "--coordinator", coordinator["coordinator_id"],
                       "--child-name", "Alva", "--at", "2030-05-20 09:30", "--place", "Skolan",
                       "--purpose", "stöd", "--participant", "Omar:kurator")
    code = cli_json("invite", "--meeting", meeting["meeting_id"], "--role", "child")["code"]
    return coordinator, meeting, code


APPROVE = r'''
import sys
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from bot.services import conversations, statements
with transaction(open_store()) as session:
    keys = Keyring(session)
    person = conversations.link_with_code(session, keys, "conv-" + sys.argv[1][:8], sys.argv[1])
    statements.save_draft(session, keys, child=person, answers={"good": "rotationsord", "hard": "-"},
                          sharing=statements.default_sharing())
    statements.approve(session, keys, child=person)
'''


def approve_through_services(code: str) -> None:
    """The same service calls the approval action makes, without a dialogue."""
    result = subprocess.run([sys.executable, "-c", APPROVE, code], cwd=REPO, capture_output=True,
                            text=True, env=dict(os.environ))
    assert result.returncode == 0, result.stderr


def test_rotation_keeps_everything_readable_and_codes_valid(tmp_path, isolated_env):
    coordinator, meeting, code = seeded(tmp_path)
    before = (isolated_env / "master.key").read_text().split()
    rotated = cli_json("keys", "rotate")
    assert rotated["rewrapped"] >= 3
    lines = (isolated_env / "master.key").read_text().split()
    assert len(lines) == 2 and lines[1] == before[0] and lines[0] != before[0]
    assert oct(os.stat(isolated_env / "master.key").st_mode & 0o777) == "0o600"
    # A code issued before the rotation still works, and the words still reach the inbox.
    approve_through_services(code)
    inbox = cli_json("inbox", "--coordinator", coordinator["coordinator_id"], "--key",
                     coordinator["key_file"])
    assert inbox["statements"][0]["items"][0]["text"] == "rotationsord"
    assert cli_json("meeting", "list")["meetings"][0]["preparation"] == "klar och skickad"


def test_recovery_key_opens_a_statement_when_the_coordinator_cannot(tmp_path):
    recovery = cli_json("recovery-key", "create", "--key-out", str(tmp_path / "recovery.json"))
    assert "fingerprint" in recovery
    coordinator, meeting, code = seeded(tmp_path)
    approve_through_services(code)
    export = r'''
from bot.store.db import open_store
from bot.store.keyring import Keyring
from bot.store.models import Delivery
from sqlalchemy import select
with open_store()() as session:
    keys = Keyring(session)
    row = session.scalars(select(Delivery).where(Delivery.recipient_type == "recovery")).one()
    import sys; sys.stdout.buffer.write(keys.open_bytes("deliveries", "envelope_enc", row.id, row.envelope_enc))
'''
    sealed = subprocess.run([sys.executable, "-c", export], cwd=REPO, capture_output=True,
                            env=dict(os.environ)).stdout
    (tmp_path / "sealed.json").write_bytes(sealed)
    opened = cli_json("recovery-key", "decrypt", "--key", str(tmp_path / "recovery.json"),
                      "--file", str(tmp_path / "sealed.json"))
    assert opened["items"][0]["text"] == "rotationsord"
    # The coordinator's key cannot open the recovery copy.
    refused = run_cli("recovery-key", "decrypt", "--key", coordinator["key_file"], "--file",
                      str(tmp_path / "sealed.json"))
    assert refused.returncode != 0


def test_recovery_key_opens_a_meetings_statements_from_the_store(tmp_path):
    """What an operator does for a coordinator who lost their key: no file to export first."""
    recovery = tmp_path / "recovery.json"
    cli_json("recovery-key", "create", "--key-out", str(recovery))
    coordinator, meeting, code = seeded(tmp_path)
    approve_through_services(code)
    opened = cli_json("recovery-key", "decrypt", "--key", str(recovery), "--meeting",
                      meeting["meeting_id"])
    assert [s["items"][0]["text"] for s in opened["statements"]] == ["rotationsord"]
    # Only the recovery copy opens with it: the coordinator's key is refused, by one line.
    refused = run_cli("recovery-key", "decrypt", "--key", coordinator["key_file"], "--meeting",
                      meeting["meeting_id"])
    assert refused.returncode != 0 and "rotationsord" not in refused.stdout + refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    # The operator's reading is audited, content-free.
    events = cli_json("audit", "--meeting", meeting["meeting_id"])["events"]
    assert {"actor": "recovery", "action": "decrypt"} in [
        {"actor": e["actor"], "action": e["action"]} for e in events]
    assert "rotationsord" not in json.dumps(events)
    other = run_cli("recovery-key", "decrypt", "--key", str(recovery), "--meeting", "m-unknown")
    assert other.returncode != 0 and "no recovery copy" in other.stderr


def test_inbox_writes_a_printable_page(tmp_path):
    coordinator, meeting, code = seeded(tmp_path)
    approve_through_services(code)
    page = tmp_path / "mina-ord.html"
    cli_json("inbox", "--coordinator", coordinator["coordinator_id"], "--key",
             coordinator["key_file"], "--out", str(page))
    html = page.read_text(encoding="utf-8")
    assert "Mina ord till mötet" in html and "rotationsord" in html


def test_audit_records_actions_without_content(tmp_path):
    coordinator, meeting, code = seeded(tmp_path)
    approve_through_services(code)
    cli_json("inbox", "--coordinator", coordinator["coordinator_id"], "--key", coordinator["key_file"])
    events = cli_json("audit", "--meeting", meeting["meeting_id"])["events"]
    actions = [e["action"] for e in events]
    for expected in ("create", "invite", "use_code", "approve", "deliver", "decrypt"):
        assert expected in actions
    assert "rotationsord" not in json.dumps(events)


def test_inbox_page_is_private_and_says_it_is_plaintext(tmp_path):
    coordinator, meeting, code = seeded(tmp_path)
    approve_through_services(code)
    page = tmp_path / "mina-ord.html"
    page.write_text("old")
    os.chmod(page, 0o644)  # an existing, world-readable file is tightened before writing
    result = run_cli("inbox", "--coordinator", coordinator["coordinator_id"], "--key",
                     coordinator["key_file"], "--out", str(page))
    assert result.returncode == 0, result.stderr
    assert oct(os.stat(page).st_mode & 0o777) == "0o600"
    assert "plain text" in result.stderr and str(page) in result.stderr
    assert "rotationsord" in page.read_text(encoding="utf-8")


def test_a_backup_from_before_forget_stops_decrypting_once_its_master_key_is_retired(tmp_path, isolated_env):
    """Erasure reaches backups only through the master key: a copy of the database made
    before `forget` still holds the child's wrapped key, and opens while the master key
    that wrapped it lives; `keys rotate` + `keys retire` end that."""
    import shutil

    from bot.store.db import dispose_all, open_store
    from tests.erasure_world import readable

    coordinator, meeting, code = seeded(tmp_path)
    approve_through_services(code)
    other = cli_json("meeting", "create", "--coordinator", coordinator["coordinator_id"],
                     "--child-name", "Bo Berg", "--at", "2030-06-01 10:00", "--place", "Biblioteket",
                     "--purpose", "stöd")
    database = isolated_env / "test.db"
    backup = tmp_path / "backup.db"
    shutil.copy(database, backup)  # every CLI process has exited: the WAL is checkpointed
    backup_url = f"sqlite:///{backup}"

    def backup_readable() -> str:
        text = readable(open_store(backup_url))
        dispose_all()
        return text

    assert "rotationsord" in backup_readable() and "Alva" in backup_readable()
    erased = cli_json("forget", "--person", meeting["child_id"])
    assert erased["erased"] is True
    # The live database no longer opens the child's words; the backup still does.
    assert "rotationsord" not in readable(open_store())
    assert "rotationsord" in backup_readable()
    rotated = cli_json("keys", "rotate")
    assert "rotationsord" in backup_readable()  # the old key is still kept after rotation
    retired = cli_json("keys", "retire")
    assert len(retired["retired"]) == 1 and retired["key_id"] == rotated["key_id"]
    assert len((isolated_env / "master.key").read_text().split()) == 1
    left = backup_readable()
    assert "rotationsord" not in left and "Alva" not in left and "Bo Berg" not in left
    # The live service lost nothing: the other meeting still opens, codes still work.
    dispose_all()
    live = readable(open_store())
    assert "Bo Berg" in live and "Biblioteket" in live
    assert cli_json("invite", "--meeting", other["meeting_id"], "--role", "child")["code"]
    again = run_cli("keys", "retire", "--key-id", rotated["key_id"])
    assert again.returncode != 0 and "current master key" in again.stderr
