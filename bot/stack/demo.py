"""The demo meeting that `python -m bot chat` creates on first run.

Demo-only: the coordinator's passphrase is printed so a newcomer can open the inbox and
see both sides of the product. Never use the demo coordinator for a real child.
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.services import coordinators, invites, meetings
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from bot.store.models import utcnow
from bot.swedish_dates import parse_local, to_local

DEMO_PASSPHRASE = "demo-only-not-secret"
PARTICIPANTS = [("Sara Lind", "samordnare"), ("Omar Haddad", "kurator"),
                ("Eva Berg", "socialsekreterare"), ("Jonas Ek", "BUP")]


def demo_file(var_dir: Path) -> Path:
    return var_dir / "demo" / "demo.json"


def ensure_demo(var_dir: Path, db_url: str) -> tuple[dict, bool]:
    """The demo's ids and code, creating them on first run. Returns (info, created)."""
    path = demo_file(var_dir)
    if path.exists():
        return json.loads(path.read_text()), False
    with transaction(open_store(db_url)) as session:
        keys = Keyring(session)
        coordinator = coordinators.add(session, keys, name="Sara Lind (demo)",
                                       key_dir=path.parent, passphrase=DEMO_PASSPHRASE)
        day = to_local(utcnow() + timedelta(days=14))
        starts = parse_local(day.strftime("%Y-%m-%d") + " 09:30")
        meeting, child, _ = meetings.create(
            session, keys, coordinator_id=coordinator.id, child_name="Alva Demo",
            starts_at=starts, place="Skolans konferensrum, plan 2",
            purpose="att hitta ett bättre stöd i skolan och hemma", participants=PARTICIPANTS)
        session.flush()
        code = invites.issue(session, keys, kind="person", person_id=child.id)
    info = {"coordinator_id": coordinator.id, "key_file": str(coordinator.key_file),
            "passphrase": DEMO_PASSPHRASE, "meeting_id": meeting.id, "child_id": child.id,
            "code": invites.display(code)}
    path.write_text(json.dumps(info, indent=2))
    path.chmod(0o600)
    return info, True
