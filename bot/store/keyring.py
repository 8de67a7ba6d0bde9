"""Data keys and field encryption over the store.

Key hierarchy: master key (env or 0600 file) wraps each data key; a conversation's key may
be wrapped by its person's key instead. Every `_enc` column is sealed with a data key and
bound to its table, column and row id, so a blob copied elsewhere does not decrypt.
Destroying a data key row (erasure) leaves every blob under it, and every key wrapped by
it, undecryptable: crypto-shredding.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings, load_settings
from bot.crypto.aead import (
    DecryptionError,
    blob_key_id,
    decrypt_field,
    encrypt_field,
    key_id_for,
    new_key,
    unwrap_key,
    wrap_key,
)
from bot.crypto.masterkey import load_master_keys
from bot.store.models import DataKey, new_id


class KeyUnavailable(Exception):
    """The data key is gone (erased) or cannot be unwrapped."""


_loaded: dict[tuple, tuple[float, list[bytes]]] = {}


def master_keys(settings: Settings | None = None, reload: bool = False) -> list[bytes]:
    """The master keys, current first; the key file is re-read when it changes.

    Re-reading on change is what lets `keys rotate` run without downtime: every new
    session of a running process picks up the new current key.
    """
    settings = settings or load_settings()
    source = (settings.master_key_env, str(settings.master_key_file))
    path = Path(settings.master_key_file)
    stamp = path.stat().st_mtime_ns if not settings.master_key_env and path.exists() else 0
    cached = _loaded.get(source)
    if reload or cached is None or cached[0] != stamp:
        keys = load_master_keys(settings.master_key_env, path)
        stamp = path.stat().st_mtime_ns if not settings.master_key_env else 0
        _loaded[source] = cached = (stamp, keys)
    return cached[1]


def master_key(settings: Settings | None = None) -> bytes:
    return master_keys(settings)[0]


class Keyring:
    """Unwraps and caches data keys for the life of one session."""

    def __init__(self, session: Session, master: bytes | None = None) -> None:
        self.session = session
        keys = [master] if master is not None else master_keys()
        self.master, self.master_id = keys[0], key_id_for(keys[0])
        self._masters = {key_id_for(k): k for k in keys}
        self._cache: dict[str, bytes] = {}

    def master_by_id(self, kid: str) -> bytes:
        """The master key with this id; re-reads the key file once if it is unknown."""
        if kid not in self._masters:
            self._masters.update({key_id_for(k): k for k in master_keys(reload=True)})
        if kid not in self._masters:
            raise KeyUnavailable("data key wrapped by a master key this service does not hold")
        return self._masters[kid]

    def create_key(self, parent_key_id: str | None = None) -> str:
        """A new data key, wrapped by the master key or by `parent_key_id`."""
        row = DataKey(id=new_id(), wrapped=b"", wrapped_by="")
        dek = new_key()
        self._wrap(row, dek, parent_key_id)
        self.session.add(row)
        self.session.flush()
        self._cache[row.id] = dek
        return row.id

    def _wrap(self, row: DataKey, dek: bytes, parent_key_id: str | None) -> None:
        context = f"data_key:{row.id}"
        if parent_key_id is None:
            row.wrapped = wrap_key(self.master, self.master_id, dek, context=context)
            row.wrapped_by = f"master:{self.master_id}"
        else:
            parent = self.key(parent_key_id)
            row.wrapped = wrap_key(parent, parent_key_id, dek, context=context)
            row.wrapped_by = f"key:{parent_key_id}"

    def key(self, key_id: str) -> bytes:
        if key_id in self._cache:
            return self._cache[key_id]
        row = self.session.get(DataKey, key_id)
        if row is None:
            raise KeyUnavailable("data key erased or unknown")
        kind, _, parent = row.wrapped_by.partition(":")
        kek = self.master_by_id(parent) if kind == "master" else self.key(parent)
        try:
            dek = unwrap_key(kek, row.wrapped, context=f"data_key:{row.id}")
        except DecryptionError:
            raise KeyUnavailable("data key cannot be unwrapped") from None
        self._cache[key_id] = dek
        return dek

    def rewrap_under(self, key_id: str, parent_key_id: str) -> None:
        """Put a conversation's key under its person's key (done when an invite links it)."""
        row = self.session.get(DataKey, key_id)
        if row is None:
            raise KeyUnavailable("data key erased or unknown")
        self._wrap(row, self.key(key_id), parent_key_id)

    def rewrap_master(self, new_master: bytes) -> int:
        """Re-wrap every master-wrapped key under `new_master`; returns how many."""
        new_id = key_id_for(new_master)
        count = 0
        rows = self.session.scalars(
            select(DataKey).where(DataKey.wrapped_by.like("master:%"))
        ).all()
        for row in rows:
            dek = self.key(row.id)
            row.wrapped = wrap_key(new_master, new_id, dek, context=f"data_key:{row.id}")
            row.wrapped_by = f"master:{new_id}"
            count += 1
        self.master, self.master_id = new_master, new_id
        self._masters[new_id] = new_master
        return count

    def subtree(self, key_id: str) -> list[str]:
        """This key and every key wrapped under it, at any depth (what destroying it shreds)."""
        found, frontier = [key_id], [key_id]
        while frontier:
            frontier = list(self.session.scalars(select(DataKey.id).where(
                DataKey.wrapped_by.in_([f"key:{k}" for k in frontier]))))
            found += frontier
        return found

    def destroy(self, key_id: str) -> int:
        """Delete a data key and every key wrapped by it: their data becomes unreadable.

        Returns how many key rows were deleted. Rows that name one of these keys in a
        foreign key must be re-keyed or deleted first (the transaction fails otherwise).
        """
        doomed = self.subtree(key_id)
        count = 0
        # Leaves first, so no wrapped key outlives the key it is wrapped by even briefly.
        for kid in reversed(doomed):
            row = self.session.get(DataKey, kid)
            if row is not None:
                self.session.delete(row)
                count += 1
            self._cache.pop(kid, None)
        self.session.flush()
        return count

    def master_usage(self) -> dict[str, int]:
        """How many data keys and service secrets each master key id still wraps."""
        from bot.store.models import ServiceSecret

        usage: dict[str, int] = {}
        for model in (DataKey, ServiceSecret):
            for wrapped_by in self.session.scalars(
                    select(model.wrapped_by).where(model.wrapped_by.like("master:%"))):
                kid = wrapped_by.partition(":")[2]
                usage[kid] = usage.get(kid, 0) + 1
        return usage

    def seal(self, key_id: str, table: str, column: str, row_id: str, text: str) -> bytes:
        return encrypt_field(
            self.key(key_id), key_id, text.encode("utf-8"),
            table=table, column=column, row_id=row_id,
        )

    def seal_bytes(self, key_id: str, table: str, column: str, row_id: str, data: bytes) -> bytes:
        return encrypt_field(self.key(key_id), key_id, data, table=table, column=column, row_id=row_id)

    def open_bytes(self, table: str, column: str, row_id: str, blob: bytes) -> bytes:
        key_id = blob_key_id(blob)
        return decrypt_field(self.key(key_id), blob, table=table, column=column, row_id=row_id)

    def open(self, table: str, column: str, row_id: str, blob: bytes) -> str:
        return self.open_bytes(table, column, row_id, blob).decode("utf-8")
