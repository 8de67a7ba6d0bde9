"""Properties of the coordinator's passphrase-protected key file (real Argon2id)."""
from __future__ import annotations

import base64
import json
import os
import stat
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bot.crypto.keyfile import (
    DEFAULT_KDF_PARAMS,
    KeyFileError,
    generate_keypair,
    read_key_file,
    write_key_file,
)
from bot.crypto.sealing import open_statement, public_key_fingerprint, seal_statement

# Tiny Argon2 settings keep the suite fast; one test below uses the defaults.
FAST = {"iterations": 1, "lanes": 1, "memory_cost": 8}
SERVICE = Ed25519PrivateKey.generate()
PASSPHRASE = "korrekt häst batteri häftklammer"

passphrases = st.text(min_size=1, max_size=40)
coordinator_ids = st.text(min_size=1, max_size=30)


def raw(private_key) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def write(path: Path, key=None, passphrase=PASSPHRASE, coordinator_id="samordnare-1", verify=SERVICE, **kw):
    key = key or generate_keypair()
    write_key_file(
        path, key, passphrase,
        coordinator_id=coordinator_id,
        service_verify_key=verify.public_key(),
        _kdf_params=kw.pop("kdf", FAST),
    )
    return key


def edit(path: Path, **changes) -> None:
    document = json.loads(path.read_text())
    document.update(changes)
    path.write_text(json.dumps(document))


@settings(max_examples=30, deadline=None)
@given(passphrase=passphrases, coordinator_id=coordinator_ids)
def test_key_file_round_trips_for_any_passphrase_and_coordinator_id(passphrase, coordinator_id):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "coordinator.key"
        key = write(path, passphrase=passphrase, coordinator_id=coordinator_id)
        loaded, header = read_key_file(path, passphrase)
    assert raw(loaded) == raw(key)
    assert header["coordinator_id"] == coordinator_id
    assert header["fingerprint"] == public_key_fingerprint(key.public_key())
    assert header["service_verify_key"].public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    ) == SERVICE.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert header["service_verify_key_fingerprint"] == public_key_fingerprint(SERVICE.public_key())


@settings(max_examples=30, deadline=None)
@given(passphrase=passphrases, wrong=passphrases)
def test_wrong_passphrase_does_not_unlock(passphrase, wrong):
    if unicodedata.normalize("NFC", wrong) == unicodedata.normalize("NFC", passphrase):
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "coordinator.key"
        write(path, passphrase=passphrase)
        with pytest.raises(KeyFileError, match="wrong passphrase or damaged key file"):
            read_key_file(path, wrong)


def test_passphrase_typed_with_combining_accents_still_unlocks(tmp_path):
    path = tmp_path / "coordinator.key"
    write(path, passphrase=unicodedata.normalize("NFC", "blåbär"))
    read_key_file(path, unicodedata.normalize("NFD", "blåbär"))


def test_unlocked_key_and_pinned_verify_key_open_a_sealed_statement(tmp_path):
    path = tmp_path / "coordinator.key"
    key = write(path)
    envelope = seal_statement(
        {"text": "hej"}, recipient_public_key=key.public_key(), meeting_id="m", version=1,
        signing_key=SERVICE,
    )
    private_key, header = read_key_file(path, PASSPHRASE)
    opened = open_statement(
        envelope, recipient_private_key=private_key, verify_key=header["service_verify_key"]
    )
    assert opened["payload"] == {"text": "hej"}


def test_edited_pinned_verify_key_does_not_unlock(tmp_path):
    path = tmp_path / "coordinator.key"
    write(path)
    attacker = Ed25519PrivateKey.generate().public_key()
    edit(path, service_verify_key=base64.b64encode(
        attacker.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).decode())
    with pytest.raises(KeyFileError, match="wrong passphrase or damaged key file"):
        read_key_file(path, PASSPHRASE)


@pytest.mark.parametrize(
    "changes",
    [
        {"coordinator_id": "someone-else"},
        {"fingerprint": "0000:0000:0000:0000:0000:0000:0000:0000"},
        {"public_key": base64.b64encode(bytes(32)).decode()},
    ],
)
def test_edited_header_fields_do_not_unlock(changes, tmp_path):
    path = tmp_path / "coordinator.key"
    write(path)
    edit(path, **changes)
    with pytest.raises(KeyFileError, match="wrong passphrase or damaged key file"):
        read_key_file(path, PASSPHRASE)


def test_weakened_kdf_parameters_do_not_unlock(tmp_path):
    path = tmp_path / "coordinator.key"
    write(path, kdf={"iterations": 2, "lanes": 1, "memory_cost": 8})
    document = json.loads(path.read_text())
    document["kdf"]["iterations"] = 1
    path.write_text(json.dumps(document))
    with pytest.raises(KeyFileError, match="wrong passphrase or damaged key file"):
        read_key_file(path, PASSPHRASE)


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_any_bit_flip_in_the_encrypted_private_key_is_rejected(data):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "coordinator.key"
        write(path)
        document = json.loads(path.read_text())
        for field in ("ciphertext", "nonce"):
            blob = bytearray(base64.b64decode(document[field]))
            bit = data.draw(st.integers(min_value=0, max_value=len(blob) * 8 - 1))
            blob[bit // 8] ^= 1 << (bit % 8)
            edit(path, **{field: base64.b64encode(bytes(blob)).decode()})
            with pytest.raises(KeyFileError):
                read_key_file(path, PASSPHRASE)
            edit(path, **{field: document[field]})


def test_key_file_is_created_with_mode_0600(tmp_path):
    path = tmp_path / "coordinator.key"
    old = os.umask(0)
    try:
        write(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_key_file_is_created_in_a_new_private_directory(tmp_path):
    path = tmp_path / "new" / "coordinator.key"
    write(path)
    assert read_key_file(path, PASSPHRASE)[1]["coordinator_id"] == "samordnare-1"


def test_existing_key_file_is_never_overwritten(tmp_path):
    path = tmp_path / "coordinator.key"
    original = write(path)
    before = path.read_bytes()
    with pytest.raises(KeyFileError, match="already exists"):
        write(path)
    assert path.read_bytes() == before
    assert raw(read_key_file(path, PASSPHRASE)[0]) == raw(original)


def test_file_holds_the_documented_fields_and_no_plain_private_key(tmp_path):
    path = tmp_path / "coordinator.key"
    key = write(path)
    document = json.loads(path.read_text())
    assert document["format"] == "sipkompis-coordinator-key/1"
    assert document["aead"] == "AES-256-GCM"
    assert document["kdf"]["name"] == "argon2id"
    assert set(document) == {
        "format", "coordinator_id", "public_key", "fingerprint", "service_verify_key",
        "kdf", "aead", "nonce", "ciphertext",
    }
    assert base64.b64encode(raw(key)).decode() not in path.read_text()
    assert raw(key) not in path.read_bytes()


def test_default_kdf_is_strong_argon2id_and_round_trips(tmp_path):
    assert DEFAULT_KDF_PARAMS == {"iterations": 3, "lanes": 4, "memory_cost": 65536}
    path = tmp_path / "coordinator.key"
    key = generate_keypair()
    write_key_file(path, key, PASSPHRASE, coordinator_id="c", service_verify_key=SERVICE.public_key())
    assert json.loads(path.read_text())["kdf"]["memory_cost"] == 65536
    assert raw(read_key_file(path, PASSPHRASE)[0]) == raw(key)


def test_missing_key_file_gives_a_clear_error(tmp_path):
    with pytest.raises(KeyFileError, match="not found"):
        read_key_file(tmp_path / "nope.key", PASSPHRASE)


@pytest.mark.parametrize(
    "content",
    [b"", b"hello", b"{}", b"[]", b'{"format": "something-else"}', b"\xff\xfe\x00", b"[" * 5000],
)
def test_a_file_that_is_not_a_key_file_is_refused_clearly(content, tmp_path):
    path = tmp_path / "other.json"
    path.write_bytes(content)
    with pytest.raises(KeyFileError, match="not a SIP-kompis coordinator key file"):
        read_key_file(path, PASSPHRASE)


@pytest.mark.parametrize(
    "kdf_change",
    [{"memory_cost": 2**40}, {"iterations": 10**6}, {"lanes": 0}, {"name": "pbkdf2"}, {"salt": 5}],
)
def test_absurd_kdf_parameters_are_refused_before_any_work(kdf_change, tmp_path):
    path = tmp_path / "coordinator.key"
    write(path)
    document = json.loads(path.read_text())
    document["kdf"].update(kdf_change)
    path.write_text(json.dumps(document))
    with pytest.raises(KeyFileError, match="not a SIP-kompis coordinator key file"):
        read_key_file(path, PASSPHRASE)


def test_empty_passphrase_is_refused(tmp_path):
    with pytest.raises(KeyFileError):
        write(tmp_path / "coordinator.key", passphrase="")
    assert not (tmp_path / "coordinator.key").exists()


def test_errors_never_contain_the_passphrase(tmp_path):
    path = tmp_path / "coordinator.key"
    write(path)
    with pytest.raises(KeyFileError) as info:
        read_key_file(path, "fel lösenord")
    assert "lösenord" not in str(info.value) and PASSPHRASE not in str(info.value)
    assert info.value.__cause__ is None


def test_generated_keypairs_are_distinct():
    assert raw(generate_keypair()) != raw(generate_keypair())
