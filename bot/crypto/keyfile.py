"""The coordinator's private key file, protected by a passphrase.

The file lives on the coordinator's own machine (or a USB stick), so it must
stay safe when copied or lost: the X25519 private key is encrypted with
AES-256-GCM under a key derived from the passphrase with Argon2id, which
makes guessing passphrases expensive.

The file also pins the service's Ed25519 verify key, so that opening a
statement later needs nothing but this file and the passphrase. Every
header field is the AEAD's associated data: whoever swaps the pinned verify
key (to make forged statements look genuine) or edits the coordinator id
breaks decryption, and the file is rejected.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import pathlib
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from bot.crypto.sealing import canonical_json, public_key_fingerprint

FORMAT = "sipkompis-coordinator-key/1"
AEAD_NAME = "AES-256-GCM"
# RFC 9106 second recommended option: t=3, p=4, m=64 MiB (~0.1-0.5 s).
DEFAULT_KDF_PARAMS = {"iterations": 3, "lanes": 4, "memory_cost": 65536}
# Upper bounds when reading, so a crafted file cannot make us allocate
# terabytes or spin for hours before the passphrase is even checked.
_MAX_KDF = {"iterations": 64, "lanes": 64, "memory_cost": 4 * 1024 * 1024}
_SALT_BYTES = 16
_NONCE_BYTES = 12
_FIELDS = (
    "format", "coordinator_id", "public_key", "fingerprint",
    "service_verify_key", "kdf", "aead", "nonce", "ciphertext",
)
WRONG_PASSPHRASE = "wrong passphrase or damaged key file"


class KeyFileError(Exception):
    """The key file is missing, not a key file, damaged, or the passphrase is wrong.

    Messages may name the path but never contain key material or the passphrase.
    """


def generate_keypair() -> X25519PrivateKey:
    """Return a new coordinator key pair (the private half; derive the public)."""
    return X25519PrivateKey.generate()


def _raw_public(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _passphrase_bytes(passphrase: str) -> bytes:
    """NFC-normalise before hashing.

    Swedish letters (å, ä, ö) can be typed as one code point or as a letter
    plus a combining mark depending on the OS; both must unlock the file.
    """
    if not isinstance(passphrase, str) or not passphrase:
        raise KeyFileError("passphrase must be a non-empty string")
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _derive(passphrase: str, salt: bytes, params: Mapping[str, int]) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=params["iterations"],
        lanes=params["lanes"],
        memory_cost=params["memory_cost"],
    ).derive(_passphrase_bytes(passphrase))


def _aad(header: Mapping[str, Any]) -> bytes:
    """Canonical JSON of every field except nonce and ciphertext."""
    return canonical_json({k: v for k, v in header.items() if k not in ("nonce", "ciphertext")})


def write_key_file(
    path: pathlib.Path,
    private_key: X25519PrivateKey,
    passphrase: str,
    *,
    coordinator_id: str,
    service_verify_key: Ed25519PublicKey,
    _kdf_params: Mapping[str, int] | None = None,
) -> None:
    """Write a new key file (mode 0600); never overwrite an existing one.

    Overwriting could destroy the only copy of a key that sealed statements
    depend on, so an existing file is an error. ``_kdf_params`` exists only
    so tests can use tiny Argon2 settings; production uses the defaults.
    """
    if not isinstance(coordinator_id, str) or not coordinator_id:
        raise KeyFileError("coordinator_id must be a non-empty string")
    path = pathlib.Path(path)
    if path.exists():  # fail before the slow KDF; O_EXCL below is the real guard
        raise KeyFileError(f"{path} already exists; refusing to overwrite a key file")
    params = dict(DEFAULT_KDF_PARAMS if _kdf_params is None else _kdf_params)
    salt = os.urandom(_SALT_BYTES)
    header: dict[str, Any] = {
        "format": FORMAT,
        "coordinator_id": coordinator_id,
        "public_key": _b64(_raw_public(private_key.public_key())),
        "fingerprint": public_key_fingerprint(private_key.public_key()),
        "service_verify_key": _b64(_raw_public(service_verify_key)),
        "kdf": {
            "name": "argon2id",
            "salt": _b64(salt),
            "iterations": params["iterations"],
            "lanes": params["lanes"],
            "memory_cost": params["memory_cost"],
        },
        "aead": AEAD_NAME,
    }
    key = _derive(passphrase, salt, params)
    nonce = os.urandom(_NONCE_BYTES)
    raw_private = private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    header["nonce"] = _b64(nonce)
    header["ciphertext"] = _b64(AESGCM(key).encrypt(nonce, raw_private, _aad(header)))
    data = (json.dumps(header, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    _write_new_file(path, data)


def _write_new_file(path: pathlib.Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"{path} already exists; refusing to overwrite a key file") from None
    except OSError as exc:
        raise KeyFileError(f"cannot create key file {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)  # independent of the process umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def _b64decode(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64 text")
    return base64.b64decode(value, validate=True)


def _check_kdf(kdf: Any) -> dict[str, int]:
    if not isinstance(kdf, dict) or set(kdf) != {"name", "salt", *_MAX_KDF}:
        raise ValueError("bad kdf")
    if kdf["name"] != "argon2id":
        raise ValueError("unsupported kdf")
    params = {}
    for name, upper in _MAX_KDF.items():
        value = kdf[name]
        if type(value) is not int or not 1 <= value <= upper:
            raise ValueError("kdf parameter out of range")
        params[name] = value
    if params["memory_cost"] < 8 * params["lanes"]:
        raise ValueError("kdf parameter out of range")
    return params


@dataclass(frozen=True)
class _ParsedKeyFile:
    header: dict
    params: dict[str, int]
    salt: bytes
    nonce: bytes
    ciphertext: bytes
    public_raw: bytes
    verify_raw: bytes


def _parse(content: bytes | str, where: str) -> _ParsedKeyFile:
    """Everything about a key file that can be checked without the passphrase."""
    not_a_key_file = KeyFileError(f"not a SIP-kompis coordinator key file{where}")
    try:
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        header = json.loads(text)
        if not isinstance(header, dict) or set(header) != set(_FIELDS):
            raise ValueError("wrong fields")
        if header["format"] != FORMAT or header["aead"] != AEAD_NAME:
            raise ValueError("wrong format")
        if not all(isinstance(header[k], str) for k in ("coordinator_id", "fingerprint")):
            raise ValueError("wrong field types")
        params = _check_kdf(header["kdf"])
        parsed = _ParsedKeyFile(
            header=header,
            params=params,
            salt=_b64decode(header["kdf"]["salt"]),
            nonce=_b64decode(header["nonce"]),
            ciphertext=_b64decode(header["ciphertext"]),
            public_raw=_b64decode(header["public_key"]),
            verify_raw=_b64decode(header["service_verify_key"]),
        )
        if (len(parsed.nonce) != _NONCE_BYTES or len(parsed.public_raw) != 32
                or len(parsed.verify_raw) != 32):
            raise ValueError("wrong lengths")
        _aad(header)  # a header that cannot be canonicalised could never be unlocked
    except (ValueError, TypeError, binascii.Error, RecursionError):
        # from None: a JSONDecodeError carries the whole document, key material included.
        raise not_a_key_file from None
    return parsed


def read_key_file_header(text: str | bytes) -> dict:
    """Check that ``text`` is a well-formed key file and return its public header.

    For the service, which stores a coordinator's key file for the desk but never
    learns the passphrase: it can tell whose file it is and which public key it
    holds, nothing more. Returns coordinator_id, fingerprint, public_key (an
    X25519PublicKey), service_verify_key (an Ed25519PublicKey) and
    service_verify_key_fingerprint. These are authenticated only once the file
    is unlocked, so compare them with what the service already knows.
    """
    parsed = _parse(text, "")
    try:
        public_key = X25519PublicKey.from_public_bytes(parsed.public_raw)
        verify_key = Ed25519PublicKey.from_public_bytes(parsed.verify_raw)
    except ValueError:
        raise KeyFileError("not a SIP-kompis coordinator key file") from None
    return {
        "coordinator_id": parsed.header["coordinator_id"],
        "fingerprint": parsed.header["fingerprint"],
        "public_key": public_key,
        "service_verify_key": verify_key,
        "service_verify_key_fingerprint": public_key_fingerprint(verify_key),
    }


def read_key_file(path: pathlib.Path, passphrase: str) -> tuple[X25519PrivateKey, dict]:
    """Unlock a key file; return (private key, header).

    The header holds coordinator_id, fingerprint, service_verify_key (an
    Ed25519PublicKey, the pinned key to verify statements with) and
    service_verify_key_fingerprint (for showing to the coordinator).
    """
    path = pathlib.Path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"key file not found: {path}") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror}") from None
    parsed = _parse(content, f": {path}")
    header = parsed.header
    try:
        raw_private = AESGCM(_derive(passphrase, parsed.salt, parsed.params)).decrypt(
            parsed.nonce, parsed.ciphertext, _aad(header))
    except (InvalidTag, ValueError):
        raise KeyFileError(WRONG_PASSPHRASE) from None
    try:
        private_key = X25519PrivateKey.from_private_bytes(raw_private)
        service_verify_key = Ed25519PublicKey.from_public_bytes(parsed.verify_raw)
    except ValueError:
        raise KeyFileError(WRONG_PASSPHRASE) from None
    # The AAD already authenticates these; checking again guards against a
    # file written by buggy tooling with a mismatched public half.
    public_key = private_key.public_key()
    if (
        _raw_public(public_key) != parsed.public_raw
        or public_key_fingerprint(public_key) != header["fingerprint"]
    ):
        raise KeyFileError(WRONG_PASSPHRASE)
    return private_key, {
        "coordinator_id": header["coordinator_id"],
        "fingerprint": header["fingerprint"],
        "service_verify_key": service_verify_key,
        "service_verify_key_fingerprint": public_key_fingerprint(service_verify_key),
    }
