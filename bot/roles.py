"""The role catalogue: canonical role names, their common forms, and one line for a child."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.yml"
# For a role not in the catalogue: honest that the bot does not know it, without guessing
# its grammar (en/ett) or its job.
GENERAL_EXPLANATION = (
    "{role} – den rollen vet jag inte så mycket om. Det är en vuxen som jobbar med barn och "
    "unga och är med för att hjälpa till. Du kan fråga hen vad hen gör."
)


@dataclass(frozen=True)
class Role:
    name: str
    explain: str  # whole sentences about the role, for the child
    known: bool = True
    label: str | None = None

    @property
    def title(self) -> str:
        return self.label or self.name


@lru_cache(maxsize=1)
def _catalogue() -> tuple[dict[str, Role], dict[str, str]]:
    raw = yaml.safe_load(ROLES_FILE.read_text(encoding="utf-8"))
    roles = {name: Role(name, entry["about"], label=entry.get("title")) for name, entry in raw.items()}
    forms: dict[str, str] = {}
    for name, entry in raw.items():
        forms[_norm(name)] = name
        for form in entry.get("forms", []):
            forms[_norm(form)] = name
    return roles, forms


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def known_roles() -> list[str]:
    return list(_catalogue()[0])


def match_role(text: str) -> Role | None:
    """The role a word names, case-insensitively and in common forms; None if unknown."""
    roles, forms = _catalogue()
    name = forms.get(_norm(text))
    return roles[name] if name else None


def find_role_span(text: str) -> tuple[int, int] | None:
    """Where in `text` the first known role is named (start, end), or None.

    "hur kan bup hjälpa mig", "god man", "sip-samordnaren": case-insensitive, in common
    forms; the longest form wins where two start at the same word.
    """
    _roles, forms = _catalogue()
    words = list(re.finditer(r"[\wåäöéü]+", text))
    longest = max((len(f.split()) for f in forms), default=1)
    for start in range(len(words)):
        for size in range(min(longest, len(words) - start), 0, -1):
            phrase = " ".join(w.group().casefold() for w in words[start:start + size])
            if phrase in forms:
                return words[start].start(), words[start + size - 1].end()
    return None


def find_role(text: str) -> str | None:
    """The first known role named anywhere in `text`, as written there."""
    span = find_role_span(text)
    return text[span[0]:span[1]] if span else None


def explain(role_text: str) -> Role:
    """Always an answer: the known role, or a kind general explanation."""
    known = match_role(role_text)
    if known:
        return known
    name = " ".join(role_text.split()).lower()
    return Role(name, GENERAL_EXPLANATION.replace("{role}", name[:1].upper() + name[1:]), known=False)
