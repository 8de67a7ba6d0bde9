"""AES-256-GCM field encryption and data-key wrapping.

Every encrypted column value is a self-describing blob::

    0x01 | len(key_id) (1 byte) | key_id (ASCII) | nonce (12 bytes) | ciphertext+tag

The key id travels in clear so the store can find the right data key without
trying them all. The associated data binds the ciphertext to its table,
column, row and key id: a blob copied into another row, column or table (or
relabelled with another key id) fails authentication instead of silently
decrypting in the wrong place.

Nonces are random (96 bits). That is safe for far more encryptions per key
than a single conversation's data key will ever see (the usual bound is
about 2**32 messages per key).
"""
from __future__ import annotations

import hashlib
import os
import struct
from typing import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 0x01
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
MAX_KEY_ID_BYTES = 255

# Domain labels keep field AAD and key-wrap AAD disjoint, so a wrapped key can
# never be accepted as a field value or the other way round.
_FIELD_LABEL = "sipkompis-field/1"
_WRAP_LABEL = "sipkompis-key-wrap/1"


class DecryptionError(Exception):
    """A blob could not be authenticated or parsed.

    The message is deliberately generic: callers log it, and nothing about
    the plaintext, key or blob contents may end up in a log.
    """

    def __init__(self, message: str = "decryption failed") -> None:
        super().__init__(message)


def new_key() -> bytes:
    """Return a fresh random 256-bit key (a data key or a master key)."""
    return os.urandom(KEY_BYTES)


def key_id_for(key: bytes) -> str:
    """Return a short, stable, non-secret id for a key.

    Lets blobs and wrapped keys name the key they need without revealing it:
    the first 8 bytes of SHA-256 of the key, as 16 hex characters.
    """
    return hashlib.sha256(key).digest()[:8].hex()


def _encode_parts(*parts: str) -> bytes:
    """Length-prefix each UTF-8 part so that distinct tuples never collide.

    Plain concatenation would make ("ab", "c") and ("a", "bc") identical.
    """
    out = bytearray()
    for part in parts:
        raw = part.encode("utf-8")
        out += struct.pack(">I", len(raw))
        out += raw
    return bytes(out)


def field_aad(table: str, column: str, row_id: str, key_id: str) -> bytes:
    """Associated data that pins a field ciphertext to where it belongs.

    Moving a blob to another table, column or row, or pointing it at another
    key id, changes this value and so breaks the GCM tag.
    """
    return _encode_parts(_FIELD_LABEL, table, column, row_id, key_id)


def _wrap_aad(context: str, kek_id: str) -> bytes:
    return _encode_parts(_WRAP_LABEL, context, kek_id)


def _check_key(key: bytes) -> None:
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise ValueError("key must be 32 bytes")


def _header(key_id: str) -> bytes:
    if not isinstance(key_id, str):
        raise TypeError("key_id must be a str")
    try:
        raw = key_id.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError("key_id must be ASCII") from None
    if not 1 <= len(raw) <= MAX_KEY_ID_BYTES:
        raise ValueError("key_id must be 1..255 ASCII characters")
    return bytes([VERSION, len(raw)]) + raw


def _seal(key: bytes, key_id: str, plaintext: bytes, aad: bytes) -> bytes:
    _check_key(key)
    header = _header(key_id)
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(bytes(key)).encrypt(nonce, plaintext, aad)


def _split(blob: bytes) -> tuple[str, bytes, bytes]:
    """Parse a blob into (key_id, nonce, ciphertext+tag) or raise DecryptionError."""
    if not isinstance(blob, (bytes, bytearray, memoryview)):
        raise DecryptionError("not an encrypted blob")
    blob = bytes(blob)
    if len(blob) < 2 or blob[0] != VERSION:
        raise DecryptionError("unknown blob version")
    id_len = blob[1]
    body = 2 + id_len
    if id_len == 0 or len(blob) < body + NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("truncated blob")
    try:
        key_id = blob[2:body].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError("corrupt blob") from None
    return key_id, blob[body : body + NONCE_BYTES], blob[body + NONCE_BYTES :]


def _open(key: bytes, blob: bytes, aad_for_key_id: Callable[[str], bytes]) -> bytes:
    key_id, nonce, sealed = _split(blob)
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise DecryptionError()
    try:
        return AESGCM(bytes(key)).decrypt(nonce, sealed, aad_for_key_id(key_id))
    except InvalidTag:
        raise DecryptionError() from None


def blob_key_id(blob: bytes) -> str:
    """Return the key id a blob was sealed with, without decrypting it.

    Used to look up (and unwrap) the right data key before decryption.
    Raises DecryptionError if the blob is not in a format we know.
    """
    return _split(blob)[0]


def encrypt_field(
    key: bytes,
    key_id: str,
    plaintext: bytes,
    *,
    table: str,
    column: str,
    row_id: str,
) -> bytes:
    """Encrypt one column value so it only decrypts at (table, column, row_id)."""
    return _seal(key, key_id, plaintext, field_aad(table, column, row_id, key_id))


def decrypt_field(
    key: bytes,
    blob: bytes,
    *,
    table: str,
    column: str,
    row_id: str,
) -> bytes:
    """Decrypt a column value; any mismatch or damage raises DecryptionError.

    The caller must state where the blob was read from; a blob that was moved
    there from elsewhere is rejected rather than trusted.
    """
    return _open(key, blob, lambda kid: field_aad(table, column, row_id, kid))


def wrap_key(kek: bytes, kek_id: str, dek: bytes, *, context: str) -> bytes:
    """Encrypt a 32-byte data key under a key-encryption key.

    ``context`` (e.g. ``"data_key:<row id>"``) is authenticated, so a wrapped
    key copied onto another data-key row does not unwrap there.
    """
    _check_key(dek)
    return _seal(kek, kek_id, bytes(dek), _wrap_aad(context, kek_id))


def unwrap_key(kek: bytes, blob: bytes, *, context: str) -> bytes:
    """Recover a data key wrapped by ``wrap_key``; raises DecryptionError on failure."""
    dek = _open(kek, blob, lambda kid: _wrap_aad(context, kid))
    if len(dek) != KEY_BYTES:
        raise DecryptionError()
    return dek
