"""One small world per fuzzing process: a SQLite store in a temp dir with a coordinator,
a meeting, an unused child code, a guardian code used elsewhere, a Telegram chat with
offered buttons, a live web session and one real sealed statement.

Built once per process (the targets then only read it, or roll back what they write),
so an execution costs a lookup, not a set-up.
"""
from __future__ import annotations

import base64
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

FAST_KDF = {"iterations": 1, "lanes": 1, "memory_cost": 8}
PASSPHRASE = "fuzz-only-not-secret"


@dataclass
class World:
    root: Path
    factory: object
    coordinator_id: str
    key_file: Path
    child_code: str
    used_code: str
    chat_id: int
    offered: dict  # callback data -> payload
    session_token: str
    session_hash: str
    csrf: str
    envelope: bytes


def _environment(root: Path) -> None:
    os.environ.update({
        "SIPKOMPIS_VAR_DIR": str(root / "var"),
        "SIPKOMPIS_DB_URL": f"sqlite:///{root / 'fuzz.db'}",
        "SIPKOMPIS_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
        "SIPKOMPIS_KEY_PASSPHRASE": PASSPHRASE,
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    })


@lru_cache(maxsize=1)
def world() -> World:
    root = Path(tempfile.mkdtemp(prefix="sipkompis-fuzz-"))
    _environment(root)
    from bot.channels.telegram import chats
    from bot.channels.web import sessions
    from bot.services import conversations, coordinators, invites, meetings, statements
    from bot.store.db import open_store, transaction
    from bot.store.keyring import Keyring
    from bot.store.models import Person

    factory = open_store(os.environ["SIPKOMPIS_DB_URL"])
    with transaction(factory) as session:
        keys = Keyring(session)
        coordinator = coordinators.add(session, keys, name="Exempel Samordnare", key_dir=root / "keys",
                                       passphrase=PASSPHRASE, kdf_params=FAST_KDF)
    with transaction(factory) as session:
        keys = Keyring(session)
        meeting, child, _ = meetings.create(
            session, keys, coordinator_id=coordinator.id, child_name="Exempel Barn",
            starts_at=datetime(2030, 5, 20, 7, 30), place="Rum 1", purpose="exempel",
            participants=[("Exempel Vuxen", "kurator")])
        guardian = meetings.create_person(session, keys, meeting=meeting, role="guardian",
                                          name="Exempel Förälder")
        session.flush()
        child_code = invites.issue(session, keys, kind="person", person_id=child.id)
        used_code = invites.issue(session, keys, kind="person", person_id=guardian.id)
    with transaction(factory) as session:
        keys = Keyring(session)
        # The guardian's code is redeemed in another channel: the web must answer "used".
        conversations.get_or_create(session, keys, "fuzz-rest-chat", channel="rest")
        conversations.link_with_code(session, keys, "fuzz-rest-chat", used_code)
        chat_id = 4711
        chat, _new = chats.find_or_create(session, keys, chat_id)
        buttons = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]
        offered = {b["cb"]: p["payload"] for b, p in
                   zip(chats.offer_buttons(session, keys, chat, "offer-1", buttons), buttons)}
        token, row = sessions.create(session)
        session_hash, csrf = row.id_hash, row.csrf_token
    with transaction(factory) as session:
        keys = Keyring(session)
        person = session.get(Person, child.id)
        statements.save_draft(session, keys, child=person,
                              answers={"good": "exempel ett", "hard": "exempel två"},
                              sharing=statements.default_sharing())
        statements.approve(session, keys, child=person)
        envelope = statements.envelopes_for(session, keys, coordinator.id)[0][1]
    return World(root, factory, coordinator.id, coordinator.key_file, child_code, used_code,
                 chat_id, offered, token, session_hash, csrf, envelope)
