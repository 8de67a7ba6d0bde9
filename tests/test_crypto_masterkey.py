"""Properties of master key loading and first-time creation (real files)."""
from __future__ import annotations

import base64
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.crypto.masterkey import MasterKeyError, generate_master_key_b64, load_master_key

keys = st.binary(min_size=32, max_size=32)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@settings(max_examples=100)
@given(key=keys)
def test_env_key_in_standard_or_urlsafe_base64_with_or_without_padding_loads(key, tmp_path_factory):
    missing = tmp_path_factory.getbasetemp() / "never-created.key"
    for text in (
        base64.b64encode(key).decode(),
        base64.urlsafe_b64encode(key).decode(),
        base64.urlsafe_b64encode(key).decode().rstrip("="),
        f"  {base64.b64encode(key).decode()}\n",
    ):
        assert load_master_key(text, missing) == key
    assert not missing.exists()


@settings(max_examples=100)
@given(raw=st.binary(max_size=80).filter(lambda b: len(b) != 32))
def test_env_key_of_wrong_length_is_rejected(raw, tmp_path_factory):
    text = base64.b64encode(raw).decode() or "="
    with pytest.raises(MasterKeyError, match="must be base64 of 32 bytes"):
        load_master_key(text, tmp_path_factory.getbasetemp() / "unused.key")


@pytest.mark.parametrize("text", ["not base64 at all!", "ä" * 44, "%%%%", "A" * 43 + "*"])
def test_env_key_that_is_not_base64_is_rejected(text, tmp_path):
    with pytest.raises(MasterKeyError, match="must be base64 of 32 bytes"):
        load_master_key(text, tmp_path / "unused.key")


def test_env_key_error_does_not_echo_the_value(tmp_path):
    value = base64.b64encode(b"x" * 31).decode()
    with pytest.raises(MasterKeyError) as info:
        load_master_key(value, tmp_path / "unused.key")
    assert value not in str(info.value)


def test_env_key_wins_over_an_existing_file(tmp_path):
    path = tmp_path / "master.key"
    file_key = load_master_key(None, path)
    env_key = os.urandom(32)
    assert load_master_key(base64.b64encode(env_key).decode(), path) == env_key != file_key


@pytest.mark.parametrize("empty", ["", "  \n"])
def test_empty_env_value_counts_as_unset(empty, tmp_path):
    path = tmp_path / "master.key"
    assert load_master_key(empty, path) == load_master_key(None, path)


def test_missing_key_file_is_created_with_mode_0600_in_a_new_directory(tmp_path):
    path = tmp_path / "var" / "secrets" / "master.key"
    key = load_master_key(None, path)
    assert len(key) == 32
    assert mode_of(path) == 0o600
    assert base64.b64decode(path.read_text().strip()) == key
    assert not [p for p in path.parent.iterdir() if p != path]  # no temp files left


def test_key_file_is_0600_even_under_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        path = tmp_path / "master.key"
        load_master_key(None, path)
    finally:
        os.umask(old)
    assert mode_of(path) == 0o600


def test_created_key_is_returned_again_on_every_later_load(tmp_path):
    path = tmp_path / "master.key"
    first = load_master_key(None, path)
    assert load_master_key(None, path) == first
    assert load_master_key(None, path) == first


def test_processes_starting_at_once_all_get_the_same_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    for attempt in range(10):
        path = tmp_path / f"race-{attempt}" / "master.key"
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda _: load_master_key(None, path), range(8)))
        assert len(set(results)) == 1
        assert base64.b64decode(path.read_text()) == results[0]


def test_two_fresh_installs_get_different_keys(tmp_path):
    assert load_master_key(None, tmp_path / "a.key") != load_master_key(None, tmp_path / "b.key")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o666, 0o700 | 0o004])
def test_key_file_readable_by_group_or_others_is_refused_with_chmod_hint(mode, tmp_path):
    path = tmp_path / "master.key"
    load_master_key(None, path)
    os.chmod(path, mode)
    with pytest.raises(MasterKeyError) as info:
        load_master_key(None, path)
    assert f"chmod 600 {path}" in str(info.value)
    assert path.read_text().strip() not in str(info.value)


def test_read_only_0400_key_file_is_accepted(tmp_path):
    path = tmp_path / "master.key"
    key = load_master_key(None, path)
    os.chmod(path, 0o400)
    assert load_master_key(None, path) == key


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n",
        b"not base64!\n",
        base64.b64encode(bytes(31)) + b"\n",
        base64.b64encode(bytes(33)) + b"\n",
        b"\xff\xfe\x00garbage",
    ],
)
def test_corrupt_or_wrong_length_key_file_is_refused(content, tmp_path):
    path = tmp_path / "master.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, content)
    os.close(fd)
    with pytest.raises(MasterKeyError, match="corrupt"):
        load_master_key(None, path)
    assert path.read_bytes() == content  # never silently replaced: that would lose all data


def test_a_directory_in_place_of_the_key_file_is_refused(tmp_path):
    path = tmp_path / "master.key"
    path.mkdir(mode=0o700)
    with pytest.raises(MasterKeyError):
        load_master_key(None, path)


@settings(max_examples=20)
@given(st.data())
def test_generated_master_keys_are_base64_of_32_random_bytes(data):
    text = generate_master_key_b64()
    with tempfile.TemporaryDirectory() as directory:
        assert load_master_key(text, Path(directory) / "unused.key") == base64.b64decode(text)
    assert len(base64.b64decode(text, validate=True)) == 32
    assert generate_master_key_b64() != text
