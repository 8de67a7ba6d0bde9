"""Retention (DESIGN section 5, `retention run-due`): what the service keeps, and for how long.

- A meeting is erased, with everything held about it (people, conversations, trackers,
  transcripts, inbox and outbox rows, web logins, Telegram chats), once
  SIPKOMPIS_RETENTION_DAYS have passed since the meeting or its last follow-up, whichever
  is later.
- Before that, once the meeting and its follow-up are over (MINIMISE_AFTER past the same
  point), the service drops its readable copies of the child's words: tracker histories,
  web transcripts and the texts of the statement items. What stays is sealed to the
  coordinator and the recovery key, which the server cannot open, so a stolen database
  and master key after the meeting reveal nothing the child wrote.
- A conversation no code has linked (or one a reissued code left unlinked) is erased
  after IDLE_UNLINKED without a turn.
- Delivered outbox rows, handled inbox rows, idle web sessions and old form nonces go
  after a short while: they are plumbing, not records.

Every step is idempotent, so a run that failed half-way is simply run again.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.services import audit, erasure
from bot.store.keyring import Keyring
from bot.store.models import (
    Conversation, FollowUp, InboxUpdate, Meeting, OutboxMessage, Person, StatementItem, utcnow,
)

IDLE_UNLINKED = timedelta(days=30)
MINIMISE_AFTER = timedelta(days=14)
SENT_ROWS_KEPT = timedelta(days=2)
UNSENT_ROWS_KEPT = timedelta(days=30)
NONCES_KEPT = timedelta(days=1)
# The Telegram chat of an erased conversation waits this long (and until nothing is left
# to send) so the channel can deliver the erasure's confirmation first.
ERASED_CHAT_GRACE = timedelta(minutes=2)


def as_utc(now: datetime | None) -> datetime:
    """Naive UTC, as the store keeps every time; an aware time is converted."""
    if now is None:
        return utcnow()
    if now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    return now


def _followup_times() -> list:
    """Every time column of a follow-up (due, sent, shown, a later check-in's, ...) except
    when it was recorded: the latest of them is when the follow-up last happens."""
    return [column for column in FollowUp.__table__.columns
            if column.name.endswith("_at") and column.name != "created_at"]


def meeting_end(session: Session, meeting: Meeting) -> datetime:
    """The meeting or its last follow-up (planned or delivered), whichever is later."""
    times = session.execute(select(*[func.max(c) for c in _followup_times()])
                            .where(FollowUp.meeting_id == meeting.id)).one()
    return max(t for t in (meeting.starts_at, *times) if t is not None)


def run_due(session: Session, keys: Keyring, now: datetime | None = None,
            retention_days: int | None = None) -> dict:
    now = as_utc(now)
    if retention_days is None:
        from bot.config import load_settings

        retention_days = load_settings().retention_days
    period = timedelta(days=retention_days)
    erased = minimised = 0
    counts: Counter = Counter()
    for meeting in list(session.scalars(select(Meeting).order_by(Meeting.starts_at))):
        end = meeting_end(session, meeting)
        if end + period <= now:
            # A meeting erased earlier by `forget` only loses its bare row now: not counted.
            had_content = meeting.key_id is not None
            counts.update(erasure.erase_meeting(session, keys, meeting, actor="retention", now=now))
            erased += had_content
        elif (meeting.key_id is not None and meeting.minimised_at is None
              and end + MINIMISE_AFTER <= now):
            counts.update(minimise(session, keys, meeting, now))
            minimised += 1
    idle = erase_idle_unlinked(session, keys, now, counts)
    counts.update(purge_plumbing(session, keys, now))
    return {"erased_meetings": erased, "minimised_meetings": minimised,
            "erased_conversations": idle,
            "rows": {name: count for name, count in sorted(counts.items()) if count}}


def minimise(session: Session, keys: Keyring, meeting: Meeting, now: datetime) -> Counter:
    """Drop the readable copies of the child's words; keep what is sealed to the adults."""
    counts: Counter = Counter()
    people = session.scalars(select(Person).where(Person.meeting_id == meeting.id)).all()
    for person in people:
        for conversation in erasure.conversations_holding(session, keys, person):
            linked = conversation.person_id == person.id
            counts.update(erasure.reset_history(session, keys, conversation, now=now, keep_link=linked))
    child = next((p for p in people if p.role == "child"), None)
    for item in session.scalars(select(StatementItem).where(StatementItem.meeting_id == meeting.id)):
        if item.status != "approved" or child is None:
            session.delete(item)
        else:
            # The row says that the item was sent and to whom; its words are gone.
            item.text_enc = keys.seal(child.key_id, "statement_items", "text_enc", item.id, "")
            item.share_guardians = False
        counts["statement_items"] += 1
    meeting.minimised_at = now
    audit.record(session, "retention", "minimise", "meeting", meeting.id, meeting.id)
    return counts


def erase_idle_unlinked(session: Session, keys: Keyring, now: datetime, counts: Counter) -> int:
    """Conversations linked to nobody, without a turn for IDLE_UNLINKED, go entirely."""
    cutoff = now - IDLE_UNLINKED
    idle = session.scalars(select(Conversation).where(
        Conversation.person_id.is_(None), Conversation.coordinator_id.is_(None),
        func.coalesce(Conversation.last_seen_at, Conversation.created_at) < cutoff)).all()
    for conversation in idle:
        erasure.delete_conversation(session, keys, conversation, counts)
    return len(idle)


def purge_plumbing(session: Session, keys: Keyring, now: datetime) -> Counter:
    """Rows that only carried something for a while: delivered or undeliverable outbox
    rows, handled inbox rows, idle web sessions, old form nonces, erased Telegram chats."""
    from bot.channels.telegram import chats
    from bot.channels.web.sessions import IDLE_TIMEOUT
    from bot.store.web_models import WebFormNonce, WebSession

    counts: Counter = Counter()
    result = session.execute(delete(OutboxMessage).where(or_(
        and_(OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at < now - SENT_ROWS_KEPT),
        # Undeliverable for a month (a chat that never reads it); a reminder planned far
        # ahead is not yet due and stays.
        and_(OutboxMessage.sent_at.is_(None), OutboxMessage.created_at < now - UNSENT_ROWS_KEPT,
             OutboxMessage.due_at <= now))))
    counts["outbox"] += max(result.rowcount or 0, 0)
    handled = session.scalars(select(InboxUpdate).where(
        InboxUpdate.processed_at.is_not(None), InboxUpdate.processed_at < now - SENT_ROWS_KEPT)).all()
    for row in handled:
        keys.destroy(row.key_id)  # already destroyed when handled; a crash may have left it
        session.delete(row)
    counts["inbox"] += len(handled)
    result = session.execute(delete(WebSession).where(WebSession.last_seen < now - IDLE_TIMEOUT))
    counts["web_sessions"] += max(result.rowcount or 0, 0)
    result = session.execute(delete(WebFormNonce).where(WebFormNonce.created_at < now - NONCES_KEPT))
    counts["web_form_nonces"] += max(result.rowcount or 0, 0)
    counts["telegram_chats"] += chats.sweep_erased(session, keys, now - ERASED_CHAT_GRACE)
    return counts
