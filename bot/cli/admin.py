"""Coordinator commands: coordinators (and their desk sign-in), meetings, invites, inbox, outcome, forget, audit."""
from __future__ import annotations

import argparse
import getpass
import html
import os
import sys
from datetime import datetime
from pathlib import Path

from bot.config import load_settings
from bot.crypto.keyfile import KeyFileError, read_key_file
from bot.crypto.sealing import SealError
from bot.cli.output import CliError, emit, fail, session_and_keys, warn
from bot.desk import totp
from bot.services import (
    audit, coordinators, desk_accounts, erasure, followups, invites, meetings, reminders, statements,
)
from bot.services.audience import band_for_age
from bot.services.errors import NotFound
from bot.store.models import Person, utcnow
from bot.swedish_dates import long_form, parse_local


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


def links(code: str) -> dict[str, str]:
    settings = load_settings()
    # The code never goes into a URL (URLs end up in logs and histories): the web link is
    # the start page, where the child types the code.
    web = f"{settings.web_base_url}/"
    telegram = (f"https://t.me/{settings.telegram_username}?start={code}"
                if settings.telegram_username else None)
    return {"link": telegram or web, "web_link": web}


def _parse_when(text: str) -> datetime:
    try:
        when = parse_local(text)
    except ValueError:
        raise CliError(f'--at must look like "2030-05-20 09:30", got {text!r}') from None
    if when <= utcnow():
        raise CliError("the meeting time is in the past; give a future date")
    return when


# --- handlers -------------------------------------------------------------------------

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
    link = (f"https://t.me/{settings.telegram_username}?start={code}"
            if settings.telegram_username else invites.display(code))
    return emit({"code": invites.display(code), "link": link}, args.json,
                f"Kod för att koppla din Telegram: {invites.display(code)}\n{link}")


# Shown in --help: most coordinators have never written for a child reader.
PURPOSE_FOR_CHILD_HELP = (
    'what the meeting is about, as the child reads it after "Det här mötet handlar om:". '
    'Easy Swedish: short words, "du", no abbreviations or service names, one idea; e.g. '
    '"hur skolan och BUP kan hjälpa dig så att du orkar med skoldagen". '
    'Without it the child reads --purpose')


def meeting_create(args) -> int:
    when = _parse_when(args.at)
    try:
        people = [meetings.parse_participant(p) for p in args.participant]
        band = band_for_age(args.child_age)
        reminders.days()  # a malformed SIPKOMPIS_REMINDER_DAYS stops here, not later
    except ValueError as error:
        raise CliError(str(error)) from None
    with session_and_keys() as (session, keys):
        try:
            meeting, child, warnings = meetings.create(
                session, keys, coordinator_id=args.coordinator, child_name=args.child_name,
                starts_at=when, place=args.place, purpose=args.purpose, participants=people,
                child_age_band=band, purpose_for_child=args.purpose_for_child)
        except NotFound as error:
            raise CliError(str(error)) from None
    for line in warnings:
        warn(line)
    return emit({"meeting_id": meeting.id, "child_id": child.id, "warnings": warnings}, args.json,
                f"Möte skapat: {meeting.id} ({long_form(when)})\nBarn: {child.id}")


def meeting_update(args) -> int:
    when = _parse_when(args.at) if args.at else None
    if when is None and args.place is None and args.purpose_for_child is None:
        raise CliError("nothing to change: give --at, --place or --purpose-for-child")
    with session_and_keys() as (session, keys):
        try:
            if args.purpose_for_child is not None:
                meeting = meetings.set_purpose_for_child(session, keys, args.meeting,
                                                         args.purpose_for_child, actor="cli")
            if when is not None or args.place is not None:
                meeting = meetings.update(session, keys, args.meeting, starts_at=when,
                                          place=args.place, actor="cli")
        except NotFound as error:
            raise CliError(str(error)) from None
        text = long_form(meeting.starts_at)
    return emit({"meeting_id": args.meeting, "at": text}, args.json, f"Mötet är nu {text}.")


def meeting_cancel(args) -> int:
    with session_and_keys() as (session, keys):
        try:
            meetings.cancel(session, keys, args.meeting, actor="cli")
        except NotFound as error:
            raise CliError(str(error)) from None
    return emit({"meeting_id": args.meeting, "status": "cancelled"}, args.json, "Mötet är inställt.")


def _yes(value: bool) -> str:
    return "ja" if value else "nej"


def meeting_list(args) -> int:
    """Per meeting, content-free: preparation, statement, outcome recorded and read by the
    child (unread messages), follow-up answered, paused."""
    from bot.store.models import Statement, StatementItem
    from sqlalchemy import select

    rows = []
    with session_and_keys() as (session, _keys):
        for meeting in meetings.list_for(session, args.coordinator):
            sent = session.scalar(select(Statement.id).where(
                Statement.meeting_id == meeting.id, Statement.kind == "statement").limit(1))
            started = session.scalar(select(StatementItem.id).where(
                StatementItem.meeting_id == meeting.id).limit(1))
            rows.append({"meeting_id": meeting.id, "at": long_form(meeting.starts_at),
                         "status": meeting.status,
                         "preparation": meetings.preparation_status(session, meeting.id),
                         "prepared": started is not None or sent is not None,
                         "statement_sent": sent is not None,
                         **followups.status(session, meeting.id)})

    def line(r: dict) -> str:
        read = _yes(r["outcome_read"]) if r["outcome_recorded"] else "–"
        return (f"{r['meeting_id']}  {r['at']}  {r['status']}  förberedelse: {r['preparation']}  "
                f"skickad: {_yes(r['statement_sent'])}  beslut: {_yes(r['outcome_recorded'])}  "
                f"läst av barnet: {read}  uppföljning besvarad: {_yes(r['followup_answered'])}"
                + ("  olästa meddelanden" if r["unread"] else "")
                + ("  meddelanden pausade" if r["paused"] else ""))

    human = "\n".join(line(r) for r in rows) or "Inga möten."
    return emit({"meetings": rows}, args.json, human)


def invite(args) -> int:
    if not args.meeting or not args.role:
        raise CliError("invite needs --meeting ID and --role child|guardian (or: invite revoke --person ID)")
    with session_and_keys() as (session, keys):
        try:
            meeting = meetings.get(session, args.meeting)
        except NotFound as error:
            raise CliError(str(error)) from None
        if meeting.status != "planned":
            raise CliError(f"the meeting is {meeting.status}; no new invites")
        if args.role == "child":
            person = meetings.child_of(session, meeting.id)
            # Reissuing for the child ends the old code first, and every chat linked with
            # it: whoever used a stolen code must not keep the child's chat.
            invites.cut_off(session, keys, person.id, reset=False)
        else:
            person = meetings.create_person(session, keys, meeting=meeting, role="guardian",
                                            name=args.name or "Vårdnadshavare")
        session.flush()
        code = invites.issue(session, keys, kind="person", person_id=person.id)
        audit.record(session, "cli", "invite", "person", person.id, meeting.id)
    result = {"code": invites.display(code), "person_id": person.id, **links(code)}
    return emit(result, args.json, f"Kod: {result['code']}\nLänk: {result['link']}\n"
                f"Webb: {result['web_link']}\nPerson: {person.id}")


def invite_revoke(args) -> int:
    with session_and_keys() as (session, keys):
        person = session.get(Person, args.person)
        if person is None:
            raise CliError(f"unknown person {args.person!r}; `meeting list` and `invite` show the ids")
        # The chats lose their stored history too: what the holder of the code saw is gone.
        result = invites.cut_off(session, keys, args.person, reset=True)
        audit.record(session, "cli", "revoke", "person", args.person, person.meeting_id)
    count, unlinked = result["codes_revoked"], result["chats_unlinked"]
    return emit({"person_id": args.person, **result},
                args.json, f"Spärrat: {count} kod(er), {unlinked} chatt(ar) utloggade och tömda. "
                "Skapa en ny kod med `invite`.")


def _private_key(path: str):
    try:
        return read_key_file(Path(path), passphrase())
    except KeyFileError as error:
        raise CliError(str(error)) from None


def inbox(args) -> int:
    private, header = _private_key(args.key)
    if header["coordinator_id"] != args.coordinator:
        raise CliError("this key file belongs to another coordinator")
    if args.file:
        found = [_open_file(Path(args.file), private, header)]
    else:
        with session_and_keys() as (session, keys):
            try:
                found = statements.inbox(session, keys, coordinator_id=args.coordinator,
                                         private_key=private, verify_key=header["service_verify_key"])
            except SealError as error:
                raise CliError(f"a statement failed verification ({error}); nothing was shown") from None
    # The child's answers after the meeting ("were you heard?") beside the statements.
    result = {"statements": [statements.payload_json(s) for s in found if s.kind == "statement"],
              "feedback": [statements.payload_json(s) for s in found if s.kind == "feedback"]}
    if args.out:
        write_private(Path(args.out), printable(found))
        result["out"] = args.out
        warn(f"{args.out} holds the child's words in plain text (readable by you only, mode 0600): "
             "keep it off shared folders and delete it when the meeting is over")
    human = "\n\n".join(
        f"{'Uppföljning' if s.kind == 'feedback' else 'Förberedelse'}: möte {s.meeting_id}, "
        f"version {s.version}, godkänt {s.approved_at}\n" +
        "\n".join(f"  [{i['kind']}] {i['text']}" for i in s.items) for s in found) or "Inkorgen är tom."
    return emit(result, args.json, human)


def _open_file(path: Path, private, header: dict):
    """A sealed statement received as a file (e.g. the Telegram notice's attachment)."""
    try:
        envelope = path.read_bytes()
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror}") from None
    try:
        return statements.read_envelope(envelope, private, header["service_verify_key"])
    except SealError as error:
        raise CliError(f"the file failed verification ({error}); nothing was shown") from None


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, also when it already existed (then it is
    truncated and its mode tightened before the plaintext goes in)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror}") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def printable(found) -> str:
    body = "".join(
        f"<section><h2>Version {s.version}</h2>" +
        "".join(f"<h3>{html.escape(i['kind'])}</h3><p>{html.escape(i['text'])}</p>" for i in s.items) +
        "</section>" for s in found)
    return (f"<!doctype html><html lang=sv><meta charset=utf-8><title>Mina ord till mötet</title>"
            f"<h1>Mina ord till mötet</h1>{body}</html>")


def outcome(args) -> int:
    from datetime import date

    try:
        points = [followups.parse_point(spec) for spec in args.point]
    except ValueError as error:
        fail(str(error), args.json)
        return 2
    next_day = None
    if args.next_followup:
        try:
            next_day = date.fromisoformat(args.next_followup.strip())
        except ValueError:
            fail(f"--next-followup must be a date like 2030-06-17, got {args.next_followup!r}", args.json)
            return 2
    with session_and_keys() as (session, keys):
        try:
            row, mode = followups.record_outcome(session, keys, args.meeting, args.text, points,
                                                 next_day, actor="cli", answers=args.answer)
        except followups.OutcomeRefused as error:
            raise CliError(str(error)) from None
        ready, checkin = row.due_at, row.checkin_due_at
    result = {"meeting_id": args.meeting, "followup_id": row.id, "mode": mode,
              "points": len(points), "answers": len([a for a in args.answer if a.strip()]),
              "ready_at": ready.isoformat(),
              "next_followup": long_form(checkin)}
    said = {"new": "Sparat.",
            "replaced": "Sparat: ersätter det förra, som barnet inte hade läst än.",
            "added": "Sparat som ett nytt meddelande: barnet har redan läst det förra."}[mode]
    return emit(result, args.json,
                f"{said} Barnet får veta vad som bestämdes från {long_form(ready)}, "
                f"när hen skriver. Uppföljning: {long_form(checkin)}.")


def forget(args) -> int:
    with session_and_keys() as (session, keys):
        try:
            summary = erasure.forget(session, keys, args.person, actor="cli")
        except NotFound:
            raise CliError(f"unknown person {args.person!r}; nothing was erased") from None
    if summary.get("already_erased"):
        human = f"Person {args.person} var redan raderad. Inget mer att radera."
    else:
        counted = ", ".join(f"{name} {count}" for name, count in summary.items()
                            if isinstance(count, int) and not isinstance(count, bool))
        human = f"Raderat: allt om person {args.person} ({counted})."
    return emit(summary, args.json, human)


def audit_cmd(args) -> int:
    with session_and_keys() as (session, _keys):
        rows = [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                 "subject_type": e.subject_type, "subject_id": e.subject_id}
                for e in audit.for_meeting(session, args.meeting)]
    human = "\n".join(f"{r['at']}  {r['actor']}  {r['action']}  {r['subject_type']} {r['subject_id']}"
                      for r in rows) or "Inga händelser."
    return emit({"events": rows}, args.json, human)


# --- wiring ---------------------------------------------------------------------------

def _cmd(sub, name: str, handler, help_text: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=handler)
    return parser


def register(sub) -> None:
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

    meeting = sub.add_parser("meeting", help="create, change, cancel and list meetings")
    msub = meeting.add_subparsers(dest="action", metavar="ACTION")
    p = _cmd(msub, "create", meeting_create, "create a meeting")
    p.add_argument("--coordinator", required=True)
    p.add_argument("--child-name", required=True)
    p.add_argument("--at", required=True, help='"YYYY-MM-DD HH:MM", Stockholm time')
    p.add_argument("--place", required=True)
    p.add_argument("--purpose", required=True)
    p.add_argument("--purpose-for-child", help=PURPOSE_FOR_CHILD_HELP)
    p.add_argument("--participant", action="append", default=[], help='"Name:role", repeatable')
    p.add_argument("--child-age", type=int, default=None,
                   help="the child's age, for crisis help that fits (18 or over: adult services); "
                        "only under 18 / 18 or over is stored")
    p = _cmd(msub, "update", meeting_update, "change time, place or the purpose for the child")
    p.add_argument("--meeting", required=True)
    p.add_argument("--at")
    p.add_argument("--place")
    p.add_argument("--purpose-for-child", help=PURPOSE_FOR_CHILD_HELP + ' ("" goes back to --purpose)')
    p = _cmd(msub, "cancel", meeting_cancel, "cancel a meeting")
    p.add_argument("--meeting", required=True)
    p = _cmd(msub, "list", meeting_list, "list meetings with preparation status")
    p.add_argument("--coordinator")

    p = _cmd(sub, "invite", invite, "invite the child or a guardian; `invite revoke` ends access")
    p.add_argument("--meeting")
    p.add_argument("--role", choices=["child", "guardian"])
    p.add_argument("--name")
    isub = p.add_subparsers(dest="action", metavar="ACTION")
    r = _cmd(isub, "revoke", invite_revoke, "end a person's codes and chats")
    r.add_argument("--person", required=True)

    p = _cmd(sub, "inbox", inbox, "read the statements sent to you")
    p.add_argument("--coordinator", required=True)
    p.add_argument("--key", required=True, help="your key file")
    p.add_argument("--out", help="also write a printable HTML page")
    p.add_argument("--file", help="open one sealed statement file (e.g. from a Telegram notice)")
    p = _cmd(sub, "outcome", outcome, "what was decided, for the child")
    p.add_argument("--meeting", required=True)
    p.add_argument("--text", required=True)
    p.add_argument("--point", action="append", default=[],
                   help='one decision as "WHAT|WHO|WHEN", repeatable')
    p.add_argument("--answer", action="append", default=[],
                   help="an answer to what the child asked in preparation (see `inbox`), repeatable")
    p.add_argument("--next-followup", help="YYYY-MM-DD of the check-in (default: four weeks after)")
    p = _cmd(sub, "forget", forget, "erase everything about a person")
    p.add_argument("--person", required=True)
    p = _cmd(sub, "audit", audit_cmd, "who did what, when (never content)")
    p.add_argument("--meeting", required=True)
