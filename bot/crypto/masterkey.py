"""Loading, and first-time creation, of the service master key.

The master key wraps every data key, so whoever reads it can read every
conversation. It comes either from ``SIPKOMPIS_MASTER_KEY`` (base64 of 32
bytes, for deployments with a secret store) or from a key file that we
create ourselves with mode 0600 on first start, so that a fresh install is
encrypted from its very first message without any manual step.

We refuse to use a key file that group or others can read: silently running
with a world-readable master key would defeat the whole encryption layer.
"""
from __future__ import annotations

import base64
import binascii
import os
import pathlib
import stat

from bot.crypto.aead import KEY_BYTES, new_key

ENV_ERROR = "SIPKOMPIS_MASTER_KEY must be base64 of 32 bytes"


class MasterKeyError(Exception):
    """The master key is missing, malformed or stored insecurely.

    Messages name the file and the fix but never contain key material.
    """


def generate_master_key_b64() -> str:
    """Return a new random master key as standard base64 (for operators)."""
    return base64.b64encode(new_key()).decode("ascii")


def _decode_key(text: str) -> bytes | None:
    """Decode standard or URL-safe base64 (padding optional); None if not 32 bytes.

    Accepting both alphabets avoids a confusing failure when an operator
    pastes a key produced by a tool that emits the other one.
    """
    compact = "".join(text.split())
    normalised = compact.replace("-", "+").replace("_", "/")
    normalised += "=" * (-len(normalised) % 4)
    try:
        raw = base64.b64decode(normalised, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == KEY_BYTES else None


def load_master_keys(env_value: str | None, key_file: pathlib.Path) -> list[bytes]:
    """All master keys, the current one first.

    A key file may hold older keys on the lines after the first: `keys rotate` keeps them
    so that processes still running with the old key, and rows not yet re-wrapped, stay
    readable while the rotation happens; `keys retire` removes them afterwards, so that a
    backup made under an old key stops decrypting (erasure reaching backups).
    """
    if env_value is not None and env_value.strip():
        return [load_master_key(env_value, key_file)]
    key_file = pathlib.Path(key_file)
    if not key_file.exists():
        _create_key_file(key_file)
    return _read_key_file(key_file, all_keys=True)


def write_master_keys(path: pathlib.Path, keys: list[bytes]) -> None:
    """Replace the key file atomically (mode 0600): readers see the old or the new file."""
    data = "".join(base64.b64encode(k).decode("ascii") + "\n" for k in keys).encode("ascii")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{new_key().hex()[:8]}.tmp")
    _write_exclusive(tmp, data)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def load_master_key(env_value: str | None, key_file: pathlib.Path) -> bytes:
    """Return the 32-byte master key from the environment or the key file.

    An environment value wins (an empty one counts as unset, matching how
    compose files pass through unset variables). Without it the key file is
    read, or created with a new random key if it does not exist yet.
    """
    if env_value is not None and env_value.strip():
        key = _decode_key(env_value)
        if key is None:
            raise MasterKeyError(ENV_ERROR)
        return key
    key_file = pathlib.Path(key_file)
    if not key_file.exists():
        _create_key_file(key_file)
    return _read_key_file(key_file)


def _read_key_file(path: pathlib.Path, all_keys: bool = False):
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise MasterKeyError(f"master key file {path} does not exist") from None
    except OSError as exc:
        raise MasterKeyError(f"cannot open master key file {path}: {exc.strerror}") from None
    try:
        # fstat on the open descriptor: the file we check is the file we read.
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise MasterKeyError(f"master key file {path} is not a regular file")
        if info.st_mode & 0o077:
            raise MasterKeyError(
                f"master key file {path} is accessible by group or others; "
                f"run: chmod 600 {path}"
            )
        content = os.read(fd, 65536)
    finally:
        os.close(fd)
    try:
        text = content.decode("ascii")
    except UnicodeDecodeError:
        text = ""
    lines = [line for line in text.splitlines() if line.strip()]
    keys = [_decode_key(line) for line in lines]
    if not keys or any(key is None for key in keys):
        raise MasterKeyError(
            f"master key file {path} is corrupt: it must contain base64 of 32 bytes"
        )
    return keys if all_keys else keys[0]


def _create_key_file(path: pathlib.Path) -> None:
    """Create the key file atomically with mode 0600.

    The bot and the action server may start at the same moment. The key is
    written completely to a private temporary file and then published with
    a hard link, which fails if the name already exists; a concurrent reader
    therefore sees either no file or a complete one, and exactly one key
    wins. If the filesystem cannot hard-link we fall back to writing the
    final name directly with O_EXCL.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = (generate_master_key_b64() + "\n").encode("ascii")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{new_key().hex()[:8]}.tmp")
    _write_exclusive(tmp, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process won the race; its key is the key
    except OSError:
        try:
            _write_exclusive(path, data)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _write_exclusive(path: pathlib.Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # independent of the process umask
        os.write(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def _fsync_dir(directory: pathlib.Path) -> None:
    """Make the new directory entry durable: losing the key loses all data."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
