"""Server-side browser sessions: the cookie holds a random id, the store only its hash.

A stolen database therefore cannot be replayed as a cookie. Sessions end after an idle
timeout, at "Logga ut", and as soon as the login behind them is no longer valid (the
coordinator ran `invite revoke`, the code was reissued, or the person was erased).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.store.models import Conversation, Invite, Person, utcnow
from bot.store.web_models import WebLogin, WebSession, WebTranscriptEntry

COOKIE = "sipkompis_session"
IDLE_TIMEOUT = timedelta(minutes=30)


def id_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def create(session: Session) -> tuple[str, WebSession]:
    """A new anonymous session; returns (cookie value, row)."""
    now = utcnow()
    # Old anonymous and idle sessions are dropped here, so the table does not grow.
    session.execute(delete(WebSession).where(WebSession.last_seen < now - IDLE_TIMEOUT))
    token = secrets.token_urlsafe(32)
    row = WebSession(id_hash=id_hash(token), csrf_token=secrets.token_urlsafe(24),
                     failed_code_tries=0, last_seen=now, created_at=now)
    session.add(row)
    session.flush()
    return token, row


def load(session: Session, token: str | None) -> WebSession | None:
    """The live session for this cookie, or None (unknown, idle too long, or ended)."""
    if not token:
        return None
    row = session.get(WebSession, id_hash(token))
    now = utcnow()
    if row is None:
        return None
    if row.last_seen < now - IDLE_TIMEOUT:
        session.delete(row)
        return None
    if row.conversation_id and not login_still_valid(session, row):
        forget_if_erased(session, row.person_id, row.conversation_id)
        session.delete(row)
        return None
    row.last_seen = now
    return row


def login_still_valid(session: Session, row: WebSession) -> bool:
    login = session.get(WebLogin, row.person_id) if row.person_id else None
    if login is None or login.conversation_id != row.conversation_id:
        return False
    conversation = session.get(Conversation, row.conversation_id)
    if conversation is None or conversation.erased_at or conversation.person_id != row.person_id:
        return False
    invite = session.get(Invite, login.invite_id)
    return (invite is not None and invite.revoked_at is None
            and session.get(Person, row.person_id) is not None)


def forget_if_erased(session: Session, person_id: str | None, conversation_id: str) -> None:
    """After erasure (in the chat or `forget`), drop the login and the sealed transcript too."""
    conversation = session.get(Conversation, conversation_id)
    person = session.get(Person, person_id) if person_id else None
    if person is None or conversation is None or conversation.erased_at:
        if person_id:
            session.execute(delete(WebLogin).where(WebLogin.person_id == person_id))
            end_all_for(session, person_id)
        session.execute(delete(WebTranscriptEntry)
                        .where(WebTranscriptEntry.conversation_id == conversation_id))


def csrf_ok(row: WebSession | None, sent: str | None) -> bool:
    # As bytes: compare_digest raises TypeError on a str with non-ASCII characters, which
    # turned a wrong token in a hand-made form into a 500 instead of a 403.
    return bool(row and sent and hmac.compare_digest(
        row.csrf_token.encode("ascii"), sent.encode("utf-8", "replace")))


def end(session: Session, row: WebSession) -> None:
    session.delete(row)


def end_all_for(session: Session, person_id: str) -> None:
    session.execute(delete(WebSession).where(WebSession.person_id == person_id))


def cookie_flags(secure: bool) -> dict:
    return {"httponly": True, "samesite": "Strict", "secure": secure, "path": "/"}


def erase_for(session: Session, person_id: str | None, conversation_ids: list[str],
              counts=None) -> None:
    """Erasure: the person's PIN login (a scrypt hash of a short PIN is cheap to crack
    offline, so it must not wait for their next request), every session and half-finished
    login of theirs, and the sealed transcripts of these conversations. Adds to `counts`."""
    from sqlalchemy import or_

    conversation_ids = list(conversation_ids)
    removed = {}
    if person_id:
        removed["web_logins"] = session.execute(
            delete(WebLogin).where(WebLogin.person_id == person_id)).rowcount
    who = [WebSession.conversation_id.in_(conversation_ids)] if conversation_ids else []
    if person_id:
        who += [WebSession.person_id == person_id, WebSession.pending_person_id == person_id]
    if who:
        removed["web_sessions"] = session.execute(delete(WebSession).where(or_(*who))).rowcount
    if conversation_ids:
        removed["web_logins_of_chats"] = session.execute(
            delete(WebLogin).where(WebLogin.conversation_id.in_(conversation_ids))).rowcount
        removed["web_transcript"] = session.execute(delete(WebTranscriptEntry).where(
            WebTranscriptEntry.conversation_id.in_(conversation_ids))).rowcount
    if counts is not None:
        counts["web_logins"] += max(removed.pop("web_logins_of_chats", 0) or 0, 0)
        for name, count in removed.items():
            counts[name] += max(count or 0, 0)
