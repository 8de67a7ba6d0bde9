"""What a web conversation has shown, kept server-side and sealed under the
conversation's data key, so the page can be re-rendered (no text in the browser's URL or
storage) and erasure shreds it with the rest of the conversation.

Also delivers the outbox: notices queued for this conversation (channel "web") become
transcript lines at the next page load and are marked sent.
"""
from __future__ import annotations

import json

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.crypto.aead import DecryptionError
from bot.store.keyring import Keyring, KeyUnavailable
from bot.store.models import Conversation, OutboxMessage, new_id, utcnow
from bot.store.web_models import WebTranscriptEntry

SHOWN = 80  # the newest lines rendered; older ones stay stored until erasure


def append(session: Session, keys: Keyring, conversation_id: str, entries: list[dict]) -> None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or not entries:
        return
    position = session.scalar(select(func.coalesce(func.max(WebTranscriptEntry.position), 0))
                              .where(WebTranscriptEntry.conversation_id == conversation_id))
    for entry in entries:
        position += 1
        row = WebTranscriptEntry(id=new_id(), conversation_id=conversation_id, position=position,
                                 data_enc=b"", created_at=utcnow())
        row.data_enc = keys.seal(conversation.key_id, "web_transcript", "data_enc", row.id,
                                 json.dumps(entry, ensure_ascii=False))
        session.add(row)
    session.flush()


def from_replies(replies: list[dict]) -> list[dict]:
    """Rasa's replies as transcript lines (text and buttons only)."""
    lines = []
    for reply in replies:
        buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                   for b in reply.get("buttons") or [] if isinstance(b, dict) and b.get("payload")]
        if reply.get("text") or buttons:
            lines.append({"who": "bot", "text": str(reply.get("text") or ""), "buttons": buttons})
    return lines


def read(session: Session, keys: Keyring, conversation_id: str) -> list[dict]:
    rows = session.scalars(select(WebTranscriptEntry)
                           .where(WebTranscriptEntry.conversation_id == conversation_id)
                           .order_by(WebTranscriptEntry.position.desc()).limit(SHOWN)).all()
    lines = []
    for row in reversed(rows):
        try:
            lines.append(json.loads(keys.open("web_transcript", "data_enc", row.id, row.data_enc)))
        except (KeyUnavailable, DecryptionError, ValueError):
            continue  # shredded by erasure: nothing to show
    return lines


def offered(lines: list[dict]) -> list[dict]:
    """The buttons of the last reply: bot lines after the child's last message."""
    buttons: list[dict] = []
    notice_buttons: list[dict] = []
    for line in reversed(lines):
        if line.get("who") == "child":
            break
        if line.get("who") == "bot" and line.get("buttons") and not buttons:
            buttons = line["buttons"]
        elif line.get("who") == "notice":
            # A notice (a reminder's "Öppna") adds its button without hiding a form's.
            notice_buttons.extend(line.get("buttons") or [])
    known = {b.get("payload") for b in buttons}
    return buttons + [b for b in notice_buttons if b.get("payload") not in known
                      and not known.add(b.get("payload"))]


def asks_for_text(buttons: list[dict]) -> bool:
    """Whether the bot asked an open question: the only choice offered is to skip it."""
    return bool(buttons) and all(b.get("payload") == "/skip" for b in buttons)


def latest_turn(lines: list[dict]) -> int:
    """Where the newest exchange begins (the child's last message), for the page anchor:
    after sending, reading starts there instead of at the top of a long chat."""
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].get("who") == "child":
            return index
    return 0


def deliver_outbox(session: Session, keys: Keyring, conversation_id: str) -> int:
    rows = session.scalars(select(OutboxMessage).where(
        OutboxMessage.channel == "web", OutboxMessage.recipient == conversation_id,
        OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.created_at)).all()
    lines = []
    for row in rows:
        try:
            payload = json.loads(keys.open("outbox", "payload_enc", row.id, row.payload_enc))
        except (KeyUnavailable, DecryptionError, ValueError):
            row.attempts += 1
            continue
        if payload.get("text"):
            # A notice's buttons (a reminder's "Öppna") become the offered buttons of the page.
            buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                       for b in payload.get("buttons") or [] if isinstance(b, dict) and b.get("payload")]
            lines.append({"who": "notice", "text": str(payload["text"]), "buttons": buttons})
        row.sent_at = utcnow()
    append(session, keys, conversation_id, lines)
    return len(lines)


def purge(session: Session, conversation_id: str) -> None:
    session.execute(delete(WebTranscriptEntry)
                    .where(WebTranscriptEntry.conversation_id == conversation_id))
