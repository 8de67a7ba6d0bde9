"""Signing in to the coordinator's desk: key possession plus a TOTP code.

The browser unwraps the coordinator's key file with the passphrase itself, so the server
never sees the passphrase or the private key. What the server can check is that the
browser holds the key: it seals random bytes to the coordinator's public key (a statement
signed by the service, like any other), and only the unwrapped key can open them and send
them back. A TOTP code from the coordinator's phone is the second factor, for a key file
and passphrase that were both copied.

The service stores the key file (for the browser to fetch) and the TOTP secret, both
sealed under the coordinator's data key; challenges and sessions only as hashes.

Every refusal says the same thing, so the page tells an attacker nothing about which part
was wrong. A refusal is raised after the failed try was recorded in the session: the
caller must commit the session anyway (catch `SigninRefused` inside the transaction).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.crypto.keyfile import KeyFileError, read_key_file_header
from bot.crypto.sealing import seal_statement
from bot.desk import totp
from bot.services import audit, coordinators, lockouts, service_keys
from bot.store.desk_models import DeskChallenge, DeskLogin
from bot.store.desk_models import DeskSession as DeskSessionRow
from bot.store.keyring import Keyring
from bot.store.models import Coordinator, new_id, utcnow

WRONG = "Fel användarnamn, lösenfras eller kod."
LOCKED = "För många försök. Försök igen om en stund."

PURPOSE = "desk-signin"
CHALLENGE_BYTES = 32
CHALLENGE_TTL = timedelta(minutes=2)
# Open challenges per coordinator: enough for a few tabs, too few to fill the table.
MAX_OPEN_CHALLENGES = 5
IDLE_TIMEOUT = timedelta(minutes=30)
MAX_TRIES = 5
# A key file is about 700 bytes; anything far bigger is not one.
MAX_KEY_FILE_CHARS = 16 * 1024


class SigninRefused(Exception):
    """Sign-in (or a challenge) refused. `message` is the Swedish text for the page;
    `reason` is "wrong" or "locked". Never says which part was wrong."""

    def __init__(self, reason: str = "wrong") -> None:
        self.reason = reason
        self.message = LOCKED if reason == "locked" else WRONG
        super().__init__(self.message)


class EnrolRefused(Exception):
    """The key file cannot be enrolled for this coordinator (English, for the CLI)."""


@dataclass(frozen=True)
class Enrolment:
    uri: str  # otpauth:// URI: the QR code's content, or typed into the app by hand
    qr_svg: str  # inline <svg> of that URI


@dataclass(frozen=True)
class DeskSession:
    """A signed-in desk session. `id_hash` is the sha256 of the cookie (safe to store
    beside form nonces); `csrf_token` goes in every form of the desk."""

    id_hash: str
    coordinator_id: str
    csrf_token: str
    created_at: datetime
    last_seen: datetime


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def id_hash(token: str) -> str:
    return _sha256(token.encode("ascii", "replace"))


def account_name(coordinator_id: str) -> str:
    """What the authenticator app shows: the key file's name, not the person's name, so
    the printed URI and a cloud backup of the app hold no name."""
    return coordinators.key_file_path(PurePath(), coordinator_id).name.removesuffix(".key.json")


# --- enrolment --------------------------------------------------------------------------

def enrol(session: Session, keys: Keyring, coordinator_id: str,
          key_file_text: str) -> Enrolment:
    """Store the coordinator's key file for the desk and give them a new TOTP secret.

    Refuses a file that is not this coordinator's key (EnrolRefused). Re-enrolling
    replaces the secret (a lost phone) and ends every desk session of the coordinator,
    and clears a lockout: it is an administrator's deliberate act.
    """
    coordinator = coordinators.get(session, coordinator_id)
    if not isinstance(key_file_text, str) or len(key_file_text) > MAX_KEY_FILE_CHARS:
        raise EnrolRefused("not a SIP-kompis coordinator key file")
    try:
        header = read_key_file_header(key_file_text)
    except KeyFileError as error:
        raise EnrolRefused(str(error)) from None
    public_raw = header["public_key"].public_bytes(Encoding.Raw, PublicFormat.Raw)
    if (header["coordinator_id"] != coordinator.id
            or not hmac.compare_digest(public_raw, coordinator.public_key)
            or header["fingerprint"] != coordinator.fingerprint):
        raise EnrolRefused("this key file belongs to another coordinator")
    pinned = header["service_verify_key"].public_bytes(Encoding.Raw, PublicFormat.Raw)
    ours = service_keys.verify_key(session, keys).public_bytes(Encoding.Raw, PublicFormat.Raw)
    if pinned != ours:
        # The browser checks the challenge's signature against this pinned key: with
        # another service's key the coordinator could never sign in.
        raise EnrolRefused("this key file pins another service's signing key")
    secret = totp.new_secret()
    coordinator.key_file_enc = keys.seal(coordinator.key_id, "coordinators", "key_file_enc",
                                         coordinator.id, key_file_text)
    coordinator.totp_secret_enc = keys.seal(coordinator.key_id, "coordinators",
                                            "totp_secret_enc", coordinator.id, secret)
    coordinator.totp_last_step = None
    _end_sessions(session, coordinator.id)
    session.execute(delete(DeskChallenge).where(DeskChallenge.coordinator_id == coordinator.id))
    session.execute(delete(DeskLogin).where(DeskLogin.coordinator_id == coordinator.id))
    audit.record(session, "cli", "enrol", "coordinator", coordinator.id)
    uri = totp.provisioning_uri(secret, account_name(coordinator.id))
    return Enrolment(uri=uri, qr_svg=totp.qr_svg(uri))


def is_enrolled(coordinator: Coordinator | None) -> bool:
    return bool(coordinator is not None and coordinator.key_file_enc
                and coordinator.totp_secret_enc)


def _enrolled(session: Session, coordinator_id: str | None) -> Coordinator | None:
    """The coordinator if they can sign in to the desk; the id is typed by whoever asks."""
    if not isinstance(coordinator_id, str) or not coordinator_id:
        return None
    coordinator = session.get(Coordinator, coordinator_id)
    return coordinator if is_enrolled(coordinator) else None


def key_file_text(session: Session, keys: Keyring, coordinator_id: str) -> str | None:
    """The stored key file (still passphrase-wrapped), or None if not enrolled."""
    coordinator = session.get(Coordinator, coordinator_id)
    if coordinator is None or not coordinator.key_file_enc:
        return None
    return keys.open("coordinators", "key_file_enc", coordinator.id, coordinator.key_file_enc)


# --- challenges -------------------------------------------------------------------------

def new_challenge(session: Session, keys: Keyring, coordinator_id: str, totp_code: str | None,
                  now: datetime | None = None) -> tuple[str, bytes]:
    """After a right TOTP code, a fresh challenge sealed to the coordinator's key:
    (challenge id, envelope bytes). Only then may the page have the key file too.

    The code is asked for first so that a coordinator id alone never fetches the wrapped
    key file, which would let anyone guess the passphrase offline against Argon2id alone.
    It is checked here but used up only by `sign_in` (seconds later, the same code), so a
    mistyped passphrase can be tried again. A wrong code counts as a failed try: raises
    SigninRefused after recording it (commit the session anyway).

    The browser opens the envelope with the unwrapped key, checks the service's
    signature against the key file's pinned verify key, and sends back the payload's
    "challenge" (base64 text) to `sign_in`.
    """
    now = now or utcnow()
    coordinator = _enrolled(session, coordinator_id)
    if coordinator is None:
        raise SigninRefused()
    login = _login_row(session, coordinator.id)
    if login.locked_until and login.locked_until > now:
        raise SigninRefused("locked")
    if _code_step(keys, coordinator, totp_code, now) is None:
        raise _refuse(session, login, now)
    session.execute(delete(DeskChallenge).where(or_(
        DeskChallenge.expires_at <= now, DeskChallenge.used.is_(True))))
    open_ids = list(session.scalars(
        select(DeskChallenge.id).where(DeskChallenge.coordinator_id == coordinator.id)
        .order_by(DeskChallenge.expires_at.desc())))
    if len(open_ids) >= MAX_OPEN_CHALLENGES:
        session.execute(delete(DeskChallenge).where(
            DeskChallenge.id.in_(open_ids[MAX_OPEN_CHALLENGES - 1:])))
    challenge = secrets.token_bytes(CHALLENGE_BYTES)
    challenge_id = new_id()
    envelope = seal_statement(
        {"purpose": PURPOSE, "challenge": base64.b64encode(challenge).decode("ascii")},
        recipient_public_key=coordinators.public_key(coordinator),
        meeting_id=f"{PURPOSE}:{challenge_id}", version=1,
        signing_key=service_keys.signing_key(session, keys))
    session.add(DeskChallenge(id=challenge_id, coordinator_id=coordinator.id,
                              digest=_sha256(challenge), expires_at=now + CHALLENGE_TTL,
                              used=False))
    session.flush()
    return challenge_id, envelope


def _challenge_bytes(response: str | bytes | None) -> bytes | None:
    if isinstance(response, bytes):
        return response
    if not isinstance(response, str):
        return None
    try:
        return base64.b64decode(response.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


def _take_challenge(session: Session, coordinator_id: str, challenge_id: str | None,
                    response: str | bytes | None, now: datetime) -> bool:
    """Whether the challenge is this coordinator's, fresh and answered; used up either way.

    The conditional update is what makes "used once" hold between two requests at the
    same moment: only one of them changes the row.
    """
    if not isinstance(challenge_id, str) or not challenge_id:
        return False
    row = session.get(DeskChallenge, challenge_id)
    if row is None:
        return False
    claimed = session.execute(
        update(DeskChallenge).where(and_(DeskChallenge.id == challenge_id,
                                         DeskChallenge.used.is_(False)))
        .values(used=True).execution_options(synchronize_session=False)).rowcount == 1
    session.expire(row)
    answer = _challenge_bytes(response)
    digest_ok = answer is not None and hmac.compare_digest(_sha256(answer), row.digest)
    return (claimed and digest_ok and row.coordinator_id == coordinator_id
            and row.expires_at > now)


# --- signing in -------------------------------------------------------------------------

def _login_row(session: Session, coordinator_id: str) -> DeskLogin:
    login = session.get(DeskLogin, coordinator_id, with_for_update=True)
    if login is not None:
        return login
    try:
        with session.begin_nested():  # two first failures at once: one insert wins
            session.add(DeskLogin(coordinator_id=coordinator_id, failed_tries=0, lockouts=0))
    except IntegrityError:
        pass
    return session.get(DeskLogin, coordinator_id, with_for_update=True, populate_existing=True)


lockout_for = lockouts.length


def _refuse(session: Session, login: DeskLogin, now: datetime) -> SigninRefused:
    login.failed_tries = (login.failed_tries or 0) + 1
    if login.failed_tries >= MAX_TRIES:
        login.lockouts = (login.lockouts or 0) + 1
        login.locked_until = now + lockout_for(login.lockouts)
        login.failed_tries = 0
        audit.record(session, "desk", "locked", "coordinator", login.coordinator_id)
        return SigninRefused("locked")
    audit.record(session, "desk", "signin_failed", "coordinator", login.coordinator_id)
    return SigninRefused()


def _code_step(keys: Keyring, coordinator: Coordinator, code: str | None,
               now: datetime) -> int | None:
    secret = keys.open("coordinators", "totp_secret_enc", coordinator.id,
                       coordinator.totp_secret_enc)
    return totp.verify(secret, code, coordinator.totp_last_step, now)


def _accept_step(session: Session, coordinator: Coordinator, step: int) -> bool:
    """Record the TOTP step as used; False if this or a later step already was (a replay
    racing the first use)."""
    done = session.execute(
        update(Coordinator).where(and_(
            Coordinator.id == coordinator.id,
            or_(Coordinator.totp_last_step.is_(None), Coordinator.totp_last_step < step)))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount == 1
    session.expire(coordinator, ["totp_last_step"])
    return done


def sign_in(session: Session, keys: Keyring, coordinator_id: str, challenge_id: str,
            challenge_response: str | bytes, totp_code: str,
            now: datetime | None = None) -> str:
    """Check key possession and the TOTP code; returns the new session's cookie value.

    Raises SigninRefused (after recording the failure: commit the session anyway). Five
    failures lock the coordinator out for 15 minutes, doubling with every lockout up to
    24 hours; while locked, even a correct attempt is refused.
    """
    now = now or utcnow()
    coordinator = _enrolled(session, coordinator_id)
    if coordinator is None:
        # Still used up, so a challenge id cannot be tried against several names.
        _take_challenge(session, "", challenge_id, None, now)
        raise SigninRefused()
    login = _login_row(session, coordinator.id)
    answered = _take_challenge(session, coordinator.id, challenge_id, challenge_response, now)
    if login.locked_until and login.locked_until > now:
        audit.record(session, "desk", "locked", "coordinator", coordinator.id)
        raise SigninRefused("locked")
    step = _code_step(keys, coordinator, totp_code, now)
    if not answered or step is None or not _accept_step(session, coordinator, step):
        raise _refuse(session, login, now)
    login.failed_tries, login.locked_until = 0, None
    session.execute(delete(DeskSessionRow).where(DeskSessionRow.last_seen < now - IDLE_TIMEOUT))
    token = secrets.token_urlsafe(32)
    session.add(DeskSessionRow(id_hash=id_hash(token), coordinator_id=coordinator.id,
                               csrf_token=secrets.token_urlsafe(24), created_at=now,
                               last_seen=now))
    audit.record(session, f"coordinator:{coordinator.id}", "signin", "coordinator",
                 coordinator.id)
    session.flush()
    return token


# --- sessions ---------------------------------------------------------------------------

def load_session(session: Session, token: str | None,
                 now: datetime | None = None) -> DeskSession | None:
    """The live desk session for this cookie, or None (unknown, ended or idle 30 min).

    Each call counts as activity and moves the idle timeout on.
    """
    if not token or not isinstance(token, str):
        return None
    now = now or utcnow()
    row = session.get(DeskSessionRow, id_hash(token))
    if row is None:
        return None
    if row.last_seen < now - IDLE_TIMEOUT or not is_enrolled(session.get(Coordinator,
                                                                         row.coordinator_id)):
        session.delete(row)
        return None
    row.last_seen = now
    return DeskSession(id_hash=row.id_hash, coordinator_id=row.coordinator_id,
                       csrf_token=row.csrf_token, created_at=row.created_at, last_seen=now)


def csrf_ok(desk_session: DeskSession | None, sent: str | None) -> bool:
    return bool(desk_session and isinstance(sent, str) and sent
                and hmac.compare_digest(desk_session.csrf_token.encode(), sent.encode()))


def sign_out(session: Session, token: str | None) -> None:
    """"Logga ut": end this one session (nothing happens for an unknown cookie)."""
    if not token or not isinstance(token, str):
        return
    row = session.get(DeskSessionRow, id_hash(token))
    if row is not None:
        audit.record(session, f"coordinator:{row.coordinator_id}", "signout", "coordinator",
                     row.coordinator_id)
        session.delete(row)


def _end_sessions(session: Session, coordinator_id: str) -> int:
    return max(session.execute(delete(DeskSessionRow).where(
        DeskSessionRow.coordinator_id == coordinator_id)).rowcount or 0, 0)


def sign_out_everywhere(session: Session, coordinator_id: str, actor: str = "cli") -> int:
    """End every desk session of the coordinator (a lost laptop); returns how many."""
    coordinator = coordinators.get(session, coordinator_id)
    count = _end_sessions(session, coordinator.id)
    audit.record(session, actor, "signout_all", "coordinator", coordinator.id)
    return count
