"""Helpline data for the crisis response, with a staleness check.

A wrong number shown to a child in crisis is worse than none, so the data lives
in one reviewed file (helplines.yml) with the date it was last verified, and
the operator is warned when that date gets old. Each entry also names its source
page and its own `verified` date, so a reviewer knows where to check it; the file's
top-level date may not be newer than any entry's. The check takes `today` as an
argument so that it is testable without a clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = [
    "DEFAULT_MAX_AGE_DAYS",
    "DEFAULT_PATH",
    "Helpline",
    "Helplines",
    "is_stale",
    "load_helplines",
    "stale_warning",
]

DEFAULT_PATH = Path(__file__).with_name("helplines.yml")
DEFAULT_MAX_AGE_DAYS = 180
_FIELDS = ("key", "name", "number", "when", "for_whom", "text")
_OPTIONAL = ("web", "source")
# A number as dialled in Sweden: digits, with spaces or one area-code dash ("08-702 16 80").
_NUMBER = re.compile(r"^\d+(?:-\d+)?(?: \d+)*$")


@dataclass(frozen=True)
class Helpline:
    key: str
    name: str
    number: str
    when: str
    for_whom: str
    text: str  # Swedish, shown to the child
    web: str = ""  # a site or chat the reader can use, e.g. "bris.se"
    source: str = ""  # the organisation's page the number and hours were checked on
    verified: dt.date | None = None  # when this entry was last checked against `source`

    @property
    def tel(self) -> str:
        """The number as a `tel:` link, so a phone dials it with one tap."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.number) if self.number else ""

    @property
    def web_link(self) -> str:
        if not self.web:
            return ""
        return self.web if self.web.startswith(("https://", "http://")) else "https://" + self.web


@dataclass(frozen=True)
class Helplines:
    verified: dt.date
    lines: tuple[Helpline, ...]

    def get(self, key: str) -> Helpline:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(line.number for line in self.lines if line.number)

    def __getitem__(self, key: str) -> Helpline:
        return self.get(key)


def _as_date(value: object, path: Path) -> dt.date:
    # YAML reads an unquoted 2026-11-23 as a date; accept a quoted one too.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{path}: `verified` must be a date like 2026-11-23, got {value!r}")


def load_helplines(path: str | Path | None = None) -> Helplines:
    """Read and validate helplines.yml (or another file with the same shape).

    Fails loudly on a malformed file: it is better for the operator to see an
    error at start-up than for a child to be shown an empty or broken number.
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "verified" not in data or "lines" not in data:
        raise ValueError(f"{path}: expected top-level `verified` and `lines`")
    verified = _as_date(data["verified"], path)
    raw_lines = data["lines"]
    if not isinstance(raw_lines, list) or not raw_lines:
        raise ValueError(f"{path}: `lines` must be a non-empty list")
    lines = []
    for i, entry in enumerate(raw_lines):
        if not isinstance(entry, dict):
            raise ValueError(f"{path}: line {i} is not a mapping")
        web_only = entry.get("number") == "" and isinstance(entry.get("web"), str) and entry["web"].strip()
        missing = [f for f in _FIELDS if not isinstance(entry.get(f), str)
                   or not (entry[f].strip() or (f == "number" and web_only))]
        if missing:
            # Unquoted numbers (112) load as int: ask for quotes rather than
            # guessing, since "116 111" has to be a string anyway.
            raise ValueError(f"{path}: line {i} ({entry.get('key')!r}) needs text for {missing} (quote numbers)")
        key = entry["key"].strip()
        number = entry["number"].strip()
        if number and not _NUMBER.match(number):
            raise ValueError(f"{path}: line {key!r} has a number that is not digits: {number!r}")
        shown = number or entry["web"].strip()
        if shown not in entry["text"]:
            # The reader sees `text`: a number that is only in `number` is never shown.
            raise ValueError(f"{path}: line {key!r}: `text` must contain {shown!r}")
        extra = {}
        for field in _OPTIONAL:
            value = entry.get(field, "")
            if not isinstance(value, str):
                raise ValueError(f"{path}: line {key!r}: `{field}` must be text")
            extra[field] = value.strip()
        if "source" in entry and not extra["source"].startswith("https://"):
            raise ValueError(f"{path}: line {key!r}: `source` must be an https:// page")
        if "verified" in entry:
            extra["verified"] = _as_date(entry["verified"], path)
            if extra["verified"] < verified:
                raise ValueError(f"{path}: line {key!r} was verified {extra['verified']}, before the "
                                 f"file's `verified` {verified}: the file date must be the oldest")
        lines.append(Helpline(**{f: entry[f].strip() for f in _FIELDS}, **extra))
    keys = [line.key for line in lines]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path}: duplicate keys in {keys}")
    return Helplines(verified=verified, lines=tuple(lines))


def is_stale(helplines: Helplines, today: dt.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> bool:
    """True when the data was verified more than `max_age_days` before `today`."""
    return (today - helplines.verified).days > max_age_days


def _display_path(path: Path) -> str:
    # Relative to the repository when possible: that is what the operator edits.
    repo = Path(__file__).resolve().parents[2]
    try:
        return str(path.resolve().relative_to(repo))
    except ValueError:
        return str(path)


def stale_warning(
    today: dt.date,
    helplines: Helplines | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    path: str | Path | None = None,
) -> str | None:
    """One line for the operator when the helplines need re-checking, else None.

    With only `today`, checks the shipped helplines.yml.
    """
    source = Path(path) if path is not None else DEFAULT_PATH
    if helplines is None:
        helplines = load_helplines(source)
    if not is_stale(helplines, today, max_age_days):
        return None
    return (
        f"helplines in {_display_path(source)} were last verified {helplines.verified.isoformat()} "
        f"(over {max_age_days} days ago): check the numbers and update `verified`"
    )
