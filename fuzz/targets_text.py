"""Typed text, invite codes and the crisis detector: pure functions, cheap per input."""
from __future__ import annotations

import re
import unicodedata

from bot.channels import typed_text
from bot.safety import normalise as crisis_normalise
from bot.safety.detector import CATEGORIES, detect
from bot.services import invites
from fuzz.contract import require
from fuzz.decode import text_of

# NFKC turns one character into at most 18 (U+FDFA); casefold and NFKD add at most a few
# more per character. Anything past this bound would be growth the input did not cause.
GROWTH = 18
BUTTONS = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"},
           {"title": "Hoppa över", "payload": "/skip"}]
_INVISIBLE = frozenset(("Cf", "Cc", "Cs"))


def check_typed_text(text: str) -> None:
    """normalise: idempotent, nothing invisible left, bounded growth; as_typed_text never
    a command; resolve_choice an offered payload or the typed text, never an error."""
    once = typed_text.normalise(text)
    require(len(once) <= GROWTH * len(text), "normalise grew the text past NFKC's bound")
    require(typed_text.normalise(once) == once, "normalise is not idempotent")
    require(all(ch in "\n\t" or unicodedata.category(ch) not in _INVISIBLE for ch in once),
            "normalise left an invisible or control character")
    typed = typed_text.as_typed_text(text)
    require(not typed.startswith("/") and not (typed and typed[0].isspace()),
            "typed text still reads as a command")
    chosen = typed_text.resolve_choice(text, BUTTONS)
    require(chosen in {b["payload"] for b in BUTTONS} or chosen == typed,
            "resolve_choice returned neither an offered payload nor the typed text")


def fuzz_typed_text(data: bytes) -> None:
    check_typed_text(text_of(data))


_SEPARATORS = re.compile(r"[ \-]")


def check_invite_code(text: str) -> None:
    """None, or 12 characters of the code alphabet that were really in the text."""
    code = invites.normalise(text)
    if code is None:
        return
    require(len(code) == invites.CODE_LENGTH and all(c in invites.ALPHABET for c in code),
            "normalised code is not 12 characters of the alphabet")
    require(code in _SEPARATORS.sub("", text).upper(), "the code was not in the text")


def fuzz_invite_code(data: bytes) -> None:
    check_invite_code(text_of(data))


def check_crisis_normaliser(text: str) -> None:
    """Folded forms: bounded growth, no marks left in the plain forms, never an error."""
    bound = 4 * GROWTH * len(text) + 8
    plain = crisis_normalise.normalise(text)
    require(len(plain) <= bound, "normalised form grew unboundedly")
    require("\n" not in plain and crisis_normalise.LAUGH_MARK not in plain,
            "clause or laugh mark left in the plain form")
    for form in crisis_normalise.variants(text):
        require(len(form) <= bound, "variant grew unboundedly")
        require(" " not in crisis_normalise.compact(form), "compact form kept a space")
    for form in crisis_normalise.marked_variants(text):
        require(len(form) <= bound, "marked variant grew unboundedly")


def fuzz_crisis_normaliser(data: bytes) -> None:
    check_crisis_normaliser(text_of(data))


def check_crisis_detector(text: str) -> None:
    """A yes or no with a known category, for any text."""
    found = detect(text)
    require(isinstance(found.crisis, bool), "crisis is not a bool")
    if found.crisis:
        require(found.category in CATEGORIES, "crisis without a known category")
    else:
        require(found.category is None, "a category without a crisis")


def fuzz_crisis_detector(data: bytes) -> None:
    check_crisis_detector(text_of(data))
