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

VERIFIED = dt.date(2026, 11, 23)


def _write(tmp_path: Path, verified: str, number: str = '"112"') -> Path:
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
""",
        encoding="utf-8",
    )
    return path


def _helplines(verified: dt.date) -> Helplines:
    return Helplines(verified=verified, lines=(Helpline("emergency", "112", "112", "Alltid.", "Alla.", "Ring 112."),))


def test_shipped_file_has_all_four_numbers():
    helplines = load_helplines()
    assert helplines.verified == VERIFIED
    numbers = {line.key: line.number for line in helplines.lines}
    assert numbers == {"emergency": "112", "bris": "116 111", "suicide_line": "90101", "healthcare": "1177"}


def test_shipped_entries_are_complete_and_in_swedish():
    helplines = load_helplines()
    for line in helplines.lines:
        assert all(getattr(line, f).strip() for f in ("key", "name", "number", "when", "for_whom", "text"))
        # The child reads `text`: it must name the number to call.
        assert line.number in line.text
    assert "bris.se" in helplines.get("bris").text
    assert "mind.se" in helplines.get("suicide_line").text
    assert "Självmordslinjen" == helplines.get("suicide_line").name
    assert "dygnet runt" in helplines.get("healthcare").when.lower()
    assert "dygnet runt" in helplines.get("bris").when.lower()
    assert "dygnet runt" in helplines.get("suicide_line").when.lower()


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
        "helplines in bot/safety/helplines.yml were last verified 2026-11-23 "
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
