"""The desk's forms: what the coordinator typed, checked, with a Swedish message per field.

A form that fails comes back with everything typed still in it, so nothing is lost to a
typo in the time field.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.services import followups, meetings
from bot.services.audience import band_for_age
from bot.store.models import utcnow
from bot.swedish_dates import parse_local

MAX_TEXT = 4000


@dataclass
class Checked:
    values: dict
    errors: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(form, name: str) -> str:
    return (form.get(name) or "").replace("\r\n", "\n").strip()[:MAX_TEXT]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def starts_at(day: str, time: str) -> tuple[datetime | None, str | None]:
    try:
        when = parse_local(f"{day} {time}")
    except ValueError:
        return None, "Skriv datum och tid, till exempel 2030-05-20 och 09:30."
    if when <= utcnow():
        return None, "Tiden har redan varit. Välj en tid framåt."
    return when, None


def meeting_form(form) -> Checked:
    names = ("child_name", "child_age", "day", "time", "place", "purpose", "purpose_for_child",
             "participants")
    checked = Checked({name: _text(form, name) for name in names})
    v, errors = checked.values, checked.errors
    for name, message in (("child_name", "Skriv barnets namn."), ("place", "Skriv var mötet är."),
                          ("purpose", "Skriv vad mötet handlar om.")):
        if not v[name]:
            errors[name] = message
    when, problem = starts_at(v["day"], v["time"])
    if problem:
        errors["when"] = problem
    band = None
    if v["child_age"]:
        try:
            band = band_for_age(int(v["child_age"]))
        except ValueError:
            errors["child_age"] = "Skriv åldern med siffror, eller lämna tomt."
    people = []
    for line in _lines(v["participants"]):
        try:
            people.append(meetings.parse_participant(line))
        except ValueError:
            errors["participants"] = f"Skriv en person per rad som Namn:roll, till exempel Eva:skola. Rad: {line}"
            break
    checked.data = {"starts_at": when, "child_age_band": band, "participants": people}
    return checked


def change_form(form) -> Checked:
    checked = Checked({name: _text(form, name) for name in ("day", "time", "place", "purpose_for_child")})
    v = checked.values
    when = None
    if v["day"] or v["time"]:
        when, problem = starts_at(v["day"], v["time"])
        if problem:
            checked.errors["when"] = problem
    if not (when or v["place"] or v["purpose_for_child"]) and not checked.errors:
        checked.errors["form"] = "Inget att ändra: fyll i det som ska ändras."
    checked.data = {"starts_at": when}
    return checked


def outcome_form(form) -> Checked:
    checked = Checked({name: _text(form, name) for name in ("text", "points", "answers", "next_followup")})
    v, errors = checked.values, checked.errors
    if not v["text"]:
        errors["text"] = "Skriv vad som bestämdes, med ord som barnet förstår."
    points = []
    for line in _lines(v["points"]):
        try:
            points.append(followups.parse_point(line))
        except ValueError:
            errors["points"] = f"Skriv varje punkt som Vad | Vem | När. Rad: {line}"
            break
    next_day: date | None = None
    if v["next_followup"]:
        try:
            next_day = date.fromisoformat(v["next_followup"])
        except ValueError:
            errors["next_followup"] = "Skriv datumet som 2030-06-17, eller lämna tomt."
    checked.data = {"points": points, "answers": _lines(v["answers"]), "next_followup": next_day}
    return checked


class HandledForms(OrderedDict):
    """Forms already handled, by (session, form id): a double-clicked "Skapa möte" opens the
    meeting the first click made instead of making a second one. In memory: one process."""

    def remember(self, key: tuple, value: str) -> None:
        self[key] = value
        while len(self) > 500:
            self.popitem(last=False)


def outcome_refusal(reason: str) -> str:
    if "erased" in reason:
        return "Mötet är raderat. Inget sparades."
    if "cancelled" in reason:
        return "Mötet är inställt. Inget sparades."
    if "next-followup" in reason:
        return "Uppföljningen måste vara en dag efter mötet."
    return "Det gick inte att spara. Kontrollera fälten."
