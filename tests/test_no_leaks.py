"""Child text never reaches the database file, its WAL, a PostgreSQL dump or any log,
in any encoding; and after `forget` nothing of the child can be decrypted."""
from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import subprocess
import sys

import pytest
import sqlalchemy

from tests.conftest import REPO, new_meeting, start_stack, stop_stack

pytestmark = pytest.mark.stack


def encodings(word: str) -> list[bytes]:
    forms = {word.encode("utf-8"), word.encode("utf-16-le"), word.encode("utf-16-be"),
             json.dumps(word).strip('"').encode(), word.encode("unicode_escape")}
    raw = word.encode("utf-8")
    for shift in range(3):  # base64 at every alignment
        chunk = base64.b64encode(b"\0" * shift + raw)[4 if shift else 0:][:max(4, len(raw))]
        forms.add(chunk[: (len(chunk) // 4) * 4 - 4] or chunk)
    return [f for f in forms if len(f) >= 6]


def golden_path_with(stack, words: list[str]) -> dict:
    meeting = new_meeting(stack, child_name=f"Alva {words[4]}")
    sender = secrets.token_hex(8)
    stack.say(sender, "hej")
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    stack.say(sender, "/start_preparation")
    for word in words[:4]:
        stack.say(sender, f"det handlar om {word} typ")
    stack.say(sender, "/skip")
    stack.say(sender, "/approve_summary")
    return meeting


def assert_absent(blob: bytes, words: list[str], where: str) -> None:
    for word in words:
        for form in encodings(word):
            assert form not in blob, f"{word!r} found in {where} as {form!r}"


def test_no_canary_in_sqlite_file_wal_or_logs(stack):
    words = [f"kanarie{secrets.token_hex(3)}slår" for _ in range(5)]
    golden_path_with(stack, words)
    var = stack.var
    files = [p for p in var.rglob("*") if p.is_file() and (p.suffix in (".db", ".log") or
             p.name.endswith(("-wal", "-shm", ".db-journal")))]
    assert any(p.name.endswith("-wal") or p.suffix == ".db" for p in files)
    for path in files:
        assert_absent(path.read_bytes(), words, str(path))
    assert_absent("\n".join(stack.output).encode(), words, "serve output")


def test_no_canary_in_a_postgres_dump(trained_model, pg_url, tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is not installed; install the PostgreSQL client")
    running = start_stack(tmp_path / "var", {"SIPKOMPIS_DB_URL": pg_url})
    try:
        words = [f"pgkanarie{secrets.token_hex(3)}" for _ in range(5)]
        golden_path_with(running, words)
        url = sqlalchemy.engine.make_url(pg_url)
        dump = subprocess.run(["pg_dump", "-h", url.host, "-p", str(url.port or 5432), "-U",
                               url.username, url.database], capture_output=True, check=True).stdout
        assert b"tracker_events" in dump
        assert_absent(dump, words, "pg_dump")
        assert_absent(running.logs().encode(), words, "logs")
    finally:
        stop_stack(running)


def test_forget_leaves_nothing_decryptable(stack):
    words = [f"glom{secrets.token_hex(3)}" for _ in range(5)]
    meeting = golden_path_with(stack, words)
    result = stack.cli("forget", "--person", meeting["child_id"], "--json")
    assert result.returncode == 0, result.stderr
    # Try every encrypted column of every row with every key the service still holds.
    env = {"SIPKOMPIS_DB_URL": stack.env["SIPKOMPIS_DB_URL"],
           "SIPKOMPIS_MASTER_KEY_FILE": stack.env["SIPKOMPIS_MASTER_KEY_FILE"]}
    script = r'''
import json, sys
from sqlalchemy import select, inspect
from bot.store.db import open_store
from bot.store.keyring import Keyring
from bot.store.models import Base, DataKey
from bot.crypto.aead import decrypt_field, unwrap_key
found = []
factory = open_store()
with factory() as session:
    keys = Keyring(session)
    held = {}
    for row in session.scalars(select(DataKey)):
        try:
            held[row.id] = keys.key(row.id)
        except Exception:
            pass
    for table in Base.metadata.sorted_tables:
        enc = [c.name for c in table.columns if c.name.endswith("_enc")]
        if not enc:
            continue
        for row in session.execute(select(table)).mappings():
            for column in enc:
                blob = row[column]
                if not blob:
                    continue
                for key in held.values():
                    ids = {str(v) for v in row.values() if isinstance(v, (str, int))}
                    if table.name == "tracker_events":
                        ids.add(f"{row['conversation_id']}#{row['seq']}")
                    for row_id in ids:
                        try:
                            found.append(decrypt_field(key, blob, table=table.name, column=column, row_id=row_id).decode("utf-8", "replace"))
                        except Exception:
                            pass
print(json.dumps(found))
'''
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={**os.environ, **env}, cwd=REPO)
    assert out.returncode == 0, out.stderr
    readable = "\n".join(json.loads(out.stdout.strip().splitlines()[-1]))
    for word in words:
        assert word not in readable
