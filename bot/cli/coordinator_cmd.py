"""`coordinator` commands: a coordinator and their key file, the desk's second factor
(TOTP) and sessions, and the Telegram link."""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from bot.config import load_settings
from bot.crypto.keyfile import KeyFileError
from bot.cli.output import CliError, emit, session_and_keys, write_private
from bot.desk import totp
from bot.services import coordinators, desk_accounts, invites
from bot.services.errors import NotFound


def passphrase(confirm: bool = False) -> str:
    value = os.environ.get("SIPKOMPIS_KEY_PASSPHRASE")
    if value:
        return value
    try:
        value = getpass.getpass("Lösenfras för nyckeln: ")
        if confirm and getpass.getpass("Samma lösenfras igen: ") != value:
            raise CliError("the passphrases did not match; nothing was created")
    except EOFError:
        raise CliError("no passphrase: set SIPKOMPIS_KEY_PASSPHRASE or run in a terminal") from None
    if len(value) < 8:
        raise CliError("the passphrase must be at least 8 characters")
    return value


def coordinator_add(args) -> int:
    phrase = passphrase(confirm=True)
    with session_and_keys() as (session, keys):
        try:
            new = coordinators.add(session, keys, name=args.name, key_dir=Path(args.key_out),
                                   passphrase=phrase)
            # Enrolled at once, from the file just written: one command gives the
            # coordinator everything they need for the desk.
            enrolment = desk_accounts.enrol(session, keys, new.id,
                                            _read_key_text(new.key_file))
        except (KeyFileError, desk_accounts.EnrolRefused) as error:
            raise CliError(f"{error}; nothing was created") from None
    svg = _write_totp_svg(new.key_file, enrolment.uri)
    result = {"coordinator_id": new.id, "fingerprint": new.fingerprint,
              "key_file": str(new.key_file), "totp_uri": enrolment.uri, "totp_qr_file": str(svg)}
    code = emit(result, args.json, f"Samordnare skapad: {new.id}\nNyckelfil: {new.key_file}\n"
                f"Fingeravtryck: {new.fingerprint}\nSpara nyckelfilen och lösenfrasen väl.\n\n"
                + _totp_instructions(enrolment.uri, svg))
    _show_qr(enrolment.uri, args.json)
    return code


def _read_key_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"cannot read key file {path}: {getattr(error, 'strerror', None) or error}"
                       ) from None


def _totp_qr_path(key_file: Path) -> Path:
    name = key_file.name
    stem = name[:-len(".key.json")] if name.endswith(".key.json") else key_file.stem
    return key_file.with_name(f"{stem}.totp.svg")


def _write_totp_svg(key_file: Path, uri: str) -> Path:
    """The QR code beside the key file, readable by its owner only: it holds the secret."""
    path = _totp_qr_path(key_file)
    write_private(path, totp.qr_svg_document(uri))
    return path


def _totp_instructions(uri: str, svg: Path) -> str:
    return ("Skrivbordet: skanna QR-koden nedan (eller öppna "
            f"{svg}) med en app för engångskoder,\nt.ex. Microsoft Authenticator eller FreeOTP. "
            f"Går det inte att skanna, skriv in adressen:\n{uri}\n"
            "QR-koden och adressen är en hemlighet: radera bildfilen när appen visar koder.")


def _show_qr(uri: str, as_json: bool) -> None:
    # Not with --json: stdout is then one JSON object and nothing else.
    if not as_json:
        totp.print_terminal_qr(uri, sys.stdout)


def coordinator_desk_enrol(args) -> int:
    """Enrol an existing coordinator for the desk, or give them a new second factor (a
    lost phone): the old codes stop working and every desk session ends."""
    key_file = Path(args.key_file)
    text = _read_key_text(key_file)
    with session_and_keys() as (session, keys):
        try:
            enrolment = desk_accounts.enrol(session, keys, args.coordinator, text)
        except NotFound as error:
            raise CliError(str(error)) from None
        except desk_accounts.EnrolRefused as error:
            raise CliError(f"{error}; nothing was changed") from None
    svg = _write_totp_svg(key_file, enrolment.uri)
    code = emit({"coordinator_id": args.coordinator, "totp_uri": enrolment.uri,
                 "totp_qr_file": str(svg)}, args.json,
                "Klart för skrivbordet. Tidigare engångskoder gäller inte längre, och alla "
                "inloggningar på skrivbordet är avslutade.\n\n" + _totp_instructions(enrolment.uri, svg))
    _show_qr(enrolment.uri, args.json)
    return code


def coordinator_desk_signout(args) -> int:
    with session_and_keys() as (session, _keys):
        try:
            count = desk_accounts.sign_out_everywhere(session, args.coordinator)
        except NotFound as error:
            raise CliError(str(error)) from None
    return emit({"coordinator_id": args.coordinator, "sessions_ended": count}, args.json,
                f"Utloggad från skrivbordet överallt ({count} inloggning(ar) avslutade).")


def coordinator_link(args) -> int:
    with session_and_keys() as (session, keys):
        try:
            coordinators.get(session, args.coordinator)
        except NotFound as error:
            raise CliError(str(error)) from None
        code = invites.issue(session, keys, kind="coordinator_link",
                             coordinator_id=args.coordinator)
    settings = load_settings()
    link = settings.telegram_start_link(code) or invites.display(code)
    return emit({"code": invites.display(code), "link": link}, args.json,
                f"Kod för att koppla din Telegram: {invites.display(code)}\n{link}")


def register(sub) -> None:
    from bot.cli.admin import _cmd

    coordinator = sub.add_parser("coordinator", help="coordinators and their keys")
    csub = coordinator.add_subparsers(dest="action", metavar="ACTION")
    p = _cmd(csub, "add", coordinator_add, "create a coordinator and their key file")
    p.add_argument("--name", required=True)
    p.add_argument("--key-out", required=True, help="folder for the private key file")
    p = _cmd(csub, "link", coordinator_link, "a code that links the coordinator's Telegram chat")
    p.add_argument("--coordinator", required=True)
    p = _cmd(csub, "desk-enrol", coordinator_desk_enrol,
             "store the key file for the desk and give a new TOTP secret (also to reset it)")
    p.add_argument("coordinator", metavar="COORDINATOR")
    p.add_argument("--key-file", required=True, help="the coordinator's key file")
    p = _cmd(csub, "desk-signout", coordinator_desk_signout,
             "end every desk session of the coordinator (a lost or shared computer)")
    p.add_argument("coordinator", metavar="COORDINATOR")
