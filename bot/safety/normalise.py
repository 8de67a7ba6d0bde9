"""Text normalisation for the crisis detector.

Children and teens write fast and sloppily: no capitals, å/ä/ö typed as a/a/o,
stretched letters ("hjäääälp", "dööö"), split compounds ("själv mord"),
leetspeak ("sj4lvmord"), emoji and invisible characters pasted from other apps.
Patterns are written once against a *folded* form so that every one of these
spellings meets the same regex, instead of each pattern having to anticipate
them.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width, bidi and other invisible format characters. Someone (or a
# keyboard app) can put them inside a word, which would silently break "vill dö"
# into two tokens the patterns never see together.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
# Control characters other than ordinary whitespace are junk, not separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Combining marks left after NFKD: dropping them folds å/ä→a, ö→o, é→e, ü→u.
_COMBINING = re.compile("[\u0300-\u036f]")
# Letters that NFKD does not decompose but that Nordic keyboards produce.
_EXTRA_FOLD_MAP = {"ø": "o", "æ": "a", "œ": "oe", "ł": "l", "ð": "d", "þ": "th", "ß": "ss"}
_EXTRA_FOLD = str.maketrans(_EXTRA_FOLD_MAP)
_EXTRA_FOLD_CHARS = frozenset(_EXTRA_FOLD_MAP)
# Apostrophes and colons inside words are joined, not split: "don't" → "dont",
# "tv:n" → "tvn", "od:a" → "oda"; splitting would create stray one-letter tokens.
_INWORD_PUNCT = re.compile(r"(?<=\w)['’‘`´:](?=\w)")
_INWORD_CHARS = frozenset("'’‘`´:")
# Leetspeak only inside tokens that start with a letter, so that "10st" or
# "112" keep their digits while "sj4lvm0rd" becomes "sjalvmord".
_LEET_TOKEN = re.compile(r"(?<![\w@$])[a-z][a-z0-9@$]*[0-9@$][a-z0-9@$]*")
_LEET_CHARS = frozenset("013457@$")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
# Sentence and clause punctuation. It becomes a "\n" marker, not a space, so
# the detector can keep context checks inside one clause ("jag skär grönsaker,
# jag skär mig" is not an accident) while its patterns still read the marker
# as a plain space.
_CLAUSE_PUNCT = re.compile(r"[.!?;:,\n\r…]+|\s[-–—]+\s")
# Everything else that is not a letter or digit (emoji, symbols) is a word
# separator.
_NON_WORD = re.compile(r"[^\w\s]|_")
# Laughing emoji and emoticons become a LAUGH_MARK ("\x0b") instead of
# vanishing, so the detector can tell which clause a 😂 belongs to.
LAUGH_EMOJI = "😂🤣😆😅😹💀😜😝🙃😛😁😄😃🤪"
LAUGH_MARK = "\x0b"
CLAUSE_MARK = "\n"
# Two regexes that each start with a character class, so the engine can skip
# ahead; each only runs when its characters occur at all. In-word colons
# ("tv:n") are already joined when these run.
_LAUGH_EMOJI_RE = re.compile("[" + LAUGH_EMOJI + "]+")
_LAUGH_EMOJI_CHARS = frozenset(LAUGH_EMOJI)
_EMOTICON_RE = re.compile(r"[:;]-?(?:[dp]\b|\)+)")
# Whitespace runs: a run with a clause mark becomes "\n" (with a laugh mark
# before it if the run had one), else a run with a laugh mark "\x0b", else one
# space. unmark() turns each mark into one space, so a marked form and its
# plain form have the same length and positions. One
# linear pass: a pattern like r"\s*\n\s*" rescans long runs of spaces (5,000
# emoji turned into spaces) from every position and goes quadratic.
_WS_RUN = re.compile(r"\s+")


def _collapse(m: re.Match[str]) -> str:
    run = m.group(0)
    if run == " ":
        return run
    if "\n" in run:
        # "döda mig. 😂": keep the laugh, on the clause it follows.
        return "\x0b\n" if "\x0b" in run else "\n"
    return "\x0b" if "\x0b" in run else " "

# Floods: a group of up to 32 words (with its spaces or clause marks) repeated
# four or more times in a row is kept three times. No pattern needs a fourth
# copy, and a pasted flood ("kms lol kms lol ...", one sentence 20,000 times)
# then costs what three copies cost. Only for long messages: on ordinary ones
# the extra pass would cost time and change nothing.
_FLOOD_MIN_CHARS = 8000
_FLOOD = re.compile(r"(?<![^ \n\x0b])((?:[^ \n\x0b]+[ \n\x0b]){1,32}?)\1{3,}")


def _collapse_floods(text: str) -> str:
    return _FLOOD.sub(lambda m: m.group(1) * 3, text + " ")[:-1]


# "s j ä l v m o r d": three or more single letters separated by spaces.
_SPACED_LETTERS = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
_RUN3 = re.compile(r"([a-z])\1{2,}")


def _contains_any(text: str, chars: frozenset[str]) -> bool:
    # A substring test per character runs in C; building a set of the text
    # (frozenset.intersection) costs about a millisecond on a long message.
    return any(c in text for c in chars)


def strip_invisible(text: str) -> str:
    """Remove zero-width/format characters and control characters (not whitespace)."""
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    return text


def fold(text: str) -> str:
    """NFKC, casefold and strip diacritics, so å/ä/ö and their a/o spellings meet.

    No final NFC: the patterns are ASCII, so recomposing what is left (other
    scripts) would cost time and change no match.
    """
    text = unicodedata.normalize("NFKC", strip_invisible(text)).casefold()
    if _contains_any(text, _EXTRA_FOLD_CHARS):
        text = text.translate(_EXTRA_FOLD)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _base(text: str) -> str:
    """Folded text, words split by single spaces or "\n" clause marks, letter runs intact."""
    text = fold(text)
    # The cheap membership tests skip whole regex passes on ordinary messages;
    # detect() has to stay fast on long ones.
    if _contains_any(text, _INWORD_CHARS):
        text = _INWORD_PUNCT.sub("", text)
    if _contains_any(text, _LEET_CHARS):
        text = _LEET_TOKEN.sub(lambda m: m.group(0).translate(_LEET), text)
    if _contains_any(text, _LAUGH_EMOJI_CHARS):
        text = _LAUGH_EMOJI_RE.sub(LAUGH_MARK, text)
    if ":" in text or ";" in text:
        text = _EMOTICON_RE.sub(LAUGH_MARK, text)
    text = _CLAUSE_PUNCT.sub(CLAUSE_MARK, text)
    text = _NON_WORD.sub(" ", text)
    text = _WS_RUN.sub(_collapse, text)
    text = text.strip(" \n\t\r\f")
    text = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)
    if len(text) > _FLOOD_MIN_CHARS:
        text = _collapse_floods(text)
    return text


def unmark(text: str) -> str:
    """A marked form with its clause and laugh marks turned into plain spaces."""
    # str.replace, not translate: translate is slow on long non-ASCII text.
    return text.replace(CLAUSE_MARK, " ").replace(LAUGH_MARK, " ")


def normalise(text: str) -> str:
    """The canonical folded form: runs of 3+ equal letters shortened to 2.

    Two, not one, because Swedish has real double letters ("vill", "allt"), so
    "villll" must still read "vill".
    """
    return unmark(_RUN3.sub(r"\1\1", _base(text))).strip()


def marked_variants(text: str) -> tuple[str, ...]:
    """Folded forms keeping "\n" for clause ends and "\x0b" for laughing emoji.

    Runs collapsed to 2 letters and to 1: "dööööö" → "doo" and "do",
    "hjääälp" → "hjaalp" and "hjalp". Trying both means patterns never need to
    guess how many letters were stretched.
    """
    base = _base(text)
    two = _RUN3.sub(r"\1\1", base)
    one = _RUN3.sub(r"\1", base)
    return (two,) if one == two else (two, one)


def variants(text: str) -> tuple[str, ...]:
    """Folded forms to match against, words separated by single spaces."""
    return tuple(unmark(form).strip() for form in marked_variants(text))


def compact(text: str) -> str:
    """The folded text without spaces, for compound words typed apart ("själv mord")."""
    return text.replace(" ", "")
