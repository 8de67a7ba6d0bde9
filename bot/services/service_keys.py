"""The service's own secrets: the Ed25519 signing key, the invite-code and Telegram chat
peppers, and the unit's optional recovery public key.

Secrets are kept wrapped by the master key (and re-wrapped by `keys rotate`). The signing
key's public half is pinned in every coordinator's key file, so `inbox` can tell a
statement of this service from a forgery.
"""
from __future__ import annotations

from typing import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.crypto.aead import key_id_for, new_key, unwrap_key, wrap_key
from bot.store.keyring import Keyring
from bot.store.models import ServiceSecret

SIGNING = "signing_key"
INVITE_PEPPER = "invite_pepper"
TELEGRAM_CHAT_PEPPER = "telegram_chat_pepper"
RECOVERY = "recovery_public_key"


def _secret(session: Session, keys: Keyring, name: str, make: Callable[[], tuple[bytes, bytes | None]]) -> bytes:
    row = session.get(ServiceSecret, name)
    if row is None:
        raw, public = make()
        try:
            # In a savepoint: when another process creates the same secret at the same
            # moment (two commands on a fresh database), its row wins and ours is dropped,
            # so every process signs and hashes with the one secret that was stored.
            with session.begin_nested():
                session.add(ServiceSecret(name=name, wrapped=wrap_key(keys.master, keys.master_id, raw, context=name),
                                          wrapped_by=f"master:{keys.master_id}", public=public))
            return raw
        except IntegrityError:
            row = session.get(ServiceSecret, name, populate_existing=True)
            if row is None:
                raise
    kid = row.wrapped_by.partition(":")[2]
    return unwrap_key(keys.master_by_id(kid), row.wrapped, context=name)


def _new_signing_key() -> tuple[bytes, bytes]:
    private = Ed25519PrivateKey.generate()
    return (private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
            private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def signing_key(session: Session, keys: Keyring) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_secret(session, keys, SIGNING, _new_signing_key))


def verify_key(session: Session, keys: Keyring) -> Ed25519PublicKey:
    return signing_key(session, keys).public_key()


def invite_pepper(session: Session, keys: Keyring) -> bytes:
    """The key for invite-code hashes: stable across master-key rotations."""
    return _secret(session, keys, INVITE_PEPPER, lambda: (new_key(), None))


def telegram_chat_pepper(session: Session, keys: Keyring) -> bytes:
    """The key for Telegram chat-id hashes: chats are looked up without storing the id in clear."""
    return _secret(session, keys, TELEGRAM_CHAT_PEPPER, lambda: (new_key(), None))


def rewrap_all(session: Session, keys: Keyring, new_master: bytes) -> int:
    rows = session.scalars(select(ServiceSecret).where(ServiceSecret.wrapped_by.like("master:%"))).all()
    new_id = key_id_for(new_master)
    for row in rows:
        raw = unwrap_key(keys.master_by_id(row.wrapped_by.partition(":")[2]), row.wrapped, context=row.name)
        row.wrapped = wrap_key(new_master, new_id, raw, context=row.name)
        row.wrapped_by = f"master:{new_id}"
    return len(rows)


def recovery_public_key(session: Session) -> X25519PublicKey | None:
    row = session.get(ServiceSecret, RECOVERY)
    return X25519PublicKey.from_public_bytes(row.public) if row else None


def set_recovery_public_key(session: Session, public: X25519PublicKey) -> None:
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    row = session.get(ServiceSecret, RECOVERY)
    if row is None:
        session.add(ServiceSecret(name=RECOVERY, wrapped=b"", wrapped_by="none", public=raw))
    else:
        row.public = raw
