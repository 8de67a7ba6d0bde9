"""Tests for bot/safety/helplines: data completeness and the staleness check.

All dates are explicit: nothing here depends on the clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.safety.helplines import (
    DEFAULT_MAX_AGE_DAYS,
    Helpline,
    Helplines,
    is_stale,
    load_helplines,
    stale_warning,
)

VERIFIED = dt.date(2026, 12, 1)


def _write(tmp_path: Path, verified: str, number: str = '"112"', extra: str = "") -> Path:
    path = tmp_path / "helplines.yml"
    path.write_text(
        f"""verified: {verified}
lines:
  - key: emergency
    name: "112"
    number: {number}
    when: "Alltid."
    for_whom: "Alla."
    text: "Ring 112."
{extra}""",
        encoding="utf-8",
    )
    return path


def _helplines(verified: dt.date) -> Helplines:
    return Helplines(verified=verified, lines=(Helpline("emergency", "112", "112", "Alltid.", "Alla.", "Ring 112."),))


def test_shipped_file_has_every_service_the_help_names():
    helplines = load_helplines()
    assert helplines.verified == VERIFIED
    numbers = {line.key: line.number for line in helplines.lines}
    assert numbers["emergency"] == "112"
    assert numbers["bris"] == "116 111"
    assert numbers["bris_adult"] == "077-150 50 50"
    assert numbers["suicide_line"] == "90101"
    assert numbers["jourhavande_medmanniska"] == "08-702 16 80"
    assert numbers["healthcare"] == "1177"
    assert numbers["police"] == "114 14"
    assert numbers["kvinnofridslinjen"] == "020-50 50 50"
    assert helplines.get("police_tip").web == "polisen.se"
    assert helplines.get("origo").web == "origostockholm.se"


def test_shipped_entries_are_complete_and_name_their_source():
    helplines = load_helplines()
    for line in helplines.lines:
        assert all(getattr(line, f).strip() for f in ("key", "name", "when", "for_whom", "text"))
        # The reader sees `text`: it must name the number to call (or the site, if web-only).
        assert (line.number or line.web) in line.text
        assert line.source.startswith("https://"), line.key
        assert line.verified is not None and line.verified >= helplines.verified, line.key
    assert "bris.se" in helplines.get("bris").text
    assert "mind.se" in helplines.get("suicide_line").text
    assert "Självmordslinjen" == helplines.get("suicide_line").name
    assert "dygnet runt" in helplines.get("healthcare").when.lower()
    assert "dygnet runt" in helplines.get("bris").when.lower()
    assert "dygnet runt" in helplines.get("suicide_line").when.lower()
    assert "21 till 06" in helplines.get("jourhavande_medmanniska").when
    assert "polisen.se" in helplines.get("police_tip").source


def test_get_unknown_key_raises():
    with pytest.raises(KeyError):
        load_helplines().get("nope")


def test_fresh_and_stale_around_the_limit():
    helplines = _helplines(dt.date(2026, 1, 1))
    assert not is_stale(helplines, dt.date(2026, 1, 1))
    assert not is_stale(helplines, dt.date(2026, 6, 30))  # 180 days: still fresh
    assert is_stale(helplines, dt.date(2026, 7, 1))  # 181 days: stale
    assert is_stale(helplines, dt.date(2027, 1, 1))
    assert DEFAULT_MAX_AGE_DAYS == 180


def test_custom_max_age():
    helplines = _helplines(dt.date(2026, 1, 1))
    assert is_stale(helplines, dt.date(2026, 1, 31), max_age_days=29)
    assert not is_stale(helplines, dt.date(2026, 1, 31), max_age_days=30)


def test_shipped_file_is_fresh_on_its_verified_date_and_stale_later():
    assert stale_warning(VERIFIED) is None
    assert stale_warning(VERIFIED + dt.timedelta(days=180)) is None
    warning = stale_warning(VERIFIED + dt.timedelta(days=181))
    assert warning == (
        "helplines in bot/safety/helplines.yml were last verified 2026-12-01 "
        "(over 180 days ago): check the numbers and update `verified`"
    )


def test_stale_warning_for_another_file(tmp_path):
    path = _write(tmp_path, "2026-01-01")
    assert stale_warning(dt.date(2026, 3, 1), path=path) is None
    warning = stale_warning(dt.date(2026, 12, 1), path=path)
    assert warning is not None
    assert "last verified 2026-01-01 (over 180 days ago)" in warning
    assert "update `verified`" in warning
    assert "\n" not in warning


def test_stale_warning_with_loaded_helplines():
    helplines = _helplines(dt.date(2026, 1, 1))
    assert stale_warning(dt.date(2026, 2, 1), helplines=helplines) is None
    assert "2026-01-01" in stale_warning(dt.date(2026, 9, 1), helplines=helplines)


def test_quoted_date_is_accepted(tmp_path):
    assert load_helplines(_write(tmp_path, '"2026-05-05"')).verified == dt.date(2026, 5, 5)


@pytest.mark.parametrize(
    "verified, number, message",
    [
        ("not-a-date", '"112"', "verified"),
        ("2026-01-01", "112", "quote numbers"),
        ("2026-01-01", '"one-one-two"', "not digits"),
    ],
)
def test_malformed_file_fails_loudly(tmp_path, verified, number, message):
    with pytest.raises(ValueError, match=message):
        load_helplines(_write(tmp_path, verified, number))


def test_missing_lines_fails(tmp_path):
    path = tmp_path / "h.yml"
    path.write_text("verified: 2026-01-01\nlines: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="non-empty"):
        load_helplines(path)


ENTRY = """  - key: other
    name: "Other"
    number: {number}
    web: {web}
    when: "Dagtid."
    for_whom: "Alla."
    text: {text}
"""


def test_a_web_only_entry_is_accepted_and_has_no_number(tmp_path):
    extra = ENTRY.format(number='""', web='"exempel.se"', text='"Läs på exempel.se."')
    helplines = load_helplines(_write(tmp_path, "2026-01-01", extra=extra))
    assert helplines.get("other").web == "exempel.se"
    assert helplines.numbers == ("112",)


def test_an_area_code_number_is_accepted(tmp_path):
    extra = ENTRY.format(number='"08-702 16 80"', web='""', text='"Ring 08-702 16 80."')
    assert load_helplines(_write(tmp_path, "2026-01-01", extra=extra)).get("other").number == "08-702 16 80"


@pytest.mark.parametrize(
    "number, web, text, message",
    [
        ('""', '""', '"Ring oss."', "needs text for"),  # neither a number nor a site
        ('"116 006"', '""', '"Ring oss."', "must contain"),  # the reader would never see the number
        ('""', '"exempel.se"', '"Läs mer."', "must contain"),
        ('"08--70"', '""', '"Ring 08--70."', "not digits"),
    ],
)
def test_an_entry_the_reader_could_not_use_fails_loudly(tmp_path, number, web, text, message):
    extra = ENTRY.format(number=number, web=web, text=text)
    with pytest.raises(ValueError, match=message):
        load_helplines(_write(tmp_path, "2026-01-01", extra=extra))


def test_the_file_date_may_not_be_newer_than_an_entry(tmp_path):
    # Otherwise an old entry would hide behind a fresh top-level date.
    extra = ENTRY.format(number='"1177"', web='""', text='"Ring 1177."') + "    verified: 2025-06-01\n"
    with pytest.raises(ValueError, match="oldest"):
        load_helplines(_write(tmp_path, "2026-01-01", extra=extra))


def test_a_source_must_be_an_https_page(tmp_path):
    extra = ENTRY.format(number='"1177"', web='""', text='"Ring 1177."') + '    source: "1177.se"\n'
    with pytest.raises(ValueError, match="https"):
        load_helplines(_write(tmp_path, "2026-01-01", extra=extra))
