"""Signing in to the coordinator's desk: a real key file opens a real sealed challenge, a
real TOTP code from the enrolled secret, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyotp
import pytest
import sqlalchemy

from bot.crypto.keyfile import KeyFileError, read_key_file, read_key_file_header
from bot.crypto.sealing import open_statement
from bot.desk import totp
from bot.services import coordinators, desk_accounts
from bot.services.desk_accounts import EnrolRefused, SigninRefused
from bot.services.errors import NotFound
from bot.store.db import open_store, transaction
from bot.store.desk_models import DeskChallenge, DeskLogin, DeskSession
from bot.store.keyring import Keyring
from bot.store.models import AuditEvent, Coordinator
from tests.conftest import FAST_KDF, run_cli

PASSPHRASE = "test-passphrase"
T0 = datetime(2030, 3, 4, 10, 0, 0)  # naive UTC, like the store


class Desk:
    def __init__(self, url: str, key_dir: Path):
        self.url, self.key_dir = url, key_dir
        self.factory = open_store(url)
        self.uris: dict[str, str] = {}

    def add(self, name: str = "Sara Lind", enrol: bool = True) -> dict:
        with transaction(self.factory) as session:
            new = coordinators.add(session, Keyring(session), name=name, key_dir=self.key_dir,
                                   passphrase=PASSPHRASE, kdf_params=FAST_KDF)
        found = {"id": new.id, "key_file": new.key_file}
        if enrol:
            found["uri"] = self.enrol(new.id, new.key_file.read_text()).uri
        return found

    def enrol(self, coordinator_id: str, text: str):
        with transaction(self.factory) as session:
            done = desk_accounts.enrol(session, Keyring(session), coordinator_id, text)
        self.uris[coordinator_id] = done.uri
        return done

    def challenge(self, coordinator_id: str, now=T0, totp_code: str | None = None) -> tuple[str, bytes]:
        """The first step: the code is checked (a wrong one counted) before any challenge
        or key file is handed out; without `totp_code`, the right code at `now`."""
        if totp_code is None:
            uri = self.uris.get(coordinator_id)
            totp_code = code(uri, now) if uri else "123456"
        with transaction(self.factory) as session:
            try:
                return desk_accounts.new_challenge(session, Keyring(session), coordinator_id,
                                                   totp_code, now=now)
            except SigninRefused as refused:
                failure = refused
        raise failure

    def sign_in(self, coordinator_id, challenge_id, response, code, now=T0) -> str:
        """As the desk's route does: a refusal is caught inside the transaction, so what it
        recorded (the failed try, the used challenge) is committed."""
        with transaction(self.factory) as session:
            try:
                return desk_accounts.sign_in(session, Keyring(session), coordinator_id,
                                             challenge_id, response, code, now=now)
            except SigninRefused as refused:
                failure = refused
        raise failure

    def load(self, token, now=T0):
        with transaction(self.factory) as session:
            return desk_accounts.load_session(session, token, now=now)

    def rows(self, model, **where):
        with self.factory() as session:
            return list(session.scalars(sqlalchemy.select(model).filter_by(**where)))

    def audit(self, coordinator_id: str) -> list[tuple[str, str]]:
        return [(e.actor, e.action) for e in self.rows(AuditEvent, subject_id=coordinator_id)]


def opened(found: dict, envelope: bytes) -> str:
    """What the browser does: unwrap the key file, open the envelope, send the challenge."""
    private, header = read_key_file(found["key_file"], PASSPHRASE)
    statement = open_statement(envelope, recipient_private_key=private,
                               verify_key=header["service_verify_key"])
    assert statement["payload"]["purpose"] == "desk-signin"
    assert statement["meeting_id"].startswith("desk-signin:")
    return statement["payload"]["challenge"]


def code(uri: str, now: datetime) -> str:
    return pyotp.parse_uri(uri).at(int(now.replace(tzinfo=timezone.utc).timestamp()))


def attempt(desk: Desk, found: dict, now=T0, totp_code: str | None = None) -> str:
    totp_code = totp_code if totp_code is not None else code(found["uri"], now)
    challenge_id, envelope = desk.challenge(found["id"], now, totp_code)
    return desk.sign_in(found["id"], challenge_id, opened(found, envelope), totp_code, now)


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request, isolated_env, tmp_path, monkeypatch):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("SIPKOMPIS_DB_URL", url)
    else:
        url = os.environ["SIPKOMPIS_DB_URL"]
    return Desk(url, tmp_path / "keys")


# --- the happy path ---------------------------------------------------------------------

def test_enrolled_coordinator_signs_in_with_the_opened_challenge_and_a_real_code(desk):
    sara = desk.add()
    assert sara["uri"].startswith("otpauth://totp/SIP-kompis:samordnare-")
    assert "Sara" not in sara["uri"]  # the app and its backups never hold the name
    token = attempt(desk, sara)
    live = desk.load(token, T0 + timedelta(minutes=1))
    assert live.coordinator_id == sara["id"] and len(live.csrf_token) >= 24
    assert live.id_hash == desk_accounts.id_hash(token) and live.id_hash != token
    assert desk_accounts.csrf_ok(live, live.csrf_token)
    assert not desk_accounts.csrf_ok(live, "guess") and not desk_accounts.csrf_ok(None, "x")
    assert ("cli", "enrol") in desk.audit(sara["id"])
    assert (f"coordinator:{sara['id']}", "signin") in desk.audit(sara["id"])
    with transaction(desk.factory) as session:
        desk_accounts.sign_out(session, token)
    assert desk.load(token) is None


def test_the_stored_key_file_is_the_file_as_written(desk):
    sara = desk.add()
    with transaction(desk.factory) as session:
        text = desk_accounts.key_file_text(session, Keyring(session), sara["id"])
    assert text == sara["key_file"].read_text()
    assert read_key_file_header(text)["coordinator_id"] == sara["id"]


def test_the_challenge_is_signed_by_this_service_and_sealed_to_this_coordinator(desk):
    sara, omar = desk.add(), desk.add("Omar")
    _challenge_id, envelope = desk.challenge(sara["id"])
    private, header = read_key_file(omar["key_file"], PASSPHRASE)
    with pytest.raises(Exception):
        open_statement(envelope, recipient_private_key=private,
                       verify_key=header["service_verify_key"])


# --- refusals ---------------------------------------------------------------------------

def test_a_wrong_code_is_refused_with_the_generic_message_and_counted(desk):
    sara = desk.add()
    right = code(sara["uri"], T0)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with pytest.raises(SigninRefused) as refused:
        attempt(desk, sara, totp_code=wrong)
    assert refused.value.message == "Fel användarnamn, lösenfras eller kod."
    assert str(refused.value) == refused.value.message and refused.value.reason == "wrong"
    assert desk.rows(DeskLogin, coordinator_id=sara["id"])[0].failed_tries == 1
    assert ("desk", "signin_failed") in desk.audit(sara["id"])
    for junk in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦", None):
        with pytest.raises(SigninRefused):
            attempt(desk, sara, totp_code=junk)


def test_without_the_right_code_there_is_no_challenge_and_so_no_key_file(desk):
    sara = desk.add()
    wrong = f"{(int(code(sara['uri'], T0)) + 1) % 1_000_000:06d}"
    with pytest.raises(SigninRefused):
        desk.challenge(sara["id"], T0, wrong)
    assert desk.rows(DeskChallenge, coordinator_id=sara["id"]) == []
    assert desk.rows(DeskLogin, coordinator_id=sara["id"])[0].failed_tries == 1
    # The right code is only checked there, not used up: a retyped passphrase may retry.
    desk.challenge(sara["id"], T0)
    assert attempt(desk, sara, T0)


def test_a_code_with_a_space_and_one_step_of_clock_drift_is_accepted(desk):
    sara = desk.add()
    late = code(sara["uri"], T0 - timedelta(seconds=30))
    assert attempt(desk, sara, totp_code=f" {late[:3]} {late[3:]} ")


def test_a_used_code_is_refused_even_while_it_is_still_valid(desk):
    sara = desk.add()
    first = code(sara["uri"], T0)
    attempt(desk, sara, totp_code=first)
    with pytest.raises(SigninRefused):
        attempt(desk, sara, T0 + timedelta(seconds=20), totp_code=first)
    # The step before the used one is within the drift window, but older: refused too.
    with pytest.raises(SigninRefused):
        attempt(desk, sara, T0 + timedelta(seconds=20),
                totp_code=code(sara["uri"], T0 - timedelta(seconds=30)))
    assert attempt(desk, sara, T0 + timedelta(seconds=30))  # the next step works


def test_a_challenge_is_used_once_even_when_the_attempt_failed(desk):
    sara = desk.add()
    challenge_id, envelope = desk.challenge(sara["id"])
    response = opened(sara, envelope)
    with pytest.raises(SigninRefused):
        desk.sign_in(sara["id"], challenge_id, response, "000000"
                     if code(sara["uri"], T0) != "000000" else "111111")
    with pytest.raises(SigninRefused):
        desk.sign_in(sara["id"], challenge_id, response, code(sara["uri"], T0))
    assert desk.rows(DeskChallenge, id=challenge_id)[0].used


def test_a_reused_challenge_is_refused_after_a_success(desk):
    sara = desk.add()
    challenge_id, envelope = desk.challenge(sara["id"])
    response = opened(sara, envelope)
    desk.sign_in(sara["id"], challenge_id, response, code(sara["uri"], T0))
    later = T0 + timedelta(seconds=40)
    with pytest.raises(SigninRefused):
        desk.sign_in(sara["id"], challenge_id, response, code(sara["uri"], later), later)


def test_an_expired_challenge_is_refused(desk):
    sara = desk.add()
    challenge_id, envelope = desk.challenge(sara["id"])
    late = T0 + timedelta(minutes=2, seconds=1)
    with pytest.raises(SigninRefused):
        desk.sign_in(sara["id"], challenge_id, opened(sara, envelope), code(sara["uri"], late), late)


def test_another_coordinators_challenge_is_refused_and_used_up(desk):
    sara, omar = desk.add(), desk.add("Omar")
    challenge_id, envelope = desk.challenge(omar["id"])
    response = opened(omar, envelope)
    with pytest.raises(SigninRefused):
        desk.sign_in(sara["id"], challenge_id, response, code(sara["uri"], T0))
    with pytest.raises(SigninRefused):  # nor can Omar use it now
        desk.sign_in(omar["id"], challenge_id, response, code(omar["uri"], T0))


def test_a_wrong_answer_to_the_challenge_is_refused(desk):
    sara = desk.add()
    for response in ("AAAA", "not base64!", b"\x00" * 32, None):
        challenge_id, _envelope = desk.challenge(sara["id"])
        with pytest.raises(SigninRefused):
            desk.sign_in(sara["id"], challenge_id, response, code(sara["uri"], T0))


def test_unknown_and_not_enrolled_coordinators_get_the_same_refusal(desk):
    plain = desk.add("Ej inskriven", enrol=False)
    for who in (plain["id"], "0" * 32, "", None):
        with pytest.raises(SigninRefused) as refused:
            desk.challenge(who)
        assert refused.value.message == "Fel användarnamn, lösenfras eller kod."
    sara = desk.add()
    challenge_id, envelope = desk.challenge(sara["id"])
    with pytest.raises(SigninRefused):
        desk.sign_in("0" * 32, challenge_id, opened(sara, envelope), "123456")
    # Unknown names leave no rows behind (Sara's own row is from her challenge).
    assert {row.coordinator_id for row in desk.rows(DeskLogin)} <= {sara["id"]}


# --- lockout ----------------------------------------------------------------------------

def fail_times(desk: Desk, found: dict, times: int, now: datetime) -> list[str]:
    reasons = []
    right = code(found["uri"], now)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(times):
        with pytest.raises(SigninRefused) as refused:
            attempt(desk, found, now, totp_code=wrong)
        reasons.append(refused.value.reason)
    return reasons


def test_five_failures_lock_the_coordinator_out_and_each_lockout_doubles(desk):
    sara = desk.add()
    assert fail_times(desk, sara, 5, T0) == ["wrong"] * 4 + ["locked"]
    assert ("desk", "locked") in desk.audit(sara["id"])
    # While locked even the right code with the right key is refused, and a challenge too.
    with pytest.raises(SigninRefused) as refused:
        desk.challenge(sara["id"], T0 + timedelta(minutes=14))
    assert refused.value.message == "För många försök. Försök igen om en stund."
    assert desk.rows(DeskLogin, coordinator_id=sara["id"])[0].locked_until == T0 + timedelta(minutes=15)
    after = T0 + timedelta(minutes=15, seconds=30)
    assert attempt(desk, sara, after)
    # Success clears the tries but not the history: the second lockout lasts 30 minutes.
    second = after + timedelta(minutes=1)
    assert fail_times(desk, sara, 5, second) == ["wrong"] * 4 + ["locked"]
    assert desk.rows(DeskLogin, coordinator_id=sara["id"])[0].locked_until == second + timedelta(minutes=30)
    with pytest.raises(SigninRefused):
        desk.challenge(sara["id"], second + timedelta(minutes=29))
    assert attempt(desk, sara, second + timedelta(minutes=30, seconds=30))


def test_a_correct_attempt_with_a_challenge_taken_before_the_lock_is_refused(desk):
    sara = desk.add()
    challenge_id, envelope = desk.challenge(sara["id"])
    response = opened(sara, envelope)
    fail_times(desk, sara, 5, T0)
    with pytest.raises(SigninRefused) as refused:
        desk.sign_in(sara["id"], challenge_id, response, code(sara["uri"], T0))
    assert refused.value.reason == "locked"


def test_lockouts_double_up_to_a_day():
    assert desk_accounts.lockout_for(1) == timedelta(minutes=15)
    assert desk_accounts.lockout_for(2) == timedelta(minutes=30)
    assert desk_accounts.lockout_for(4) == timedelta(hours=2)
    assert desk_accounts.lockout_for(7) == timedelta(hours=16)
    assert desk_accounts.lockout_for(8) == timedelta(hours=24)
    assert desk_accounts.lockout_for(10_000) == timedelta(hours=24)


# --- enrolment --------------------------------------------------------------------------

def test_re_enrolment_replaces_the_secret_and_ends_every_desk_session(desk):
    sara = desk.add()
    tokens = [attempt(desk, sara, T0), attempt(desk, sara, T0 + timedelta(seconds=30))]
    fresh = desk.enrol(sara["id"], sara["key_file"].read_text())
    assert fresh.uri != sara["uri"] and "<title>" in fresh.qr_svg
    assert all(desk.load(t, T0 + timedelta(minutes=1)) is None for t in tokens)
    later = T0 + timedelta(minutes=1)
    with pytest.raises(SigninRefused):  # the old phone's codes no longer work
        attempt(desk, sara, later, totp_code=code(sara["uri"], later))
    assert attempt(desk, {**sara, "uri": fresh.uri}, later)


def test_another_coordinators_key_file_is_refused(desk):
    sara, omar = desk.add(), desk.add("Omar")
    with pytest.raises(EnrolRefused, match="another coordinator"):
        desk.enrol(sara["id"], omar["key_file"].read_text())
    # Relabelled as Sara's, it still holds Omar's public key.
    document = json.loads(omar["key_file"].read_text())
    document["coordinator_id"] = sara["id"]
    with pytest.raises(EnrolRefused, match="another coordinator"):
        desk.enrol(sara["id"], json.dumps(document))
    for junk in ("", "{}", "not json", "x" * 100_000):
        with pytest.raises(EnrolRefused):
            desk.enrol(sara["id"], junk)
    with pytest.raises(NotFound):
        desk.enrol("0" * 32, sara["key_file"].read_text())
    attempt(desk, sara)  # Sara's enrolment is untouched by the refusals


def test_a_key_file_pinning_another_services_key_is_refused(desk, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from bot.crypto.keyfile import write_key_file

    plain = desk.add("Ej inskriven", enrol=False)
    with desk.factory() as session:
        row = session.get(Coordinator, plain["id"])
        public = coordinators.public_key(row)
    # A file with the right public key but a foreign pinned key: the browser could
    # never verify the challenge's signature with it.
    private, _header = read_key_file(plain["key_file"], PASSPHRASE)
    assert public.public_bytes_raw() == private.public_key().public_bytes_raw()
    other = tmp_path / "other.key.json"
    write_key_file(other, private, PASSPHRASE, coordinator_id=plain["id"],
                   service_verify_key=Ed25519PrivateKey.generate().public_key(),
                   _kdf_params=FAST_KDF)
    with pytest.raises(EnrolRefused, match="signing key"):
        desk.enrol(plain["id"], other.read_text())


def test_sign_out_everywhere_ends_all_sessions_of_that_coordinator_only(desk):
    sara, omar = desk.add(), desk.add("Omar")
    mine = [attempt(desk, sara, T0), attempt(desk, sara, T0 + timedelta(seconds=30))]
    theirs = attempt(desk, omar, T0)
    with transaction(desk.factory) as session:
        assert desk_accounts.sign_out_everywhere(session, sara["id"]) == 2
    assert all(desk.load(t) is None for t in mine)
    assert desk.load(theirs) is not None
    assert ("cli", "signout_all") in desk.audit(sara["id"])


def test_idle_sessions_end_after_thirty_minutes_and_activity_keeps_them(desk):
    sara = desk.add()
    token = attempt(desk, sara)
    assert desk.load(token, T0 + timedelta(minutes=29)) is not None
    assert desk.load(token, T0 + timedelta(minutes=58)) is not None  # 29 min after last use
    assert desk.load(token, T0 + timedelta(minutes=88, seconds=1)) is None
    assert desk.rows(DeskSession, coordinator_id=sara["id"]) == []
    assert desk.load("") is None and desk.load(None) is None and desk.load("nope") is None


# --- nothing readable in the store ------------------------------------------------------

def all_rows_text(desk: Desk) -> str:
    engine = desk.factory.kw["bind"]
    parts = []
    with engine.connect() as connection:
        for table in sqlalchemy.inspect(engine).get_table_names():
            for row in connection.execute(sqlalchemy.text(f'select * from "{table}"')):
                for value in row:
                    parts.append(value.hex() if isinstance(value, (bytes, memoryview)) else repr(value))
                    if isinstance(value, (bytes, memoryview)):
                        parts.append(bytes(value).decode("latin-1"))
    return "\n".join(parts)


def test_the_database_holds_no_totp_secret_key_file_or_cookie_in_the_clear(desk):
    sara = desk.add()
    token = attempt(desk, sara)
    secret = pyotp.parse_uri(sara["uri"]).secret
    key_file = json.loads(sara["key_file"].read_text())
    needles = [secret, secret.lower(), key_file["ciphertext"], key_file["kdf"]["salt"],
               key_file["nonce"], token]
    text = all_rows_text(desk)
    for needle in needles:
        assert needle not in text
    if desk.url.startswith("sqlite"):
        path = Path(sqlalchemy.engine.make_url(desk.url).database)
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for needle in needles:
            assert needle.encode() not in raw


# --- the TOTP wrapper -------------------------------------------------------------------

def test_totp_accepts_one_step_either_side_and_returns_the_step():
    secret = totp.new_secret()
    now = T0 + timedelta(seconds=15)
    step = int(now.replace(tzinfo=timezone.utc).timestamp()) // 30
    at = lambda delta: pyotp.TOTP(secret).at(int(now.replace(tzinfo=timezone.utc).timestamp()) + delta)
    assert totp.verify(secret, at(0), None, now) == step
    assert totp.verify(secret, at(-30), None, now) == step - 1
    assert totp.verify(secret, at(30), None, now) == step + 1
    assert totp.verify(secret, at(-60), None, now) is None
    assert totp.verify(secret, at(60), None, now) is None
    assert totp.verify(secret, at(0), step, now) is None  # replay
    assert totp.verify(secret, at(30), step, now) == step + 1
    assert totp.verify(secret, at(0)[:3] + " " + at(0)[3:], None, now) == step
    assert totp.verify(secret, at(0) + "x", None, now) is None
    aware = now.replace(tzinfo=timezone.utc)
    assert totp.verify(secret, at(0), None, aware) == step


def test_qr_svg_is_inline_with_a_title():
    uri = totp.provisioning_uri(totp.new_secret(), "samordnare-1234abcd")
    assert uri.startswith("otpauth://totp/SIP-kompis:samordnare-1234abcd?") and "issuer=SIP-kompis" in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "<?xml" not in svg and "<title>" in svg
    assert totp.qr_svg_document(uri).startswith("<?xml")


def test_desk_tables_are_found_by_erasures_model_loading_and_match_the_migration(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.services import erasure
    from bot.store.models import Base

    erasure._load_all_models()
    assert {"desk_sessions", "desk_challenges", "desk_logins"} <= set(Base.metadata.tables)
    engine = store.kw["bind"]
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ours = [d for d in diffs if "desk_" in repr(d) or "key_file_enc" in repr(d)
            or "totp_" in repr(d)]
    assert ours == []


def test_read_key_file_header_checks_structure_without_the_passphrase(desk):
    sara = desk.add(enrol=False)
    header = read_key_file_header(sara["key_file"].read_bytes())
    assert header["coordinator_id"] == sara["id"]
    for broken in ("{}", "[]", "", sara["key_file"].read_text().replace('"argon2id"', '"scrypt"')):
        with pytest.raises(KeyFileError, match="not a SIP-kompis coordinator key file"):
            read_key_file_header(broken)


# --- the CLI ----------------------------------------------------------------------------

def test_cli_coordinator_add_enrols_for_the_desk_and_writes_the_qr_beside_the_key(tmp_path):
    result = run_cli("coordinator", "add", "--name", "Sara Lind", "--key-out", str(tmp_path / "k"),
                     "--json")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1  # --json: no QR drawing on stdout
    added = json.loads(lines[0])
    assert added["totp_uri"].startswith("otpauth://totp/SIP-kompis:")
    svg = Path(added["totp_qr_file"])
    assert svg == Path(added["key_file"]).with_name(
        Path(added["key_file"]).name.replace(".key.json", ".totp.svg"))
    assert stat.S_IMODE(svg.stat().st_mode) == 0o600
    assert svg.read_text().startswith("<?xml") and "<title>" in svg.read_text()

    human = run_cli("coordinator", "add", "--name", "Omar", "--key-out", str(tmp_path / "k2"))
    assert human.returncode == 0, human.stderr
    assert "otpauth://totp/" in human.stdout and "█" in human.stdout

    again = run_cli("coordinator", "desk-enrol", added["coordinator_id"], "--key-file",
                    added["key_file"], "--json")
    assert again.returncode == 0, again.stderr
    reset = json.loads(again.stdout)
    assert reset["totp_uri"] != added["totp_uri"] and reset["totp_qr_file"] == str(svg)

    wrong = run_cli("coordinator", "desk-enrol", added["coordinator_id"], "--key-file",
                    str(next((tmp_path / "k2").glob("*.key.json"))))
    assert wrong.returncode != 0 and "another coordinator" in wrong.stderr
    assert "Traceback" not in wrong.stderr

    out = run_cli("coordinator", "desk-signout", added["coordinator_id"], "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"coordinator_id": added["coordinator_id"], "sessions_ended": 0}
    unknown = run_cli("coordinator", "desk-signout", "0" * 32)
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr
