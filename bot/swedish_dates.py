"""Dates shown to people, in Swedish long form (`måndag 20 maj 2030 kl. 09.30`).

Meetings are stored in UTC and shown in Europe/Stockholm time.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]


def parse_local(text: str) -> datetime:
    """`YYYY-MM-DD HH:MM` in Stockholm time → naive UTC for the store."""
    local = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=STOCKHOLM)
    try:
        return local.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        # "0001-01-01 00:30" in Stockholm is before year 1 in UTC: a bad date like any other.
        raise ValueError("date out of range") from None


def to_local(utc_naive: datetime) -> datetime:
    return utc_naive.replace(tzinfo=timezone.utc).astimezone(STOCKHOLM)


def long_form(utc_naive: datetime) -> str:
    local = to_local(utc_naive)
    return (f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} "
            f"{local.year} kl. {local:%H.%M}")


def short_day(utc_naive: datetime) -> str:
    """`14 mars`: for notices where the weekday and time would be noise."""
    local = to_local(utc_naive)
    return f"{local.day} {MONTHS[local.month - 1]}"
