"""Hostile input on every input handler (issue 18 point 3): Hypothesis properties on the
same contracts the fuzzer checks (fuzz/targets_*.py), the crashes the fuzzer found, kept
as regressions, and a short coverage-guided atheris run of every target.

`python -m fuzz` is the long run (a million executions per target); see README.md.
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import targets_cli, targets_telegram, targets_text, targets_web
from fuzz.registry import TARGETS
from fuzz.world import world

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHEAP = settings(derandomize=True, max_examples=200, deadline=None)
STORE = settings(derandomize=True, max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Text as it arrives: any code point, lone surrogates included (broken JSON escapes).
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)
DIGITS = st.text(st.characters(whitelist_categories=("Nd", "No")), min_size=1, max_size=8)


@pytest.fixture
def fuzz_world():
    """The fuzzer's world (store, codes, chat, session, sealed statement) in this test's
    own environment. The world writes os.environ itself (as a fuzz run's own process
    should); it is put back whole afterwards, since a master key left behind there would
    override every later stack's key file."""
    saved = dict(os.environ)
    world.cache_clear()
    try:
        yield world()
    finally:
        world.cache_clear()
        os.environ.clear()
        os.environ.update(saved)


# --- typed text -------------------------------------------------------------------------

@CHEAP
@given(ANY_TEXT)
def test_typed_text_never_crashes_and_never_grows_unbounded(text):
    targets_text.check_typed_text(text)


@CHEAP
@given(DIGITS)
def test_any_digit_a_child_types_is_a_button_number_or_typed_text(digits):
    targets_text.check_typed_text(digits)


def test_a_digit_int_refuses_or_a_huge_number_is_typed_text_not_a_crash():
    """Found reading resolve_choice while writing the fuzzer: isdigit() accepted the
    Kharosthi digit U+10A40 and 5,000 ones, which int() then refused with ValueError."""
    from bot.channels.typed_text import resolve_choice

    buttons = targets_text.BUTTONS
    assert resolve_choice("\U00010a40", buttons) == "\U00010a40"
    assert resolve_choice("1" * 5000, buttons) == "1" * 5000
    assert resolve_choice(" 2 ", buttons) == "/deny"
    assert resolve_choice("\u0663", buttons) == "/skip"  # Arabic-Indic three is still a number


# --- invite codes -----------------------------------------------------------------------

@CHEAP
@given(ANY_TEXT)
def test_invite_code_is_found_only_where_it_was_written(text):
    targets_text.check_invite_code(text)


@CHEAP
@given(st.text(st.sampled_from("23456789ABCDEFGHJKMNPQRSTUVWXYZ"), min_size=12, max_size=12),
       st.sampled_from(["", " ", "-"]), st.text(max_size=40))
def test_a_code_written_in_groups_inside_any_sentence_is_read_back(code, separator, before):
    from bot.services import invites

    written = separator.join(code[i:i + 4] for i in range(0, 12, 4)).lower()
    found = invites.normalise(f"{before} {written} tack")
    assert found is not None and len(found) == 12
    targets_text.check_invite_code(f"{before} {written} tack")


# --- crisis detector --------------------------------------------------------------------

@CHEAP
@given(ANY_TEXT)
def test_crisis_normaliser_never_crashes_and_never_grows_unbounded(text):
    targets_text.check_crisis_normaliser(text)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["jag", "vill", "dö", "😂", "lol", ".", "s j ä l v", "\u200b"]),
                min_size=1, max_size=6), st.integers(500, 3000))
def test_crisis_detector_answers_a_pasted_flood_quickly(words, times):
    text = " ".join(words) * times
    started = time.perf_counter()
    targets_text.check_crisis_detector(text)
    # Generous for a shared two-core machine; a quadratic pass on 20,000 words takes minutes.
    assert time.perf_counter() - started < 10


@CHEAP
@given(ANY_TEXT)
def test_crisis_detector_answers_any_text_with_a_known_category(text):
    targets_text.check_crisis_detector(text)


# --- Telegram ---------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["message", "edited_message", "callback_query", "chat", "id", "type",
                         "text", "caption", "from", "data", "update_id"]) | st.text(max_size=5),
        inner, max_size=4),
    max_leaves=12)


@CHEAP
@given(st.dictionaries(st.sampled_from(["message", "edited_message", "callback_query"]), JSON,
                       min_size=1).map(lambda d: {"update_id": 1, **d}))
def test_a_stored_update_of_any_shape_never_stops_the_processor(update):
    targets_telegram.check_update(update)


@pytest.mark.parametrize("update", [
    {"update_id": 3, "edited_message": {"chat": "x"}},  # found by the fuzzer
    {"update_id": 4, "message": {"chat": {"type": "private", "id": "7"}, "text": "hej"}},
    {"update_id": 5, "callback_query": {"message": [1], "from": "x"}},
])
def test_updates_the_fuzzer_found_are_read_as_no_chat_instead_of_raising(update):
    from bot.channels.telegram.handlers import help_for_tap
    from bot.channels.telegram.updates import chat_key, typed_words

    assert chat_key(update).startswith(("chat:", "update:"))
    assert typed_words(update) == (None, None)
    # The processor calls this on every callback before its turn: no context needed to say no.
    assert asyncio.run(help_for_tap(None, update.get("callback_query") or {}, "1")) is False


@CHEAP
@given(ANY_TEXT)
def test_a_typed_slash_command_is_a_command_or_left_as_typed(text):
    targets_telegram.check_command("/" + text)
    targets_telegram.check_command(text)


@CHEAP
@given(st.text(max_size=400))
def test_long_replies_are_split_within_the_limit_without_losing_a_word(text):
    targets_telegram.check_split_text(text)


@STORE
@given(st.one_of(st.none(), ANY_TEXT.map(lambda t: t[:20])))
def test_callback_data_opens_only_buttons_this_chat_was_offered(fuzz_world, data):
    targets_telegram.check_callback(data)
    for offered in fuzz_world.offered:
        targets_telegram.check_callback(offered)


def test_callback_data_with_a_lone_surrogate_is_a_stale_button_not_a_crash(fuzz_world):
    """Found by the fuzzer: the database driver raised UnicodeEncodeError on it."""
    targets_telegram.check_callback("abc\udfdf")


# --- web chat ---------------------------------------------------------------------------

@STORE
@given(st.text(max_size=80), st.text(max_size=40))
def test_no_cookie_but_the_issued_one_opens_a_web_session(fuzz_world, header, csrf):
    targets_web.check_session_cookie(header, csrf)
    targets_web.check_session_cookie(f"sipkompis_session={fuzz_world.session_token}", fuzz_world.csrf)


def test_a_csrf_field_with_non_ascii_characters_is_refused_not_a_server_error(fuzz_world):
    """Found by the fuzzer: hmac.compare_digest raised TypeError (a 500, not a 403)."""
    from bot.channels.web import sessions
    from bot.store.web_models import WebSession

    with fuzz_world.factory() as session:
        live = session.get(WebSession, fuzz_world.session_hash)
        assert sessions.csrf_ok(live, "é" * len(fuzz_world.csrf)) is False
        assert sessions.csrf_ok(live, fuzz_world.csrf) is True


@STORE
@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=10, max_size=70))
def test_a_form_nonce_is_claimed_once_whatever_its_text(fuzz_world, nonce):
    targets_web.check_nonce(nonce)


@STORE
@given(st.text(max_size=60))
def test_the_code_form_refuses_anything_but_a_real_code_with_its_reason_only(fuzz_world, text):
    targets_web.check_code_field(text)
    targets_web.check_code_field(f"min kod är {fuzz_world.child_code.lower()}")


@CHEAP
@given(st.text(st.sampled_from("0123456789 \t\n٣a"), max_size=9) | ANY_TEXT)
def test_a_pin_field_is_six_digits_or_refused(pin):
    targets_web.check_pin_field(pin)


def test_only_the_right_pin_opens_the_login_whatever_is_typed():
    for pin in ("4711", "4712", "٤٧١١", "4711\n", "", "x" * 64):
        targets_web.check_pin_check(pin)


# Findings of the fuzzer in the web chat, fixed: each stays as a regression test.

def test_the_nonce_form_check_refuses_a_trailing_newline():
    from bot.channels.web.app import _NONCE

    assert not _NONCE.match("a" * 16 + "\n")


def test_a_pin_with_a_trailing_newline_is_not_well_formed():
    from bot.channels.web import pins

    assert not pins.well_formed("1234\n")
    assert pins.new_pin_problem("123457\n") == "length"


def test_an_odd_cookie_of_another_app_does_not_hide_the_session_cookie():
    assert targets_web.session_cookie("?other=1; sipkompis_session=abc") == "abc"
    assert targets_web.session_cookie(bytes.fromhex("3f7369706b6f696f6e3d31").decode()) is None


# --- command line -----------------------------------------------------------------------

@CHEAP
@given(st.lists(st.sampled_from(["meeting", "create", "update", "invite", "revoke", "inbox",
                                 "outcome", "--at", "--point", "--participant", "--json",
                                 "--child-age", "--next-followup", "-h"]) | ANY_TEXT, max_size=8))
def test_any_command_line_ends_in_usage_or_one_line_error(argv):
    targets_cli.check_cli_args(argv)


def test_a_meeting_time_before_year_one_in_utc_is_a_one_line_error():
    """Found reading parse_local for the fuzzer: Stockholm's 0001-01-01 00:30 is before
    year 1 in UTC, and astimezone raised OverflowError, a traceback instead of CliError."""
    from bot.cli.admin import _parse_when
    from bot.cli.output import CliError

    with pytest.raises(CliError, match="--at must look like"):
        _parse_when("0001-01-01 00:30")


def test_a_malformed_point_or_participant_is_refused_without_repeating_it():
    """Found by the cli_args target's no-echo check: the errors quoted the value, which
    holds what was decided about a child or a person's name, onto stderr (cron logs)."""
    from bot.services import followups, meetings

    with pytest.raises(ValueError) as point:
        followups.parse_point("Samtal med Alva om mobbning|Omar")
    with pytest.raises(ValueError) as participant:
        meetings.parse_participant("Omar Haddad")
    assert "Alva" not in str(point.value) and "WHAT|WHO|WHEN" in str(point.value)
    assert "Omar" not in str(participant.value) and "Name:role" in str(participant.value)


@STORE
@given(st.binary(max_size=300) | st.integers(0, 1204).flatmap(
    lambda at: st.binary(min_size=1, max_size=8).map(lambda b: (at, b))))
def test_inbox_file_opens_only_the_real_statement_and_quotes_nothing(fuzz_world, content):
    if isinstance(content, tuple):  # the real envelope with a few bytes overwritten
        at, patch = content
        envelope = fuzz_world.envelope
        content = envelope[:at] + patch + envelope[at + len(patch):]
    targets_cli.check_sealed_file(content)
    targets_cli.check_sealed_file(fuzz_world.envelope)


# --- the fuzzer itself, briefly ---------------------------------------------------------

SHORT_RUNS = {"cheap": 2000, "slow": 2000, "store": 2000, "scrypt": 15}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_target_survives_a_short_coverage_guided_run(name, tmp_path):
    from fuzz.__main__ import run_target

    target = TARGETS[name]
    runs = SHORT_RUNS[target.cost]
    result = run_target(name, runs, None if target.cost == "cheap" else 2, tmp_path)
    assert result["crashes"] == 0, open(result["log"], encoding="utf-8", errors="replace").read()[-3000:]
    # A store target may stop at its time limit; it must still have really run.
    assert result["executions"] >= (runs if target.cost == "cheap" else 10)
    assert 0 < result["peak_rss_mb"] < 1536


def test_fuzz_command_prints_executions_speed_crashes_and_memory(tmp_path):
    out = subprocess.run([sys.executable, "-m", "fuzz", "--target", "invite_code", "--runs", "2000",
                          "--json", "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONPATH=REPO))
    assert out.returncode == 0, out.stderr[-2000:]
    (result,) = json.loads(out.stdout.splitlines()[-1])["targets"]
    assert result["target"] == "invite_code" and result["executions"] == 2000
    assert result["crashes"] == 0 and result["exec_per_s"] > 0 and result["peak_rss_mb"] > 0
