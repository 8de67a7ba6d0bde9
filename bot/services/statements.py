"""The child's statement: draft items, approval, sealing and delivery, and the inbox.

Nothing leaves the child's draft until they approve it. On approval the items they chose
to share with the coordinator are sealed with HPKE to the coordinator's public key (and
to the unit's recovery key, if configured) and signed by the service. Each sealed copy is
wrapped once more under the child's data key so that erasure shreds it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.crypto.sealing import open_statement, seal_statement
from bot.services import audit, coordinators, notices, receipts, service_keys
from bot.store.keyring import Keyring
from bot.store.models import Delivery, Meeting, Person, Statement, StatementItem, new_id, utcnow

# The five questions of the golden path, then the optional ones a child may add from the
# summary (issue 15 point 8): offered, never asked unless chosen.
QUESTION_KINDS = ("good", "hard", "wish", "question", "participation")
OPTIONAL_KINDS = ("taking_part", "about_me", "works", "goal", "who_there", "where_when")
KINDS = QUESTION_KINDS + OPTIONAL_KINDS
SKIPPED = "-"
# How the child wants an item used in the meeting, beside who may read it. The first is
# the default: what the child was told before they could choose.
USES = ("raise", "read_aloud", "coordinator_only")


@dataclass(frozen=True)
class Item:
    kind: str
    text: str
    share_coordinator: bool
    share_guardians: bool
    status: str
    use: str = USES[0]


def default_sharing() -> dict[str, dict]:
    return {kind: {"coordinator": True, "guardians": False, "use": USES[0]} for kind in KINDS}


def use_of(row: StatementItem) -> str:
    return row.use if row.use in USES else USES[0]


def _items(session: Session, meeting_id: str) -> list[StatementItem]:
    rows = session.scalars(select(StatementItem).where(StatementItem.meeting_id == meeting_id)).all()
    return sorted(rows, key=lambda r: KINDS.index(r.kind))


def current_items(session: Session, keys: Keyring, meeting_id: str) -> list[Item]:
    return [Item(r.kind, keys.open("statement_items", "text_enc", r.id, r.text_enc),
                 r.share_coordinator, r.share_guardians, r.status, use_of(r))
            for r in _items(session, meeting_id) if r.status != "withdrawn"]


def save_draft(session: Session, keys: Keyring, *, child: Person, answers: dict[str, str | None],
               sharing: dict[str, dict[str, bool]]) -> list[Item]:
    """Store the answers as the current items (skipped ones withdrawn), keeping drafts private."""
    existing = {row.kind: row for row in _items(session, child.meeting_id)}
    for kind in KINDS:
        text = answers.get(kind)
        row = existing.get(kind)
        if not text or text == SKIPPED:
            if row is not None and row.status != "withdrawn":
                row.status, row.updated_at = "withdrawn", utcnow()
            continue
        share = {**default_sharing()[kind], **sharing.get(kind, {})}
        use = share["use"] if share["use"] in USES else USES[0]
        if row is None:
            row = StatementItem(id=new_id(), meeting_id=child.meeting_id, person_id=child.id,
                                kind=kind, text_enc=b"")
            session.add(row)
        changed = (row.text_enc == b"" or row.status == "withdrawn"
                   or keys.open("statement_items", "text_enc", row.id, row.text_enc) != text
                   or row.share_coordinator != share["coordinator"]
                   or row.share_guardians != share["guardians"]
                   or use_of(row) != use)
        if changed:
            row.text_enc = keys.seal(child.key_id, "statement_items", "text_enc", row.id, text)
            row.share_coordinator = bool(share["coordinator"])
            row.share_guardians = bool(share["guardians"])
            row.use = use
            row.status, row.updated_at = "draft", utcnow()
    session.flush()
    return current_items(session, keys, child.meeting_id)


def has_unsent_changes(session: Session, meeting_id: str) -> bool:
    """Whether the child changed anything since their last approval (that version still stands)."""
    last = session.scalar(select(func.max(Statement.approved_at)).where(Statement.meeting_id == meeting_id))
    if last is None:
        return False
    return any(r.status == "draft" or (r.status == "withdrawn" and r.updated_at > last)
               for r in _items(session, meeting_id))


@dataclass(frozen=True)
class Approval:
    version: int
    to_coordinator: bool
    to_guardians: bool
    items: tuple[Item, ...] = ()


def approve(session: Session, keys: Keyring, *, child: Person, now: datetime | None = None) -> Approval:
    """Seal and store the approved statement before anything is said to the child."""
    now = now or utcnow()
    meeting = session.get(Meeting, child.meeting_id)
    rows = [r for r in _items(session, meeting.id) if r.status != "withdrawn"]
    standing = session.scalar(select(func.max(Statement.version)).where(
        Statement.meeting_id == meeting.id, Statement.kind == "statement"))
    if standing is not None and not has_unsent_changes(session, meeting.id):
        # Nothing changed since that version: a turn retried after a crash (the approval was
        # committed, the turn died before Rasa saved it) or an old button tapped again must
        # not seal a second, identical statement and tell the coordinator it changed.
        return Approval(standing, any(r.share_coordinator for r in rows),
                        any(r.share_guardians for r in rows),
                        tuple(Item(r.kind, "", r.share_coordinator, r.share_guardians, r.status,
                                   use_of(r)) for r in rows))
    for row in rows:
        row.status = "approved"
    shared = [r for r in rows if r.share_coordinator]
    # Whom else the child let read each item travels with it (signed), so the coordinator
    # knows what the guardians already know before the meeting.
    items = [{"kind": r.kind, "text": keys.open("statement_items", "text_enc", r.id, r.text_enc),
              "updated_at": r.updated_at.isoformat() + "Z",
              "shared_with": ["coordinator"] + (["guardians"] if r.share_guardians else []),
              "use": use_of(r)}
             for r in shared]
    standing_gave = coordinator_holds(session, meeting.id)
    ever_gave = _ever_gave(session, meeting.id)
    statement = seal_for_coordinator(session, keys, child=child, meeting=meeting, kind="statement",
                                     items=items, now=now)
    # The coordinator hears of a version only when what they hold changes: new words for
    # them, or the child taking back the words they had. An empty version after an empty
    # one is no news, and "ändrad" is only for someone who got an earlier version.
    if shared or standing_gave:
        notices.statement_ready(session, keys, meeting, statement.version, first=not ever_gave)
    if shared:
        receipts.schedule_reminder(session, meeting, statement)
    sent = tuple(Item(r.kind, "", r.share_coordinator, r.share_guardians, r.status, use_of(r))
                 for r in rows)
    return Approval(statement.version, bool(shared), any(r.share_guardians for r in rows), sent)


def seal_for_coordinator(session: Session, keys: Keyring, *, child: Person, meeting: Meeting, kind: str,
                         items: list[dict], now: datetime) -> Statement:
    """Seal `items` to the coordinator (and the recovery key), signed by the service.

    The kind ("statement" before the meeting, "feedback" after it) is inside the signed
    payload, so a sealed answer cannot be passed off as the other. Versions count both
    kinds in one sequence per meeting, so the HPKE info of two envelopes never repeats.
    Each envelope is wrapped once more under the child's key: erasure shreds it.
    """
    version = (session.scalar(select(func.max(Statement.version))
                              .where(Statement.meeting_id == meeting.id)) or 0) + 1
    statement = Statement(id=new_id(), meeting_id=meeting.id, version=version, approved_at=now, kind=kind,
                          to_coordinator=bool(items))
    session.add(statement)
    payload = {"meeting_id": meeting.id, "version": version, "kind": kind,
               "approved_at": now.isoformat() + "Z", "items": items}
    signer = service_keys.signing_key(session, keys)
    coordinator = coordinators.get(session, meeting.coordinator_id)
    recipients = [("coordinator", coordinator.id, coordinators.public_key(coordinator))]
    recovery = service_keys.recovery_public_key(session)
    if recovery is not None:
        recipients.append(("recovery", None, recovery))
    for recipient_type, recipient_id, public in recipients:
        envelope = seal_statement(payload, recipient_public_key=public, meeting_id=meeting.id,
                                  version=version, signing_key=signer)
        delivery = Delivery(id=new_id(), statement_id=statement.id, meeting_id=meeting.id,
                            recipient_type=recipient_type, recipient_id=recipient_id, envelope_enc=b"")
        delivery.envelope_enc = keys.seal_bytes(child.key_id, "deliveries", "envelope_enc",
                                                delivery.id, envelope)
        session.add(delivery)
    audit.record(session, f"person:{child.id}", "approve", kind, statement.id, meeting.id)
    audit.record(session, "service", "deliver", kind, statement.id, meeting.id)
    return statement


def _gave(statement: Statement | None) -> bool:
    # Null: a row from before the column existed, read as it was then (something was sent).
    return statement is not None and statement.to_coordinator is not False


def newest_statement(session: Session, meeting_id: str) -> Statement | None:
    """The version that stands before the meeting (feedback after it is not one)."""
    return session.scalars(select(Statement).where(
        Statement.meeting_id == meeting_id, Statement.kind == "statement")
        .order_by(Statement.version.desc()).limit(1)).first()


def coordinator_holds(session: Session, meeting_id: str) -> bool:
    """Whether the standing version gave the coordinator anything: the only ground for
    telling anyone that the coordinator has the child's words (the child, the coordinator's
    own `meeting list`). A child who hid every item approved, but sent nothing."""
    return _gave(newest_statement(session, meeting_id))


def _ever_gave(session: Session, meeting_id: str) -> bool:
    rows = session.scalars(select(Statement).where(
        Statement.meeting_id == meeting_id, Statement.kind == "statement")).all()
    return any(_gave(row) for row in rows)


def approved_recipients(session: Session, meeting_id: str) -> dict[str, bool]:
    """Who holds the child's approved words now, by recipient: what the child is told.

    The coordinator keeps the version last sealed to them while the child edits (an edited
    item is a draft again), so their part comes from that version; guardians read only
    items that are approved and shared with them right now."""
    approved = [r for r in _items(session, meeting_id) if r.status == "approved"]
    return {"coordinator": coordinator_holds(session, meeting_id),
            "guardians": any(r.share_guardians for r in approved)}


def shared_with_guardians(session: Session, keys: Keyring, meeting_id: str) -> list[Item]:
    """Only approved items the child chose to share with guardians; nothing else, not a count."""
    return [i for i in current_items(session, keys, meeting_id)
            if i.status == "approved" and i.share_guardians]


@dataclass(frozen=True)
class InboxStatement:
    meeting_id: str
    version: int
    approved_at: str
    items: list[dict]
    kind: str = "statement"  # or "feedback": the child's answers after the meeting


def envelopes_for(session: Session, keys: Keyring, coordinator_id: str) -> list[tuple[Delivery, bytes]]:
    return _envelopes(session, keys, Delivery.recipient_type == "coordinator",
                      Delivery.recipient_id == coordinator_id)


def sealed_for_meeting(session: Session, keys: Keyring, coordinator_id: str,
                       meeting_id: str) -> list[tuple[Delivery, bytes]]:
    """The envelopes sealed to this coordinator for one meeting, oldest first: the desk hands
    them to the coordinator's browser as they are (only that browser can open them)."""
    return _envelopes(session, keys, Delivery.recipient_type == "coordinator",
                      Delivery.recipient_id == coordinator_id, Delivery.meeting_id == meeting_id)


def coordinator_has_read(session: Session, meeting_id: str) -> bool:
    """Whether the coordinator opened the newest statement sent to them before the meeting."""
    newest = session.scalars(select(Delivery).join(Statement, Statement.id == Delivery.statement_id)
                             .where(Delivery.meeting_id == meeting_id,
                                    Delivery.recipient_type == "coordinator",
                                    Statement.kind == "statement")
                             .order_by(Statement.version.desc())).first()
    return newest is not None and newest.fetched_at is not None


def mark_opened(session: Session, coordinator_id: str, delivery_id: str) -> bool:
    """The coordinator's browser opened and verified this envelope: what the child may learn
    as "samordnaren har läst". Only the first opening counts; False if not theirs."""
    row = session.get(Delivery, delivery_id)
    if row is None or row.recipient_type != "coordinator" or row.recipient_id != coordinator_id:
        return False
    if row.fetched_at is None:
        row.fetched_at = utcnow()
        audit.record(session, f"coordinator:{coordinator_id}", "decrypt", "statement",
                     row.statement_id, row.meeting_id)
    return True


def recovery_envelopes(session: Session, keys: Keyring, meeting_id: str) -> list[tuple[Delivery, bytes]]:
    """The copies sealed to the unit's recovery key for one meeting (a lost coordinator key)."""
    return _envelopes(session, keys, Delivery.recipient_type == "recovery",
                      Delivery.meeting_id == meeting_id)


def _envelopes(session: Session, keys: Keyring, *where) -> list[tuple[Delivery, bytes]]:
    rows = session.scalars(select(Delivery).where(*where).order_by(Delivery.created_at)).all()
    return [(row, keys.open_bytes("deliveries", "envelope_enc", row.id, row.envelope_enc)) for row in rows]


def read_envelope(envelope: bytes, private_key: X25519PrivateKey, verify_key: Ed25519PublicKey) -> InboxStatement:
    opened = open_statement(envelope, recipient_private_key=private_key, verify_key=verify_key)
    payload = opened["payload"]
    return InboxStatement(opened["meeting_id"], opened["version"], payload["approved_at"],
                          [{"kind": i["kind"], "text": i["text"],
                            **({"use": i["use"]} if i.get("use") in USES else {})}
                           for i in payload["items"]],
                          payload.get("kind", "statement"))


def inbox(session: Session, keys: Keyring, *, coordinator_id: str, private_key: X25519PrivateKey,
          verify_key: Ed25519PublicKey) -> list[InboxStatement]:
    """Every statement sent to this coordinator, verified against the pinned service key."""
    result = []
    for row, envelope in envelopes_for(session, keys, coordinator_id):
        result.append(read_envelope(envelope, private_key, verify_key))
        row.fetched_at = row.fetched_at or utcnow()
        audit.record(session, f"coordinator:{coordinator_id}", "decrypt", "statement",
                     row.statement_id, row.meeting_id)
    return result


def payload_json(statement: InboxStatement) -> dict:
    return json.loads(json.dumps(statement.__dict__))
