"""Statements sealed to a coordinator (HPKE, RFC 9180) and signed by the service.

A statement leaves the service only as an envelope that exactly one
coordinator's private key can open. HPKE base mode proves nothing about the
sender (anyone with the public key can encrypt), so the service also signs
the inner statement with its Ed25519 key, which the coordinator has pinned.

Envelope (UTF-8 JSON, readable header)::

    {"format", "suite", "meeting_id", "version", "recipient_key_id", "ciphertext"}

The header is not secret but is authenticated: the HPKE ``info`` is built
from it, so editing any header field makes decryption fail. Inside, the
signed statement repeats meeting_id, version and recipient_key_id, which
stops a validly signed statement from being re-addressed to another meeting,
version or coordinator.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)

FORMAT = "sipkompis-sealed-statement/1"
SUITE_NAME = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM"
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
# Prefixed to the signed bytes so a signature made here can never be
# replayed as a valid signature for some other message type of this service.
_SIGNATURE_CONTEXT = b"sipkompis-sealed-statement/1 signature\x00"
_HEADER_FIELDS = ("format", "suite", "meeting_id", "version", "recipient_key_id", "ciphertext")
_INNER_FIELDS = ("payload", "meeting_id", "version", "recipient_key_id", "signature", "signer")

NOT_SIGNED = "not signed by this service"
NOT_FOR_THIS_KEY = "not for this key"
TAMPERED = "tampered or corrupt"


class SealError(Exception):
    """A statement could not be sealed or opened.

    Messages are short and fixed; they never contain statement content.
    """


def public_key_fingerprint(public_key: X25519PublicKey | Ed25519PublicKey) -> str:
    """Human-comparable fingerprint: first 16 bytes of SHA-256 of the raw key.

    Printed as eight colon-separated groups of four hex digits so that a
    coordinator can read it aloud and compare it. Also used as the
    recipient key id in envelopes.
    """
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys, no spaces, ASCII, no NaN).

    Signatures and HPKE info are computed over these bytes, so the same value
    must always serialise identically, including after a parse round trip.
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def _info(meeting_id: str, version: int, recipient_key_id: str) -> bytes:
    return canonical_json(
        {
            "format": FORMAT,
            "meeting_id": meeting_id,
            "recipient_key_id": recipient_key_id,
            "suite": SUITE_NAME,
            "version": version,
        }
    )


def _signed_bytes(payload: Any, meeting_id: str, version: int, recipient_key_id: str) -> bytes:
    return _SIGNATURE_CONTEXT + canonical_json(
        {
            "meeting_id": meeting_id,
            "payload": payload,
            "recipient_key_id": recipient_key_id,
            "version": version,
        }
    )


def _check_header_values(meeting_id: Any, version: Any) -> None:
    if not isinstance(meeting_id, str) or not meeting_id:
        raise SealError("meeting_id must be a non-empty string")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SealError("version must be an integer")


def seal_statement(
    payload: dict,
    *,
    recipient_public_key: X25519PublicKey,
    meeting_id: str,
    version: int,
    signing_key: Ed25519PrivateKey,
) -> bytes:
    """Sign ``payload`` as the service and seal it to one coordinator's key.

    ``payload`` must be JSON-serialisable (string keys; tuples come back as
    lists). Returns the envelope bytes to store or send.
    """
    if not isinstance(payload, dict):
        raise SealError("payload must be a dict")
    _check_header_values(meeting_id, version)
    recipient_key_id = public_key_fingerprint(recipient_public_key)
    try:
        to_sign = _signed_bytes(payload, meeting_id, version, recipient_key_id)
        # Normalise through a round trip so the signature matches what the
        # recipient will recompute (e.g. int dict keys become strings).
        payload = json.loads(
            to_sign[len(_SIGNATURE_CONTEXT) :], object_pairs_hook=_reject_duplicates
        )["payload"]
    except (TypeError, ValueError, RecursionError):
        raise SealError("payload is not JSON-serialisable") from None
    signature = signing_key.sign(to_sign)
    inner = canonical_json(
        {
            "meeting_id": meeting_id,
            "payload": payload,
            "recipient_key_id": recipient_key_id,
            "signature": base64.b64encode(signature).decode("ascii"),
            "signer": public_key_fingerprint(signing_key.public_key()),
            "version": version,
        }
    )
    ciphertext = _SUITE.encrypt(
        inner, recipient_public_key, info=_info(meeting_id, version, recipient_key_id)
    )
    envelope = {
        "format": FORMAT,
        "suite": SUITE_NAME,
        "meeting_id": meeting_id,
        "version": version,
        "recipient_key_id": recipient_key_id,
        "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
    }
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    """json object hook: duplicate keys would let two parsers see two values."""
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate key")
        result[key] = value
    return result


def _parse_object(data: bytes, fields: tuple[str, ...]) -> dict:
    """Strictly parse a JSON object with exactly ``fields``; SealError otherwise."""
    try:
        text = bytes(data).decode("utf-8")
        obj = json.loads(text, object_pairs_hook=_reject_duplicates)
    except (TypeError, ValueError, RecursionError):
        # from None: a JSONDecodeError carries the whole document in .doc.
        raise SealError(TAMPERED) from None
    if not isinstance(obj, dict) or set(obj) != set(fields):
        raise SealError(TAMPERED)
    return obj


def _b64decode_strict(text: Any) -> bytes:
    """Decode canonical base64 only, so the envelope has exactly one encoding."""
    if not isinstance(text, str):
        raise SealError(TAMPERED)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SealError(TAMPERED) from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise SealError(TAMPERED)
    return raw


def _parse_envelope(envelope: bytes) -> dict:
    header = _parse_object(envelope, _HEADER_FIELDS)
    if header["format"] != FORMAT or header["suite"] != SUITE_NAME:
        raise SealError(TAMPERED)
    if not isinstance(header["recipient_key_id"], str):
        raise SealError(TAMPERED)
    try:
        _check_header_values(header["meeting_id"], header["version"])
    except SealError:
        raise SealError(TAMPERED) from None
    return header


def read_envelope_header(envelope: bytes) -> dict:
    """Return meeting_id, version and recipient_key_id without decrypting.

    Lets the service list and route envelopes, and a coordinator see which
    key an envelope needs, without holding any private key. The values are
    only trustworthy once ``open_statement`` has succeeded.
    """
    header = _parse_envelope(envelope)
    return {
        "meeting_id": header["meeting_id"],
        "version": header["version"],
        "recipient_key_id": header["recipient_key_id"],
    }


def open_statement(
    envelope: bytes,
    *,
    recipient_private_key: X25519PrivateKey,
    verify_key: Ed25519PublicKey,
) -> dict:
    """Decrypt an envelope and verify the service's signature.

    Returns {"meeting_id", "version", "payload"}. Raises SealError with
    "not for this key", "tampered or corrupt" or "not signed by this
    service"; nothing is returned unless every check passed.
    """
    header = _parse_envelope(envelope)
    own_key_id = public_key_fingerprint(recipient_private_key.public_key())
    if header["recipient_key_id"] != own_key_id:
        raise SealError(NOT_FOR_THIS_KEY)
    meeting_id, version = header["meeting_id"], header["version"]
    ciphertext = _b64decode_strict(header["ciphertext"])
    try:
        inner_bytes = _SUITE.decrypt(
            ciphertext, recipient_private_key, info=_info(meeting_id, version, own_key_id)
        )
    except Exception:  # any HPKE failure (bad tag, bad encapsulated key, short input)
        raise SealError(TAMPERED) from None
    inner = _parse_object(inner_bytes, _INNER_FIELDS)
    if (
        type(inner["meeting_id"]) is not str
        or type(inner["version"]) is not int
        or inner["meeting_id"] != meeting_id
        or inner["version"] != version
        or inner["recipient_key_id"] != own_key_id
        or not isinstance(inner["payload"], dict)
    ):
        raise SealError(TAMPERED)
    if inner["signer"] != public_key_fingerprint(verify_key):
        raise SealError(NOT_SIGNED)
    try:
        signature = _b64decode_strict(inner["signature"])
    except SealError:
        raise SealError(NOT_SIGNED) from None
    try:
        signed = _signed_bytes(inner["payload"], meeting_id, version, own_key_id)
        verify_key.verify(signature, signed)
    except (InvalidSignature, ValueError, TypeError):
        raise SealError(NOT_SIGNED) from None
    return {"meeting_id": meeting_id, "version": version, "payload": inner["payload"]}
