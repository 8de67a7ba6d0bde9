"""Invite codes: 60 random bits, shown in groups, stored only as a keyed hash.

The alphabet leaves out 0, 1, I and O so that a code read aloud or copied by hand survives,
and every character is safe in a Telegram deep-link payload.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import service_keys
from bot.store.keyring import Keyring
from bot.store.models import Invite, utcnow

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 12 x 5 bits = 60 bits
DEFAULT_VALID_DAYS = 30
_C = "[2-9A-HJ-NP-Za-hj-np-z]"
# Either 12 characters in a row or three groups of four with one space or dash between.
_CODE_IN_TEXT = re.compile(
    rf"(?<![0-9A-Za-z\-])({_C}{{4}}[ \-]?{_C}{{4}}[ \-]?{_C}{{4}})(?![0-9A-Za-z\-])"
)


class InviteError(Exception):
    """The code is unknown, used, expired or revoked (deliberately not said which)."""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise(text: str) -> str | None:
    """The code in `text` ("min kod är abcd efgh jkmn"), normalised, or None."""
    for match in _CODE_IN_TEXT.finditer(text):
        candidate = re.sub(r"[ \-]", "", match.group(1)).upper()
        if len(candidate) == CODE_LENGTH and all(c in ALPHABET for c in candidate):
            return candidate
    return None


def code_hash(pepper: bytes, code: str) -> str:
    # Keyed, so a copy of the database alone cannot be used to search the code space.
    return hmac.new(pepper, code.encode("ascii"), hashlib.sha256).hexdigest()


def issue(session: Session, keys: Keyring, *, kind: str, person_id: str | None = None,
          coordinator_id: str | None = None, valid_days: int = DEFAULT_VALID_DAYS) -> str:
    code = new_code()
    pepper = service_keys.invite_pepper(session, keys)
    session.add(Invite(code_hash=code_hash(pepper, code), kind=kind, person_id=person_id,
                       coordinator_id=coordinator_id,
                       expires_at=utcnow() + timedelta(days=valid_days)))
    return code


def redeem(session: Session, keys: Keyring, code: str, now: datetime | None = None) -> Invite:
    """Mark the code used and return its invite; InviteError if it cannot be used."""
    now = now or utcnow()
    pepper = service_keys.invite_pepper(session, keys)
    invite = session.scalars(
        select(Invite).where(Invite.code_hash == code_hash(pepper, code))
    ).first()
    if invite is None or invite.used_at or invite.revoked_at or invite.expires_at < now:
        raise InviteError("code not valid")
    invite.used_at = now
    return invite


def revoke_for_person(session: Session, person_id: str) -> int:
    now = utcnow()
    invites = session.scalars(select(Invite).where(
        Invite.person_id == person_id, Invite.revoked_at.is_(None))).all()
    for invite in invites:
        invite.revoked_at = now
    return len(invites)


def cut_off(session: Session, keys: Keyring, person_id: str, *, reset: bool) -> dict:
    """End every code of the person and every chat linked with one of them.

    A reissue (`invite --role child` again) and `invite revoke` both call this: whoever
    used a stolen code loses the chat at once, and their web login and sessions go with
    it (a revoked code must not open anything). `reset` (revoke) also drops the chats'
    stored history and replaces their keys; see conversations.unlink.
    """
    from sqlalchemy import or_

    from bot.channels.web import sessions as web_sessions
    from bot.services import conversations
    from bot.store.models import Conversation

    codes = revoke_for_person(session, person_id)
    person_invites = list(session.scalars(select(Invite.id).where(Invite.person_id == person_id)))
    clauses = [Conversation.person_id == person_id]
    if person_invites:
        clauses.append(Conversation.invite_id.in_(person_invites) & Conversation.person_id.is_not(None))
    linked = list(session.scalars(select(Conversation).where(or_(*clauses))))
    for conversation in linked:
        conversations.unlink(session, keys, conversation, reset=reset)
    web_sessions.erase_for(session, person_id, [c.id for c in linked])
    return {"codes_revoked": codes, "chats_unlinked": len(linked)}
