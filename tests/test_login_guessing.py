"""Guessing a way into a child's chat: what whoever holds an invite letter (or none) can
try, and who hears of it. Counts live in the store, keyed by a client address's HMAC, so
neither a new page nor a valid code of one's own starts them again."""
from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

import httpx
import pytest
import sqlalchemy

from bot.channels.web import guesses, logins, pins
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from bot.store.web_models import LoginGuard
from tests.conftest import new_meeting
from tests.web_browser import csrf_of, http_log_in, web_client

PIN, WRONG = "246813", "975310"


def web_url(stack) -> str:
    return f"http://127.0.0.1:{stack.env['WEB_PORT']}"


def an_address() -> str:
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{1 + secrets.randbelow(254)}"


def try_code(stack, address: str, code: str) -> str:
    """One code on a fresh page (a new anonymous session), as a guesser reloading would."""
    with web_client(web_url(stack), address) as fresh:
        page = fresh.get("/")
        answer = fresh.post("/login", data={"csrf": csrf_of(page.text), "code": code})
        return answer.text if answer.status_code != 303 else "PIN"


def enter_pin(stack, address: str, code: str, pin: str) -> str:
    with web_client(web_url(stack), address) as fresh:
        return http_log_in(fresh, code, pin).text


def sql(stack, statement: str, **values):
    engine = sqlalchemy.create_engine(stack.env["SIPKOMPIS_DB_URL"], future=True)
    try:
        with engine.begin() as connection:
            return connection.execute(sqlalchemy.text(statement), values).fetchall() \
                if statement.lstrip().lower().startswith("select") else \
                connection.execute(sqlalchemy.text(statement), values)
    finally:
        engine.dispose()


def coordinator_notices(stack, monkeypatch, kind: str) -> list[str]:
    from bot.store.models import OutboxMessage

    for name in ("SIPKOMPIS_DB_URL", "SIPKOMPIS_MASTER_KEY_FILE", "SIPKOMPIS_VAR_DIR"):
        monkeypatch.setenv(name, stack.env[name])
    with open_store(stack.env["SIPKOMPIS_DB_URL"])() as session:
        keys = Keyring(session)
        return [json.loads(keys.open("outbox", "payload_enc", row.id, row.payload_enc))["text"]
                for row in session.scalars(sqlalchemy.select(OutboxMessage).where(
                    OutboxMessage.channel == "coordinator", OutboxMessage.kind == kind))]


def wrong_code() -> str:
    return "-".join(secrets.token_hex(2).upper() for _ in range(3))


@pytest.mark.stack
def test_new_pages_do_not_reset_the_wrong_code_count_of_an_address(stack):
    meeting = new_meeting(stack)
    guesser = an_address()
    answers = [try_code(stack, guesser, wrong_code()) for _ in range(guesses.ADDRESS_TRIES)]
    assert all("fungerade inte" in a for a in answers[:-1])
    assert "för många försök" in answers[-1] and "en kvart" in answers[-1]
    # Locked for this address even with a real code; another address is not held up.
    assert "för många försök" in try_code(stack, guesser, meeting["child_code"])
    assert try_code(stack, an_address(), meeting["child_code"]) == "PIN"


@pytest.mark.stack
def test_a_valid_code_of_ones_own_does_not_start_the_count_again(stack):
    own = new_meeting(stack)
    guesser = an_address()
    for attempt in range(guesses.ADDRESS_TRIES - 1):
        assert "fungerade inte" in try_code(stack, guesser, wrong_code())
        if attempt % 3 == 0:
            assert try_code(stack, guesser, own["child_code"]) == "PIN"
    assert "för många försök" in try_code(stack, guesser, wrong_code())


@pytest.mark.stack
def test_each_pin_lockout_is_longer_and_the_coordinator_and_child_are_told(stack, monkeypatch):
    meeting = new_meeting(stack)
    with web_client(web_url(stack)) as child:
        assert "Alva" in http_log_in(child, meeting["child_code"], PIN).text
        child.post("/logout", data={"csrf": csrf_of(child.get("/chat").text)})
    waits = []
    for lockout in range(2):
        # Each round from new addresses: the login's own lock, not the address's, is tested.
        for attempt in range(logins.MAX_TRIES):
            page = enter_pin(stack, an_address(), meeting["child_code"], WRONG)
        assert "för många fel" in page
        assert "för många fel" in enter_pin(stack, an_address(), meeting["child_code"], PIN)
        waits.append(page)
        # The lock runs out.
        sql(stack, "update web_logins set locked_until = :t where person_id = :p",
            t=datetime.utcnow() - timedelta(seconds=1), p=meeting["child_id"])
    assert "en kvart" in waits[0] and "en halvtimme" in waits[1]
    told = coordinator_notices(stack, monkeypatch, "login_locked")
    assert len(told) == 2 and "2 gånger i rad" in told[-1]
    assert all(PIN not in t and WRONG not in t and "Alva" not in t for t in told)
    chat = enter_pin(stack, an_address(), meeting["child_code"], PIN)
    assert "Alva" in chat and "din inloggning var låst en stund" in chat
    again = enter_pin(stack, an_address(), meeting["child_code"], PIN)
    assert again.count("din inloggning var låst en stund") == 1  # told once, not every visit
    # The right PIN ends the escalation: the next lockout is short again.
    for attempt in range(logins.MAX_TRIES):
        page = enter_pin(stack, an_address(), meeting["child_code"], WRONG)
    assert "en kvart" in page


@pytest.mark.stack
def test_a_new_pin_is_six_digits_and_not_one_a_guesser_tries_first(stack):
    meeting = new_meeting(stack)
    with web_client(web_url(stack)) as child:
        page = child.get("/")
        page = child.get(child.post("/login", data={"csrf": csrf_of(page.text),
                                                   "code": meeting["child_code"]}).headers["location"])
        assert 'title="6 siffror"' in page.text and "autofocus" in page.text
        for pin, says in (("2468", "6 siffror"), ("24681", "6 siffror"), ("123456", "för lätt"),
                          ("111111", "för lätt"), ("121212", "för lätt"), ("987654", "för lätt"),
                          ("123123", "för lätt")):
            page = child.post("/pin", data={"csrf": csrf_of(page.text), "pin": pin, "pin2": pin})
            assert says in page.text, pin
            assert 'name="pin2"' in page.text  # still choosing: nothing was saved
        page = child.post("/pin", data={"csrf": csrf_of(page.text), "pin": PIN, "pin2": PIN})
        assert "Alva" in child.get("/chat").text


@pytest.mark.stack
def test_the_store_never_holds_a_client_address(stack):
    address = an_address()
    try_code(stack, address, wrong_code())
    rows = sql(stack, "select key from login_guards")
    assert rows and all(address not in row[0] for row in rows)


def test_easy_pins_are_refused_and_others_taken():
    for easy in ("000000", "999999", "123456", "234567", "901234", "654321", "210987",
                 "121212", "909090", "123123", "147147", "112233", "159753"):
        assert pins.new_pin_problem(easy) == "easy", easy
    for fine in ("246813", "975310", "503917", "180562"):
        assert pins.new_pin_problem(fine) is None, fine
    for short in ("1357", "13579", "1357913", "12a456", ""):
        assert pins.new_pin_problem(short) == "length", short
    assert pins.well_formed("2468")  # a PIN chosen when four digits were enough still works


@pytest.fixture(params=["sqlite", "postgresql"])
def guard_store(request, isolated_env):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    return open_store(url)


def test_many_addresses_guessing_make_the_service_strict_with_those_that_failed(guard_store):
    now = datetime(2026, 12, 3, 8, 0)
    with transaction(guard_store) as session:
        keys = Keyring(session)
        crowd = [guesses.address_key(session, keys, f"192.0.2.{n % 250}/{n}")
                 for n in range(guesses.SERVICE_TRIES)]
        child = guesses.address_key(session, keys, "198.51.100.7")
        for key in crowd:
            assert guesses.failed(session, key, now) is None  # one try each: no address lock
        # Every address that failed once must wait out the hour now ...
        assert guesses.locked_until(session, crowd[0], now) == now + guesses.WINDOW
        # ... while a child who has not failed still gets in.
        assert guesses.locked_until(session, child, now) is None
        later = now + guesses.WINDOW + timedelta(seconds=1)
        assert guesses.locked_until(session, crowd[0], later) is None


def test_an_address_lock_doubles_each_time(guard_store):
    now = datetime(2026, 12, 3, 8, 0)
    with transaction(guard_store) as session:
        key = guesses.address_key(session, Keyring(session), "203.0.113.9")
        lengths = []
        for _ in range(3):
            for n in range(guesses.ADDRESS_TRIES):
                until = guesses.failed(session, key, now)
            lengths.append(until - now)
            now = until
        assert lengths == [timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=1)]
        assert session.get(LoginGuard, key).locked_until == now
