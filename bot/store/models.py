"""The store's tables.

Columns ending in `_enc` hold AES-256-GCM blobs bound to table, column and row id (see
`bot.store.vault`); nothing a person wrote, nor their name, is stored in any other column.
Ids are random hex strings so that no id reveals order, count or identity.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def new_id() -> str:
    return secrets.token_hex(16)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class DataKey(Base):
    """A data key, wrapped by the master key or by another data key.

    A conversation's key is re-wrapped under its person's key when the invite links it,
    so destroying the person's key (erasure) makes the conversation unreadable too.
    """

    __tablename__ = "data_keys"
    id = Column(String(32), primary_key=True, default=new_id)
    wrapped = Column(LargeBinary, nullable=False)
    wrapped_by = Column(String(64), nullable=False)  # "master:<kid>" or "key:<data key id>"
    created_at = Column(DateTime, nullable=False, default=utcnow)


class ServiceSecret(Base):
    """Service-wide secrets (the Ed25519 signing key), wrapped by the master key."""

    __tablename__ = "service_secrets"
    name = Column(String(64), primary_key=True)
    wrapped = Column(LargeBinary, nullable=False)
    wrapped_by = Column(String(64), nullable=False)
    public = Column(LargeBinary, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Coordinator(Base):
    __tablename__ = "coordinators"
    id = Column(String(32), primary_key=True, default=new_id)
    name_enc = Column(LargeBinary, nullable=False)
    key_id = Column(String(32), ForeignKey("data_keys.id"), nullable=False)
    public_key = Column(LargeBinary, nullable=False)  # X25519 raw public key: not secret
    fingerprint = Column(String(64), nullable=False)
    # For the desk (bot/desk): the key file exactly as written, already wrapped by the
    # passphrase; sealed once more so a stolen database alone cannot be used to guess
    # passphrases offline (the master key is needed too).
    key_file_enc = Column(LargeBinary, nullable=True)
    totp_secret_enc = Column(LargeBinary, nullable=True)  # the desk's second factor
    totp_last_step = Column(Integer, nullable=True)  # last accepted TOTP step: no replays
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Meeting(Base):
    __tablename__ = "meetings"
    id = Column(String(32), primary_key=True, default=new_id)
    coordinator_id = Column(String(32), ForeignKey("coordinators.id"), nullable=False)
    key_id = Column(String(32), ForeignKey("data_keys.id"), nullable=True)
    starts_at = Column(DateTime, nullable=False)  # UTC, naive
    place_enc = Column(LargeBinary, nullable=False)
    purpose_enc = Column(LargeBinary, nullable=False)
    purpose_child_enc = Column(LargeBinary, nullable=True)  # the purpose in easy Swedish, if written
    status = Column(String(16), nullable=False, default="planned")  # planned|cancelled|held|erased
    # When the service dropped its readable copies of the child's words after the meeting
    # and its follow-up (only the sealed deliveries remain until retention erases all).
    minimised_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Person(Base):
    """A child or a guardian invited to one meeting."""

    __tablename__ = "people"
    id = Column(String(32), primary_key=True, default=new_id)
    meeting_id = Column(String(32), ForeignKey("meetings.id"), nullable=True)
    role = Column(String(16), nullable=False)  # child|guardian
    name_enc = Column(LargeBinary, nullable=False)
    key_id = Column(String(32), ForeignKey("data_keys.id"), nullable=True)
    consent_at = Column(DateTime, nullable=True)
    paused = Column(Boolean, nullable=False, default=False)
    # Only a band, for help that fits (BRIS is for under-18s): never an age or birth date.
    age_band = Column(String(8), nullable=True)  # under_18|18_plus|None (unknown)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Participant(Base):
    __tablename__ = "participants"
    id = Column(String(32), primary_key=True, default=new_id)
    meeting_id = Column(String(32), ForeignKey("meetings.id"), nullable=False)
    position = Column(Integer, nullable=False)
    name_enc = Column(LargeBinary, nullable=False)
    role = Column(String(64), nullable=False)  # canonical role name or "other"
    role_label_enc = Column(LargeBinary, nullable=True)  # the coordinator's own word, if unknown


class Invite(Base):
    __tablename__ = "invites"
    id = Column(String(32), primary_key=True, default=new_id)
    code_hash = Column(String(64), nullable=False, unique=True)
    kind = Column(String(16), nullable=False)  # person|coordinator_link
    person_id = Column(String(32), nullable=True)
    coordinator_id = Column(String(32), nullable=True)
    expires_at = Column(DateTime, nullable=False)
    used_at = Column(DateTime, nullable=True)
    revoked_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Conversation(Base):
    """One chat (a web session, a Telegram chat, a terminal): its id is Rasa's sender id."""

    __tablename__ = "conversations"
    id = Column(String(64), primary_key=True, default=new_id)
    key_id = Column(String(32), ForeignKey("data_keys.id"), nullable=False)
    person_id = Column(String(32), nullable=True)
    coordinator_id = Column(String(32), nullable=True)
    channel = Column(String(16), nullable=False, default="rest")
    failed_code_attempts = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    # Set when the person was erased: the conversation id stays known so that Rasa's
    # in-memory copy of the erased turn is not written back (see EncryptedTrackerStore).
    erased_at = Column(DateTime, nullable=True)
    # Whose words the stored history holds (set at linking, kept when a code is reissued or
    # the chat unlinked): erasing that person erases this chat too, and the chat is never
    # linked to anyone else without being started afresh.
    owner_person_id = Column(String(32), nullable=True, index=True)
    invite_id = Column(String(32), nullable=True)  # the invite that linked it
    # Set when the stored history was dropped (code revoked, new owner, minimised): the
    # tracker store then keeps nothing Rasa still holds in memory from before this time.
    history_reset_at = Column(DateTime, nullable=True)
    last_seen_at = Column(DateTime, nullable=True)  # last turn; idle unlinked chats expire
    created_at = Column(DateTime, nullable=False, default=utcnow)


class TrackerEvent(Base):
    """Rasa tracker events, each encrypted; no plaintext column at all."""

    __tablename__ = "tracker_events"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(64), nullable=False, index=True)
    seq = Column(Integer, nullable=False)
    data_enc = Column(LargeBinary, nullable=False)
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)


class StatementItem(Base):
    __tablename__ = "statement_items"
    id = Column(String(32), primary_key=True, default=new_id)
    meeting_id = Column(String(32), ForeignKey("meetings.id"), nullable=False)
    person_id = Column(String(32), nullable=False)
    kind = Column(String(16), nullable=False)  # good|hard|wish|question|participation
    text_enc = Column(LargeBinary, nullable=False)
    share_coordinator = Column(Boolean, nullable=False, default=True)
    share_guardians = Column(Boolean, nullable=False, default=False)
    # In the meeting: raise | read_aloud | coordinator_only (null on older rows: raise)
    use = Column(String(16), nullable=True, default="raise")
    status = Column(String(16), nullable=False, default="draft")  # draft|approved|withdrawn
    updated_at = Column(DateTime, nullable=False, default=utcnow)


class Statement(Base):
    __tablename__ = "statements"
    id = Column(String(32), primary_key=True, default=new_id)
    meeting_id = Column(String(32), ForeignKey("meetings.id"), nullable=False)
    version = Column(Integer, nullable=False)
    approved_at = Column(DateTime, nullable=False, default=utcnow)
    # "statement" (before the meeting) or "feedback" (the "were you heard?" answers after it).
    kind = Column(String(16), nullable=False, default="statement", server_default="statement")
    # Whether this version gave the coordinator any item (an approval with every item hidden
    # is stored too). Null on rows older than the column: read as True, as they were then.
    to_coordinator = Column(Boolean, nullable=True)
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)


class Delivery(Base):
    """A sealed copy of a statement for one recipient.

    The HPKE envelope is wrapped once more under the child's data key so that erasure
    (destroying that key) shreds every copy the service holds.
    """

    __tablename__ = "deliveries"
    id = Column(String(32), primary_key=True, default=new_id)
    statement_id = Column(String(32), ForeignKey("statements.id"), nullable=False)
    meeting_id = Column(String(32), nullable=False)
    recipient_type = Column(String(16), nullable=False)  # coordinator|recovery|guardian
    recipient_id = Column(String(64), nullable=True)
    envelope_enc = Column(LargeBinary, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    fetched_at = Column(DateTime, nullable=True)


class FollowUp(Base):
    """What was decided at the meeting, for the child, and the later check-in.

    Times are UTC, naive. `due_at` is when the outcome becomes ready (the meeting's start,
    or when it was recorded if later); `ready_at` when the scheduler made it ready;
    `shown_at` when the child's chat showed it; `sent_at` when the content-free notice to
    the child was queued. The check-in follows the same three steps.
    """

    __tablename__ = "followups"
    id = Column(String(32), primary_key=True, default=new_id)
    meeting_id = Column(String(32), ForeignKey("meetings.id"), nullable=False)
    outcome_enc = Column(LargeBinary, nullable=False)
    points_enc = Column(LargeBinary, nullable=True)  # JSON [{"what", "who", "when"}]
    due_at = Column(DateTime, nullable=False)
    ready_at = Column(DateTime, nullable=True)
    shown_at = Column(DateTime, nullable=True)
    sent_at = Column(DateTime, nullable=True)
    checkin_due_at = Column(DateTime, nullable=True)
    checkin_ready_at = Column(DateTime, nullable=True)
    checkin_shown_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class ScheduledJob(Base):
    """One due item: a reminder, an outcome or check-in becoming ready, a notice.

    A runner claims the row (claimed_at, claim_token) and marks it done in the same
    transaction as what it queues; a claim older than the timeout is taken again, so a
    runner that died between claim and commit delays the item but never doubles it.
    Recipients are resolved when the job runs, so people invited later are included.
    """

    __tablename__ = "scheduled_jobs"
    id = Column(String(32), primary_key=True, default=new_id)
    kind = Column(String(24), nullable=False)
    meeting_id = Column(String(32), ForeignKey("meetings.id"), nullable=False, index=True)
    person_id = Column(String(32), nullable=True)
    followup_id = Column(String(32), nullable=True)
    due_at = Column(DateTime, nullable=False, index=True)  # UTC, naive
    claimed_at = Column(DateTime, nullable=True)  # wall-clock UTC of the claim
    claim_token = Column(String(32), nullable=True)
    done_at = Column(DateTime, nullable=True)
    cancelled_at = Column(DateTime, nullable=True)
    attempts = Column(Integer, nullable=False, default=0, server_default="0")
    created_at = Column(DateTime, nullable=False, default=utcnow)


class OutboxMessage(Base):
    """Messages waiting to go out; the payload may quote a person's words, so it is sealed."""

    __tablename__ = "outbox"
    id = Column(String(32), primary_key=True, default=new_id)
    channel = Column(String(16), nullable=False)
    recipient = Column(String(64), nullable=False)  # conversation id or coordinator id
    key_id = Column(String(32), nullable=False)
    payload_enc = Column(LargeBinary, nullable=False)
    kind = Column(String(32), nullable=False, default="message")
    due_at = Column(DateTime, nullable=False, default=utcnow)
    attempts = Column(Integer, nullable=False, default=0)
    sent_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class InboxUpdate(Base):
    """Incoming channel updates, stored before they are acknowledged."""

    __tablename__ = "inbox"
    id = Column(String(32), primary_key=True, default=new_id)
    channel = Column(String(16), nullable=False)
    external_id = Column(String(64), nullable=False)
    key_id = Column(String(32), nullable=False)
    payload_enc = Column(LargeBinary, nullable=False)
    received_at = Column(DateTime, nullable=False, default=utcnow)
    processed_at = Column(DateTime, nullable=True)
    __table_args__ = (UniqueConstraint("channel", "external_id"),)


class AuditEvent(Base):
    """Who did what to which record, when. Never any content."""

    __tablename__ = "audit_events"
    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    actor = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    subject_type = Column(String(32), nullable=False)
    subject_id = Column(String(64), nullable=True)
    meeting_id = Column(String(32), nullable=True, index=True)
