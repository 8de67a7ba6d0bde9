"""An empty database used by several processes at once, as when `serve` starts Rasa, the
action server and the channels together while the operator runs a CLI command: every
process must come up, and all of them must sign with the one service key that was stored
(a statement signed with a key that lost the race would be rejected as forged)."""
from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading

import pytest

from tests.conftest import REPO

FIRST_USE = """
import sys
from bot.services.service_keys import verify_key
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
with transaction(open_store(sys.argv[1])) as session:
    key = verify_key(session, Keyring(session))
print(key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex())
"""


def _start_together(url: str, count: int) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "SIPKOMPIS_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
           "PYTHONPATH": str(REPO)}
    processes = [subprocess.Popen([sys.executable, "-c", FIRST_USE, url], cwd=REPO, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(count)]
    return [subprocess.CompletedProcess(p.args, p.wait(120), *p.communicate()) for p in processes]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_processes_starting_together_on_an_empty_database_all_come_up_with_one_signing_key(
        backend, request, tmp_path):
    url = request.getfixturevalue("pg_url") if backend == "postgresql" else f"sqlite:///{tmp_path / 'new.db'}"
    results = _start_together(url, 4)
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
    assert len({result.stdout.strip() for result in results}) == 1


def test_a_signing_key_created_meanwhile_by_another_process_is_the_one_used(pg_url):
    """The exact interleaving: both look, find nothing, both create; the second waits on
    the first's row, then must take it instead of failing."""
    from bot.services.service_keys import verify_key
    from bot.store.db import open_store
    from bot.store.keyring import Keyring

    factory = open_store(pg_url)
    first, second = factory(), factory()
    first.begin()
    first_key = verify_key(first, Keyring(first))  # row inserted, not yet committed
    found: list = []
    waiting = threading.Thread(target=lambda: found.append(_in_own_transaction(second, verify_key)))
    waiting.start()
    waiting.join(1.5)  # blocks on the first's uncommitted row
    first.commit()
    waiting.join(30)
    assert not waiting.is_alive()
    assert found and found[0].public_bytes_raw() == first_key.public_bytes_raw()
    first.close()
    second.close()


def _in_own_transaction(session, read):
    from bot.store.keyring import Keyring

    with session.begin():
        return read(session, Keyring(session))
