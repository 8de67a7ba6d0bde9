"""Coordinator commands: meetings, invites, inbox, outcome, forget, audit (coordinators
themselves and their desk sign-in: coordinator_cmd.py)."""
from __future__ import annotations

import argparse
import html
from datetime import datetime
from pathlib import Path

from bot.config import load_settings
from bot.crypto.keyfile import KeyFileError, read_key_file
from bot.crypto.sealing import SealError
from bot.cli.output import CliError, emit, fail, session_and_keys, warn, write_private
from bot.cli import coordinator_cmd
from bot.cli.coordinator_cmd import passphrase
from bot.services import (
    audit, erasure, followups, invitations, invites, meetings, overview, reminders, statements,
)
from bot.services.audience import band_for_age
from bot.services.errors import NotFound
from bot.store.models import utcnow
from bot.swedish_dates import long_form, parse_local


def links(code: str) -> dict[str, str]:
    settings = load_settings()
    # The code never goes into a URL (URLs end up in logs and histories): the web link is
    # the start page, where the child types the code.
    web = f"{settings.web_base_url}/"
    return {"link": settings.telegram_start_link(code) or web, "web_link": web}


def _parse_when(text: str) -> datetime:
    try:
        when = parse_local(text)
    except ValueError:
        raise CliError(f'--at must look like "2030-05-20 09:30", got {text!r}') from None
    if when <= utcnow():
        raise CliError("the meeting time is in the past; give a future date")
    return when


# --- handlers -------------------------------------------------------------------------

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
    with session_and_keys() as (session, _keys):
        rows = overview.meeting_rows(session, args.coordinator)
    for row in rows:
        row["at"] = long_form(row.pop("starts_at"))

    def line(r: dict) -> str:
        read = _yes(r["outcome_read"]) if r["outcome_recorded"] else "–"
        return (f"{r['meeting_id']}  {r['at']}  {r['status']}  "
                f"förberedelse: {overview.preparation_words(r['preparation'])}  "
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
            made = invitations.invite(session, keys, args.meeting, role=args.role, name=args.name,
                                      actor="cli")
        except (NotFound, invitations.InviteRefused) as error:
            raise CliError(str(error)) from None
    result = {"code": invites.display(made.code), "person_id": made.person_id, **links(made.code)}
    return emit(result, args.json, f"Kod: {result['code']}\nLänk: {result['link']}\n"
                f"Webb: {result['web_link']}\nPerson: {made.person_id}")


def invite_revoke(args) -> int:
    with session_and_keys() as (session, keys):
        try:
            # The chats lose their stored history too: what the holder of the code saw is gone.
            result = invitations.revoke(session, keys, args.person, actor="cli")
        except NotFound:
            raise CliError(f"unknown person {args.person!r}; `meeting list` and `invite` show the ids") from None
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
    coordinator_cmd.register(sub)

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
