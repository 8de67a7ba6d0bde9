"""Key management: master key rotation and the unit's offline recovery key."""
from __future__ import annotations

import base64
import json
from pathlib import Path

from bot.cli.admin import passphrase
from bot.cli.output import CliError, emit, session_and_keys
from bot.config import load_settings
from bot.crypto.aead import key_id_for
from bot.crypto.aead import new_key as new_master_key
from bot.crypto.keyfile import KeyFileError, generate_keypair, read_key_file, write_key_file
from bot.crypto.masterkey import MasterKeyError, write_master_keys
from bot.crypto.sealing import SealError, public_key_fingerprint
from bot.services import audit, service_keys, statements
from bot.store.keyring import master_keys


def rotate(args) -> int:
    """Re-wrap every data key and service secret under a new master key.

    With the key file, running processes keep working throughout: the new key is written
    first, with the old keys kept after it, and every process re-reads the file when it
    meets a key id it does not know. With SIPKOMPIS_MASTER_KEY the new key is printed and
    every process must be restarted with it.
    """
    settings = load_settings()
    new_key = new_master_key()
    try:
        old = master_keys(settings)
    except MasterKeyError as error:
        raise CliError(str(error)) from None
    if not settings.master_key_env:
        write_master_keys(settings.master_key_file, [new_key] + [k for k in old if k != new_key])
    with session_and_keys() as (session, keys):
        count = keys.rewrap_master(new_key) + service_keys.rewrap_all(session, keys, new_key)
    result = {"rewrapped": count, "key_id": key_id_for(new_key)}
    if settings.master_key_env:
        result["new_master_key"] = base64.b64encode(new_key).decode("ascii")
        human = (f"{count} keys re-wrapped. Set SIPKOMPIS_MASTER_KEY to the new value and restart "
                 f"every process:\n{result['new_master_key']}")
    else:
        human = (f"{count} keys re-wrapped under a new master key ({result['key_id']}) in "
                 f"{settings.master_key_file}; older keys stay on the following lines until "
                 "`keys retire` destroys them.")
    return emit(result, args.json, human)


def retire(args) -> int:
    """Destroy old master keys (all but the current one, or the one given by --key-id).

    Anything still wrapped by a retiring key (a key a process created just before it saw
    the rotation) is re-wrapped under the current key first, so nothing live is lost. From
    then on a backup or dump made while an old key was current no longer decrypts with
    any key this service holds: that is what makes erasure reach old backups.
    """
    settings = load_settings()
    try:
        held = master_keys(settings, reload=True)
    except MasterKeyError as error:
        raise CliError(str(error)) from None
    current, old = held[0], held[1:]
    current_id = key_id_for(current)
    if args.key_id == current_id:
        raise CliError(f"{current_id} is the current master key; run `keys rotate` first, then retire it")
    targets = [k for k in old if args.key_id in (None, key_id_for(k))]
    if args.key_id and not targets:
        raise CliError(f"no old master key with id {args.key_id!r} in {settings.master_key_file}")
    with session_and_keys() as (session, keys):
        moved = keys.rewrap_master(current) + service_keys.rewrap_all(session, keys, current)
        still = {kid: n for kid, n in keys.master_usage().items() if kid != current_id}
        if still:
            raise CliError(f"{sum(still.values())} keys are wrapped by master keys this service "
                           "does not hold; nothing was retired")
    retired = [key_id_for(k) for k in targets]
    if settings.master_key_env:
        human = ("Every key is wrapped by SIPKOMPIS_MASTER_KEY. Destroy every copy of earlier "
                 "values of it (secret store versions, old .env files): backups made under them "
                 "then no longer decrypt.")
    else:
        write_master_keys(settings.master_key_file, [current] + [k for k in old if k not in targets])
        master_keys(settings, reload=True)
        human = (f"{len(retired)} old master key(s) destroyed; every key is under {current_id}. "
                 "Backups made before the last rotation no longer decrypt.")
    return emit({"retired": retired, "key_id": current_id, "rewrapped": moved}, args.json, human)


def recovery_create(args) -> int:
    private = generate_keypair()
    phrase = passphrase(confirm=True)
    with session_and_keys() as (session, keys):
        try:
            write_key_file(Path(args.key_out), private, phrase, coordinator_id="recovery",
                           service_verify_key=service_keys.verify_key(session, keys))
        except KeyFileError as error:
            raise CliError(str(error)) from None
        service_keys.set_recovery_public_key(session, private.public_key())
    fingerprint = public_key_fingerprint(private.public_key())
    return emit({"key_file": args.key_out, "fingerprint": fingerprint}, args.json,
                f"Recovery key written to {args.key_out} ({fingerprint}). Keep it offline.")


def recovery_decrypt(args) -> int:
    """Open the copies sealed to the recovery key: one file (--file), or every copy of a
    meeting straight from the store (--meeting), for a coordinator who lost their key."""
    try:
        private, header = read_key_file(Path(args.key), passphrase())
    except KeyFileError as error:
        raise CliError(str(error)) from None
    if args.file:
        try:
            opened = statements.read_envelope(Path(args.file).read_bytes(), private,
                                              header["service_verify_key"])
        except (SealError, OSError) as error:
            raise CliError(f"cannot open {args.file}: {error}") from None
        return emit(statements.payload_json(opened), args.json, json.dumps(
            statements.payload_json(opened), ensure_ascii=False, indent=2))
    with session_and_keys() as (session, keys):
        found = []
        for row, envelope in statements.recovery_envelopes(session, keys, args.meeting):
            try:
                found.append(statements.read_envelope(envelope, private, header["service_verify_key"]))
            except SealError as error:
                raise CliError(f"a recovery copy failed to open ({error}); nothing was shown") from None
            audit.record(session, "recovery", "decrypt", "statement", row.statement_id, row.meeting_id)
    if not found:
        raise CliError(f"no recovery copy for meeting {args.meeting} (none sent, erased, or sent "
                       "before the recovery key was created)")
    result = {"statements": [statements.payload_json(s) for s in found]}
    return emit(result, args.json, json.dumps(result, ensure_ascii=False, indent=2))


def register(sub) -> None:
    from bot.cli.admin import _cmd

    keys = sub.add_parser("keys", help="master key rotation and retirement")
    ksub = keys.add_subparsers(dest="action", metavar="ACTION")
    _cmd(ksub, "rotate", rotate, "re-wrap every data key under a new master key")
    p = _cmd(ksub, "retire", retire, "destroy old master keys once nothing uses them")
    p.add_argument("--key-id", help="retire only this old key (default: every old key)")
    recovery = sub.add_parser("recovery-key", help="the unit's offline recovery key")
    rsub = recovery.add_subparsers(dest="action", metavar="ACTION")
    p = _cmd(rsub, "create", recovery_create, "create the recovery key pair")
    p.add_argument("--key-out", required=True)
    p = _cmd(rsub, "decrypt", recovery_decrypt, "open a sealed statement with the recovery key")
    p.add_argument("--key", required=True)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--file", help="one sealed copy")
    which.add_argument("--meeting", help="every recovery copy of this meeting, from the store")
