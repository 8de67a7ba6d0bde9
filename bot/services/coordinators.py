"""Coordinators: their key pair (private half only in their own key file) and chat links."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.crypto.keyfile import generate_keypair, write_key_file
from bot.crypto.sealing import public_key_fingerprint
from bot.services import audit, service_keys
from bot.services.errors import NotFound
from bot.store.keyring import Keyring
from bot.store.models import Coordinator, new_id


@dataclass(frozen=True)
class NewCoordinator:
    id: str
    fingerprint: str
    key_file: Path


def key_file_path(key_dir: Path, coordinator_id: str) -> Path:
    return key_dir / f"samordnare-{coordinator_id[:8]}.key.json"


def add(session: Session, keys: Keyring, *, name: str, key_dir: Path, passphrase: str,
        kdf_params: dict | None = None) -> NewCoordinator:
    private = generate_keypair()
    public = private.public_key()
    coordinator = Coordinator(id=new_id(), key_id=keys.create_key(), name_enc=b"",
                              public_key=public.public_bytes(Encoding.Raw, PublicFormat.Raw),
                              fingerprint=public_key_fingerprint(public))
    coordinator.name_enc = keys.seal(coordinator.key_id, "coordinators", "name_enc",
                                     coordinator.id, name)
    session.add(coordinator)
    path = key_file_path(key_dir, coordinator.id)
    key_dir.mkdir(parents=True, exist_ok=True)
    extra = {"_kdf_params": kdf_params} if kdf_params else {}
    write_key_file(path, private, passphrase, coordinator_id=coordinator.id,
                   service_verify_key=service_keys.verify_key(session, keys), **extra)
    audit.record(session, "cli", "create", "coordinator", coordinator.id)
    return NewCoordinator(coordinator.id, coordinator.fingerprint, path)


def get(session: Session, coordinator_id: str) -> Coordinator:
    coordinator = session.get(Coordinator, coordinator_id)
    if coordinator is None:
        raise NotFound("unknown coordinator")
    return coordinator


def public_key(coordinator: Coordinator) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(coordinator.public_key)


def all_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Coordinator.id)))
