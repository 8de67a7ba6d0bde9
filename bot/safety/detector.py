"""Rule-based crisis detector for SIP-kompis.

A child who writes that they want to die, hurt themselves, are abused,
threatened or in acute danger must be shown help at once, whatever the dialogue
engine is doing. This module has no dependency on Rasa so that it can run first
on every message and be tested alone.

It is tuned for recall. Rules (not a model) because they are predictable,
reviewable phrase by phrase, and cheap enough for every message: `detect()` on
a 5,000-character message takes a few milliseconds.

How a message is judged:
1. `normalise.marked_variants` folds it (case, å/ä/ö, stretched letters,
   leetspeak, invisible characters) and keeps two one-character marks: "\n"
   where a clause ended (. , ! ? ...) and "\x0b" for laughing emoji (😂, :D).
   The rules read both marks as spaces; context checks use them to stay
   inside one clause, so what a child says about one thing never explains
   away another ("jag skär grönsaker, jag skär mig").
2. Guard phrases (hyperbole, games, everyday idioms) are masked out. A guard
   only covers its own phrase and cannot cross a clause mark, so a crisis
   signal elsewhere still counts. Joke guards step aside when the child says
   they mean it ("på riktigt").
3. Crisis rules (patterns.RULES) run on the masked text; sexual-abuse rules run
   on the unmasked text so no guard can ever hide them. Compound keywords are
   also matched with spaces removed ("själv mord"), and a few keywords with
   one typo ("sjävmord").
4. "Soft" rules (wording teens also use as a joke) are ignored when the phrase
   itself is laughed about or about something trivial, unless the child says
   they mean it. Who did it (adult, peer, the child) and "now"/"tonight"
   refine the category.
5. The most urgent matching category wins (see patterns.PRIORITY).
6. Only when no rule matched at all (none fired, none was excused, no guard
   masked anything), a character n-gram model (classifier.py) trained on the
   labelled sets may still call it a crisis: when it is confident, a crisis
   topic is named and nobody is joking. It raises recall on phrasings no rule
   was written for; the rules stay the ones that explain a decision.

Speed: every pattern is compiled once, anchored on the space before a word,
and skipped entirely when no word of the message starts the way it needs.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from dataclasses import dataclass

from . import classifier
from . import patterns as P
from .normalise import CLAUSE_MARK, LAUGH_MARK, compact, marked_variants, unmark

try:  # Python 3.11+ moved the regex parser; 3.10 still has sre_parse.
    import re._constants as _sre_constants  # type: ignore[import-not-found]
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the Python version
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

(ASSERT, ASSERT_NOT, AT, AT_BOUNDARY, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, RANGE,
 SUBPATTERN) = (getattr(_sre_constants, name) for name in (
    "ASSERT", "ASSERT_NOT", "AT", "AT_BOUNDARY", "BRANCH", "IN", "LITERAL", "MAX_REPEAT",
    "MIN_REPEAT", "RANGE", "SUBPATTERN"))

__all__ = ["CATEGORIES", "Detection", "as_json", "detect", "explain"]

CATEGORIES: tuple[str, ...] = P.PRIORITY


@dataclass(frozen=True)
class Detection:
    crisis: bool
    category: str | None


_NO_CRISIS = Detection(False, None)

# --------------------------------------------------------------- compilation
_PLACEHOLDER = re.compile(r"<([A-Z_]+)>")


def _top_level_alternatives(body: str) -> list[str] | None:
    """Split "a|b|(?:c|d)" at its top-level bars; None when brackets do not balance."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts if depth == 0 and not in_class else None


def _factor(fragment: str) -> str:
    """Group a word list's alternatives by first letter behind a one-letter lookahead.

    "(?:mamma|mamman|pappa|...)" is tried branch by branch at every word of a
    message; with "(?:(?=m)(?:mamma|mamman)|(?=p)(?:pappa|...))" the engine
    skips a whole group on one character. Only runs of alternatives that start
    with a plain letter are regrouped, and only alternatives with different
    first letters change order - they can never match at the same place - so
    every match is the same as before.
    """
    if not (fragment.startswith("(?:") and fragment.endswith(")")):
        return fragment
    alternatives = _top_level_alternatives(fragment[3:-1])
    if not alternatives or len(alternatives) < 8:
        return fragment
    out: list[str] = []
    run: dict[str, list[str]] = {}

    def flush() -> None:
        for letter, members in run.items():
            out.append(f"(?={letter})(?:{'|'.join(members)})" if len(members) > 1 else members[0])
        run.clear()

    for alt in alternatives:
        if alt[:1].isalpha() and alt[:1].isascii():
            run.setdefault(alt[0], []).append(alt)
        else:
            flush()
            out.append(alt)
    flush()
    return "(?:" + "|".join(out) + ")"


_FRAGMENTS = {name: _factor(value) for name, value in P.FRAGMENTS.items()}


def _expand(pattern: str) -> str:
    # Fragments may themselves contain placeholders (TAKE_PAST uses <MIG>).
    for _ in range(5):
        expanded = _PLACEHOLDER.sub(lambda m: _FRAGMENTS[m.group(1)], pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"placeholder loop in pattern: {pattern[:80]}")


def _first_chars(items) -> tuple[set[str] | None, bool]:
    """Characters a parsed regex can start with, and whether it can match empty.

    None means "could be anything"; the caller then leaves out the lookahead.
    """
    chars: set[str] = set()
    for op, av in items:
        if op is LITERAL:
            return chars | {chr(av)}, False
        if op is IN:
            for iop, iav in av:
                if iop is LITERAL:
                    chars.add(chr(iav))
                elif iop is RANGE and iav[1] - iav[0] < 200:
                    chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
                else:
                    return None, False
            return chars, False
        if op in (AT, ASSERT, ASSERT_NOT):
            continue  # zero width
        if op is SUBPATTERN:
            sub, nullable = _first_chars(av[-1])
        elif op is BRANCH:
            sub, nullable = set(), False
            for branch in av[1]:
                b, n = _first_chars(branch)
                if b is None:
                    return None, False
                sub |= b
                nullable = nullable or n
        elif op in (MAX_REPEAT, MIN_REPEAT):
            sub, nullable = _first_chars(av[2])
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        chars |= sub
        if not nullable:
            return chars, False
    return chars, True


def _starts_at_word(parsed) -> bool:
    """True when every top-level alternative begins with \\b."""
    items = list(parsed)
    if len(items) == 1 and items[0][0] is BRANCH:
        return all(b and b[0][0] is AT and b[0][1] is AT_BOUNDARY for b in items[0][1][1])
    return bool(items) and items[0][0] is AT and items[0][1] is AT_BOUNDARY


_PREFIX_LEN = 5
_PREFIX_LIMIT = 20000


def _prefixes(parsed, k: int = _PREFIX_LEN) -> frozenset[str] | None:
    """Word beginnings (up to k chars) that every match must start with one of.

    Used to skip a pattern when no word of the message starts the way it needs.
    Conservative by construction: wherever the parse tree is not understood
    (\\w, back-references, ...) the prefix is cut short there, and a shorter
    prefix matches more words, never fewer. None: no useful prefix, always run.
    """

    def run(items, partials: set[str]) -> tuple[set[str], set[str]]:
        finished: set[str] = set()
        for op, av in items:
            if not partials:
                break
            if op is LITERAL:
                partials = {p + chr(av) for p in partials}
            elif op is IN:
                chars: set[str] | None = set()
                for iop, iav in av:
                    if iop is LITERAL:
                        chars.add(chr(iav))
                    elif iop is RANGE and iav[1] - iav[0] < 200:
                        chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
                    else:
                        chars = None
                        break
                if chars is None:
                    finished |= partials
                    partials = set()
                    break
                partials = {p + c for p in partials for c in chars}
            elif op in (AT, ASSERT, ASSERT_NOT):
                continue  # zero width: ignoring an assertion only widens the set
            elif op is SUBPATTERN:
                partials, done = run(av[-1], partials)
                finished |= done
            elif op is BRANCH:
                out: set[str] = set()
                for branch in av[1]:
                    p2, done = run(branch, partials)
                    out |= p2
                    finished |= done
                partials = out
            elif op in (MAX_REPEAT, MIN_REPEAT):
                low, high, inner = av
                out = set(partials) if low == 0 else set()
                current = partials
                for count in range(1, min(high, k) + 1):
                    current, done = run(inner, current)
                    finished |= done
                    if count >= low:
                        out |= current
                    if not current:
                        break
                if low > k:  # cannot follow every required repeat: stop here
                    finished |= current
                    out = set()
                partials = out
            else:
                finished |= partials
                partials = set()
                break
            full = {p for p in partials if len(p) >= k}
            finished |= {p[:k] for p in full}
            partials -= full
            if len(partials) + len(finished) > _PREFIX_LIMIT:
                raise OverflowError
        return partials, finished

    try:
        partials, finished = run(list(parsed), {""})
    except OverflowError:
        return None
    # Keep only the part inside the first word (plus its trailing space), so
    # the message side can be built from its distinct words alone.
    result = {p[: p.index(" ") + 1] if " " in p else p for p in finished | partials}
    return None if not result or "" in result else frozenset(result)


@dataclass(frozen=True)
class _Part:
    """One compiled pattern and the word beginnings it needs."""

    regex: re.Pattern[str]
    prefixes: frozenset[str] | None  # None: always run
    id: int = -1  # position in _PARTS, for the prefix index

    def may_match(self, words: set[str]) -> bool:
        return self.prefixes is None or not words.isdisjoint(self.prefixes)


# Every compiled part, so that _PREFIX_INDEX can name them by position.
_PARTS: list[_Part] = []


def _registered(part: _Part) -> _Part:
    part = dataclasses.replace(part, id=len(_PARTS))
    _PARTS.append(part)
    return part


def _make_part(pattern: str, lead: str = " ") -> _Part:
    """Compile a word-anchored pattern for the space-led text `_scan` builds.

    Every pattern starts at a word boundary, and the scanned text is " " +
    folded text, where words are separated by single spaces. So a leading
    literal space (plus a lookahead on the possible first letters) finds the
    same matches as the leading \\b, but lets the regex engine jump from space
    to space instead of testing a boundary at every character: several times
    faster on long messages. Patterns that do not start with \\b are compiled
    as they are and not prefiltered. Guards use lead "[ \\n]" so that they can
    also start right after a clause mark.
    """
    expanded = _expand(pattern)
    parsed = _sre_parse.parse(expanded)
    if not _starts_at_word(parsed):
        return _registered(_Part(re.compile(expanded), None))
    first, nullable = _first_chars(parsed)
    lookahead = "(?=[" + "".join(re.escape(c) for c in sorted(first)) + "])" if first and not nullable else ""
    return _registered(_Part(re.compile(lead + lookahead + "(?:" + expanded + ")"), _prefixes(parsed)))


@dataclass(frozen=True)
class _Rule:
    spec: P.RuleSpec
    parts: tuple[_Part, ...]
    best_rank: int  # the most urgent category this rule can ever produce


_RANK = {cat: i for i, cat in enumerate(P.PRIORITY)}


def _make_rule(spec: P.RuleSpec) -> _Rule:
    possible = {spec.category, *(c for c in spec.subject.values() if c)}
    if spec.now or spec.acute_if_tonight:
        possible.add(P.ACUTE)
    if spec.requires == "not_neglect":
        possible.add(P.NEGLECT)
    if spec.victim:
        possible.add(P.FRIEND)
    if possible & {P.ABUSE, P.VIOLENCE}:
        possible.add(P.HONOUR)  # see _judge: family threats about honour
    best = min(_RANK[c] for c in possible)
    return _Rule(spec, tuple(_make_part(p) for p in spec.patterns), best)


# Compiled once at import: detect() runs on every chat message. Each pattern is
# its own regex so that the word-prefix filter can skip every pattern that
# cannot match the message at hand. Most urgent rules first, so detect() can
# skip rules that could no longer change the answer.
_RULES: tuple[_Rule, ...] = tuple(sorted((_make_rule(spec) for spec in P.RULES), key=lambda r: r.best_rank))
# Guards run on the clause-marked text, so a guard phrase cannot reach across
# a sentence or comma into a crisis phrase next to it.
_GUARDS: tuple[_Part, ...] = tuple(_make_part(p, "[ \n]") for p in P.GUARD_PATTERNS)
_JOKE_GUARDS: tuple[_Part, ...] = tuple(_make_part(p, "[ \n]") for p in P.JOKE_GUARD_PATTERNS)
_NONPERSON_GUARD = _make_part(P.NONPERSON_SUBJECT_GUARD)
# Word beginning -> ids of the parts that need it. Looking up the message's
# word beginnings here finds exactly the parts `may_match` would let through,
# but in one pass over the message instead of one set test per pattern (there
# are several hundred patterns; most messages are short).
_PREFIX_INDEX: dict[str, tuple[int, ...]] = {}
for _part in _PARTS:
    for _prefix in _part.prefixes or ():
        _PREFIX_INDEX[_prefix] = _PREFIX_INDEX.get(_prefix, ()) + (_part.id,)
_ALWAYS_RUN = frozenset(p.id for p in _PARTS if p.prefixes is None)


def _candidates(starts: set[str]) -> set[int]:
    """Ids of the parts that may match a message with these word beginnings."""
    found = set(_ALWAYS_RUN)
    for prefix in starts:
        ids = _PREFIX_INDEX.get(prefix)
        if ids:
            found.update(ids)
    return found


_HELP_CRY = re.compile(_expand(P.HELP_CRY_PATTERN))
_LAUGH = _make_part(P.LAUGH_PATTERN).regex
_LAUGH_WORD = re.compile(_expand(P.LAUGH_PATTERN))
# Searched on the clause-marked text ("..., på riktigt"): lead may be a mark.
_SERIOUS = _make_part(P.SERIOUS_PATTERN, "[ \n]").regex
# Context checks run on short windows or once per message: plain \b is fine.
_TRIVIAL = re.compile(_expand(P.TRIVIAL_PATTERN))
_PLAY = re.compile(_expand(P.PLAY_PATTERN))
_ACCIDENT = re.compile(_expand(P.ACCIDENT_PATTERN))
_INTENT = re.compile(_expand(P.INTENT_PATTERN))
_THREAT_CONTEXT = re.compile(_expand(P.THREAT_CONTEXT_PATTERN))
_NEGLECT = re.compile(_expand(P.NEGLECT_PATTERN))
_NOW_AFTER = re.compile(_expand(P.NOW_AFTER_PATTERN))
_NOW_BEFORE = re.compile(_expand(P.NOW_BEFORE_PATTERN))
_AGENT_AFTER = re.compile(_expand(P.AGENT_AFTER_PATTERN))
_TONIGHT = re.compile(_expand(P.TONIGHT_PATTERN))
_PUBLIC_PLACE = re.compile(_expand(P.PUBLIC_PLACE_PATTERN))
_HOME = re.compile(_expand(P.HOME_PATTERN))
_SUICIDE_CONTEXT = re.compile(_expand(P.SUICIDE_CONTEXT_PATTERN))
_PILL_CONTEXT = re.compile(_expand(P.PILL_CONTEXT_PATTERN))
_PICS_CONTEXT = re.compile(_expand(P.PICS_CONTEXT_PATTERN))
_HONOUR_CONTEXT = re.compile(_expand(P.HONOUR_CONTEXT_PATTERN))
_FRIEND_CONTEXT = re.compile(_expand(P.FRIEND_CONTEXT_PATTERN))
_ADULT_AGE_CONTEXT = re.compile(_expand(P.ADULT_AGE_CONTEXT_PATTERN))
_NONFAMILY_PEER = re.compile(_expand(P.NONFAMILY_PEER_PATTERN))
_FIRST_PERSON = re.compile(_expand(P.FIRST_PERSON_PATTERN))
_THIRD_PERSON_WORD = re.compile(_expand(P.THIRD_PERSON_WORD_PATTERN))
_THIRD_PRONOUN = re.compile(_expand(P.THIRD_PRONOUN_PATTERN))
_RECEIVER = re.compile(_expand(r"\b(?:till|at|to) (?:<MIG>|me)\b"))
_THIRD_OBJECT = re.compile(r"(?:henne|honom|hen|her|him)\b")
_HOUSEHOLD_WORD = re.compile(_expand(P.HOUSEHOLD_WORD_PATTERN))
_OTHERS_HOME_WORD = re.compile(_expand(P.OTHERS_HOME_WORD_PATTERN))
_VICTIM_SKIP = P.VICTIM_SKIP_WORDS
# Verbs that put the subject right after them: "nu blir hon hotad".
_PLURAL_THIRD = frozenset("de dom dem they".split())
_V2_VERBS = frozenset("blir blev ar var har hade ska kommer vill far fick".split())
# Harm to a parent or sibling in these is harm in the writer's own home.
_HOME_CATEGORIES = (P.ABUSE, P.NEGLECT, P.VIOLENCE)
_REQUIRED_CONTEXT = {
    "threat_context": ("threat", _THREAT_CONTEXT),
    "suicide_context": ("suicide", _SUICIDE_CONTEXT),
    "pill_context": ("pill", _PILL_CONTEXT),
    "pics_context": ("pics", _PICS_CONTEXT),
    "honour_context": ("honour", _HONOUR_CONTEXT),
    "friend_context": ("friend", _FRIEND_CONTEXT),
    "adult_age_context": ("adult_age", _ADULT_AGE_CONTEXT),
    "friend_or_sibling_context": ("friend_or_sibling", re.compile(_expand(P.FRIEND_OR_SIBLING_CONTEXT_PATTERN))),
}
_SUBJECTS = {name: re.compile(_expand(p)) for name, p in P.SUBJECT_PATTERNS.items()}
# (compact regex, the same keyword at a word start in the spaced text, category)
_COMPACT = tuple((re.compile(p), re.compile(rf"\b(?:{p})"), cat) for p, cat in P.COMPACT_KEYWORDS)
# Tie-break when two subjects end at the same place ("mammas kille" is an adult).
_SUBJECT_ORDER = ("adult", "peer", "self", "pron", "group")
_MASK = " | "
# A conjunction starts a new clause for the accident check: "jag skär mig och
# kniven i slöjden var slö" is not an accident.
# (A laugh mark can stand where the space was: "skratt 😂 och jag ...".)
_CLAUSE_JOIN = re.compile(r"[ \x0b](?:och|o|men|sen|sedan|fast)\b")
_MAX_HITS_PER_RULE = 20
# Matches judged per pattern in detect(): a message that repeats a phrase
# hundreds of times ("kms lol kms lol ...") gains nothing from judging each
# copy, and judging is the costly part. explain() still judges every match.
_MAX_JUDGED_PER_PART = 40


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


# One-typo tolerance via deletion neighbourhoods: two strings are within one
# edit (insert, delete, substitute, most transpositions) when their deletion
# sets meet. Precomputed so that long messages stay cheap.
_FUZZY = tuple((kw, cat, {kw} | _deletions(kw)) for kw, cat in P.FUZZY_KEYWORDS)
_FUZZY_INITIALS = frozenset(kw[0] for kw, _, _ in _FUZZY)
_FUZZY_EXACT = tuple(kw for kw, _, _ in _FUZZY)


# ----------------------------------------------------------------- judging
@dataclass(frozen=True)
class _Context:
    laugh: bool
    serious: bool


class _Text:
    """One scanned text: what the rules read (`s`) and its marked twin.

    `marked` has the same length and positions as `s` but keeps the clause and
    laugh marks. Facts about the whole message are computed once and cached:
    a rule may reject hundreds of matches in a long message, and repeating a
    whole-message search for each would make detect() quadratic.
    """

    __slots__ = ("s", "marked", "_facts", "_laughs")

    def __init__(self, s: str, marked: str) -> None:
        self.s = s
        self.marked = marked
        self._facts: dict[str, bool] = {}
        self._laughs: list[int] | None = None

    def has(self, name: str, regex: re.Pattern[str]) -> bool:
        if name not in self._facts:
            self._facts[name] = bool(regex.search(self.s))
        return self._facts[name]

    def laugh_positions(self) -> list[int]:
        """Sorted positions of laugh marks (😂, :D) and laughing words (haha, lol)."""
        if self._laughs is None:
            positions = [m.start() for m in re.finditer(LAUGH_MARK, self.marked)] if LAUGH_MARK in self.marked else []
            positions += [m.start() for m in _LAUGH_WORD.finditer(unmark(self.marked))]
            self._laughs = sorted(positions)
        return self._laughs

    def laugh_between(self, start: int, end: int) -> bool:
        positions = self.laugh_positions()
        i = bisect_left(positions, start)
        return i < len(positions) and positions[i] < end


def _word_prefixes(words: set[str]) -> set[str]:
    """Beginnings (1..k chars) of the message's distinct words, and "word " when short."""
    # Every pattern starts with an ASCII letter or digit; other words cannot
    # start a match, and skipping them keeps messages in other scripts cheap.
    words = {w for w in words if w[0] <= "z"}
    out: set[str] = set()
    for n in range(1, _PREFIX_LEN + 1):
        out |= {w[:n] for w in words}
    out |= {w + " " for w in words if len(w) < _PREFIX_LEN}
    return out


def _window(s: str, start: int, end: int, width: int) -> str:
    return s[max(0, start - width) : end + width]


# Clause-limited context. `marked` is the scanned text with "\n" where the
# child put a full stop, comma, question mark ...: what someone says about one
# clause must not explain away another.
def _before(marked: str, start: int, width: int) -> str:
    return marked[max(0, start - width) : start].rsplit("\n", 1)[-1]


def _after(marked: str, end: int, width: int) -> str:
    return marked[end : end + width].split("\n", 1)[0]


def _until_join(after: str) -> str:
    """Text after a match up to the next "och/men/sen ..." (a new clause)."""
    joined = _CLAUSE_JOIN.search(after)
    return after[: joined.start()] if joined else after


def _since_join(before: str) -> str:
    """Text before a match back to the last "och/men/sen ..." (its own clause)."""
    last = None
    for last in _CLAUSE_JOIN.finditer(before):
        pass
    return before[last.end() :] if last else before


def _clause_window(marked: str, start: int, end: int, width: int) -> str:
    return _before(marked, start, width) + marked[start:end] + _after(marked, end, width)


def _has_laugh(text: str) -> bool:
    return LAUGH_MARK in text or bool(_LAUGH.search(" " + unmark(text)))


def _only_laugh(text: str) -> bool:
    words = unmark(text).split()
    return (LAUGH_MARK in text and not words) or (bool(words) and all(_LAUGH_WORD.fullmatch(w) for w in words))


def _laugh_near(text: _Text, start: int, end: int) -> bool:
    """Is the soft phrase at start..end itself joked about?

    Laughter counts in the phrase's own clause and the next one ("mamma kommer
    döda mig, tappade mobilen i toan 😂"), and in a clause just before that is
    nothing but laughter ("lol, mamma kommer döda mig"). A "haha" in an
    earlier, unrelated sentence does not turn a threat into a joke.
    """
    marked = text.marked
    clause_start = marked.rfind(CLAUSE_MARK, 0, start) + 1
    # Laughter before an "och/men" earlier in the clause belongs to that part:
    # "jag dog av skratt 😂 och jag vill slå ihjäl honom".
    # (Bounded look-back: a whole unpunctuated message is one "clause".)
    lookback = max(clause_start, start - 80)
    joined = _since_join(marked[lookback:start])
    if len(joined) < start - lookback:
        clause_start = start - len(joined)
    first_end = marked.find(CLAUSE_MARK, end)
    scope_end = len(marked) if first_end < 0 else marked.find(CLAUSE_MARK, first_end + 1)
    if scope_end < 0:
        scope_end = len(marked)
    if text.laugh_between(clause_start, scope_end):
        return True
    if clause_start > 0 and marked[clause_start - 1] == CLAUSE_MARK:
        previous_start = marked.rfind(CLAUSE_MARK, 0, clause_start - 1) + 1
        # A laugh-only clause is short; a long one is something else.
        if clause_start - previous_start <= 40:
            return _only_laugh(marked[previous_start : clause_start - 1])
    return False


def _is_accident(marked: str, start: int, end: int) -> bool:
    """An accident explained in the same clause: "skar mig på ett papper".

    The explanation follows the injury ("... i fingret när jag lagade mat") or
    comes right before it ("råkade skära mig"); the window stops at the next
    clause, including one joined by "och jag"/"men hon" ...
    """
    after = _until_join(_after(marked, end, 70))
    before = " ".join(_since_join(_before(marked, start, 40)).split()[-2:])
    around = before + " " + marked[start:end] + after
    return bool(_ACCIDENT.search(around)) and not _INTENT.search(around)


def _subject_class(before: str) -> str | None:
    """The nearest recognisable subject in the few words before a verb."""
    tail = " ".join(before.split()[-8:])
    best: tuple[int, int, str] | None = None
    for order, name in enumerate(_SUBJECT_ORDER):
        for m in _SUBJECTS[name].finditer(tail):
            # "jag" only names the doer right before the verb ("jag skär mig",
            # "jag brukar ofta skära mig"); further back it is usually inside a
            # relative clause: "killen jag dejtar slår mig".
            after_self = tail[m.end() :].split()
            if name == "self" and (len(after_self) > 3 or any(w in ("och", "o", "men", "sen") for w in after_self)):
                # "...vem jag pratar med och slår mig": the doer is someone else.
                continue
            key = (m.end(), -order, name)
            if best is None or key > best:
                best = key
    return best[2] if best else None


def _agent_class(after: str) -> str | None:
    """The agent of a passive verb: "blev slagen av pappa"."""
    m = _AGENT_AFTER.match(after)
    if not m:
        return None
    for name in ("adult", "peer"):
        if _SUBJECTS[name].search(m.group(1)):
            return name
    return None


def _judge(spec: P.RuleSpec, m: re.Match[str], text: _Text, ctx: _Context) -> str | None:
    """Category for one match, or None when a guard explains it away.

    `text.s` is the scanned text; `text.marked` is the same text (same
    positions) with clause marks kept, for context that must stay inside one
    clause.
    """
    s, marked = text.s, text.marked
    start, end = m.span()
    if s[start : start + 1] == " ":
        # Skip the lead space the pattern was anchored on: in `marked` that
        # position may be the clause mark that ends the previous clause.
        start += 1
    if spec.soft and not ctx.serious:
        # A trivial reason may sit in a neighbouring clause ("tappade mobilen
        # i toan, mamma kommer döda mig"); laughter must belong to the phrase.
        if spec.trivial_scope == "near":
            trivial_context = _window(s, start, end, 80)
        elif spec.trivial_scope == "clause":
            trivial_context = _clause_window(marked, start, end, 80)
        else:
            trivial_context = (
                _since_join(_before(marked, start, 80)) + marked[start:end] + _until_join(_after(marked, end, 80))
            )
        excuse = _PLAY if spec.excuse == "play" else _TRIVIAL
        if (ctx.laugh and _laugh_near(text, start, end)) or excuse.search(trivial_context):
            return None
    if spec.accident and _is_accident(marked, start, end):
        return None
    required = _REQUIRED_CONTEXT.get(spec.requires or "")
    if required and not text.has(*required):
        return None
    category = spec.category
    if spec.requires == "not_neglect" and text.has("neglect", _NEGLECT):
        category = P.NEGLECT
    if spec.subject:
        # Bounded windows: the whole prefix would make long messages quadratic.
        who = _agent_class(_until_join(_after(marked, end, 60))) or _subject_class(_before(marked, start, 120))
        # Nobody named who did it (or only the victim, "jag blev slagen"), or
        # just "han"/"hon": the place decides between peers and adults. An
        # unnamed doer only counts for abuse/violence rules ("vill göra illa
        # mig hemma" is still self-harm).
        unnamed = who is None or who not in spec.subject
        if (unnamed and spec.category in (P.ABUSE, P.VIOLENCE)) or who == "pron":
            around = _clause_window(marked, start, end, 60)
            if _PUBLIC_PLACE.search(around):
                who = "peer"
            elif _HOME.search(around):
                who = "adult"
        category = spec.subject.get(who, spec.category) if who else spec.category
        if not category:  # "" in the mapping: this subject makes it harmless
            return None
    if spec.acute_if_tonight and text.has("tonight", _TONIGHT):
        return P.ACUTE
    if spec.now and (
        _NOW_AFTER.match(_after(marked, end, 40))
        or _NOW_BEFORE.search(_before(marked, start, 30))
        or " haller pa att " in s[start:end]  # "han håller på att slå mamma"
    ):
        return P.ACUTE
    if spec.victim:
        victim = _victim(marked, start, end)
        if victim == "other" or (victim == "household" and category not in _HOME_CATEGORIES):
            return P.FRIEND
        # A parent or sibling hurt by an adult, or unnamed ("mamma blir slagen
        # av sin kille"), is violence in the writer's home: the child witnesses
        # it (abuse). Hurt by peers outside ("min bror blir slagen av gänget"),
        # it is someone else in danger.
        if victim == "household" and category == P.VIOLENCE:
            return P.FRIEND
    if category in (P.ABUSE, P.VIOLENCE) and text.has("honour", _HONOUR_CONTEXT):
        # Threats and violence over a relationship, sexuality or the family's
        # "honour" are honour-related violence, unless classmates or a gang do it.
        # (Only the doer's side: "hotad för att jag har en pojkvän" is still honour.)
        if not _NONFAMILY_PEER.search(_before(marked, start, 80) + marked[start:end]):
            return P.HONOUR
    return category


def _writer_named(text: str) -> bool:
    """Does this stretch name the writer: "jag", "mig", or "min"/"mitt" not before a person ("mitt rum")?"""
    if _FIRST_PERSON.search(text):
        return True
    words = text.split()
    for i, word in enumerate(words):
        if word in ("min", "mitt", "mina", "my"):
            following = words[i + 1 : i + 3]
            if not any(_THIRD_PERSON_WORD.fullmatch(w) for w in following):
                return True
    return False


def _victim(marked: str, start: int, end: int) -> str | None:
    """Who is in danger in a "victim" phrase: "other", "household" or None (the writer).

    The phrase must not name the writer ("vill jag dö", "i mitt rum"), and a
    third person must come right before it in the same clause part, with at
    most one ordinary word in between ("min syster pratar om självmord", "en
    tjej i min klass blir slagen"): further back it is usually someone in a
    story the writer tells about themself ("hon gjorde slut vill inte leva").
    A parent or sibling is "household": the writer lives in that home, unless
    it is somebody else's family ("hennes pappa", "min kompis mamma").
    """
    phrase = marked[start:end]
    after = " ".join(_until_join(_after(marked, end, 40)).split()[:3])
    # "skickade ett avskedsbrev till mig": the writer only receives it.
    after = _RECEIVER.sub(" ", after)
    if _writer_named(phrase) or _writer_named(after):
        return None
    # "blir hon hotad": the subject can follow the verb (V2 word order);
    # "gifta bort henne": the one it is done to follows it.
    phrase_words = phrase.split()
    if (phrase_words and phrase_words[0] in _V2_VERBS and len(phrase_words) > 1
            and _THIRD_PRONOUN.fullmatch(phrase_words[1])) or _THIRD_OBJECT.match(after):
        return "other"
    # Across "och": a coordinated verb keeps its subject ("min kompis har ett
    # rep och pratar om att hänga sig"); "och jag ..." stops at "jag".
    words = _before(marked, start, 80).split()
    # "hennes pappa är våldsam": the phrase is about somebody else's family.
    if words and _OTHERS_HOME_WORD.fullmatch(words[-1]):
        return "other"
    between = 0
    found = None
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if _FIRST_PERSON.fullmatch(word):
            return found
        if word in _PLURAL_THIRD:
            # "de"/"dom" talking about home is usually the family ("de skriker
            # och slåss hemma"), unless a friend is named before it ("min
            # kompis säger att de inte har mat").
            found = "household"
            continue
        if _THIRD_PERSON_WORD.fullmatch(word):
            if _HOUSEHOLD_WORD.fullmatch(word) and not (i and _OTHERS_HOME_WORD.fullmatch(words[i - 1])):
                return "household"
            return "other"
        if word not in _VICTIM_SKIP:
            between += 1
            if between > 1:
                return found
    return found


def _mask(m: re.Match[str]) -> str:
    # Keep a clause mark the guard match started on.
    return "\n|" if m.group(0)[0] == "\n" else _MASK


def _mask_nonperson(m: re.Match[str]) -> str:
    # The pattern starts with a plain space, so the previous word is in the
    # same clause; a clause start ("..., tar livet av mig") is never masked.
    before = m.string[max(0, m.start() - 40) : m.start()].rsplit(None, 1)
    previous = before[-1] if before else ""
    return m.group(0) if not previous or previous in P.PERSON_WORDS_BEFORE else _MASK


def _fuzzy_hits(words: set[str]) -> list[tuple[str, str, str]]:
    hits = []
    for token in words:
        if len(token) < 6 or token[0] not in _FUZZY_INITIALS:
            continue
        for kw, cat, neighbourhood in _FUZZY:
            # Exact spellings are left to the regex rules, which know more
            # (who did it, whether it is now); fuzzy is only for typos.
            if token[0] != kw[0] or token.startswith(_FUZZY_EXACT):
                # "valdtagen" is an exact form of another keyword, not a typo
                # of "valdtog": the regex rules judge it (they know who it is about).
                continue
            n = len(kw)
            for length in (n - 1, n, n + 1):
                if length > len(token):
                    break
                prefix = token[:length]
                if prefix in neighbourhood or not _deletions(prefix).isdisjoint(neighbourhood):
                    hits.append((cat, f"fuzzy:{kw}", token))
                    break
    return hits


def _scan(
    text: str, first_only: bool, prefilter: bool = True, notes: dict | None = None
) -> list[tuple[str, str, str]]:
    """All (category, rule, matched text) hits; stops at acute_danger if first_only.

    `prefilter=False` runs every pattern (tests use it to prove the word-prefix
    filter never changes a result). `notes`, when given, receives what the
    second signal needs: "judged" (some rule matched, even if it was then
    excused), "joking" and "masked" (the first form, guards applied).
    """
    if not text or not text.strip():
        return []
    marked_forms = marked_variants(text)
    # unmark keeps every position (the marks become spaces), so a match in a
    # plain form can be looked up in its marked form.
    forms = tuple(unmark(f) for f in marked_forms)
    ctx = _Context(
        # Anywhere in the message; _laugh_near decides whether it applies.
        laugh=any(_has_laugh(f) for f in marked_forms),
        # Marked: "kms fr" counts as serious only when "fr" ends a clause.
        serious=any(_SERIOUS.search(" " + f) for f in marked_forms),
    )
    hits: list[tuple[str, str, str]] = []
    best = len(P.PRIORITY)  # rank of the most urgent hit so far
    for form, marked_form in zip(forms, marked_forms):
        if _HELP_CRY.fullmatch(form.strip()):
            hits.append((P.ACUTE, "help_cry", form))
            if first_only:
                return hits
        words = set(form.split())
        starts = _word_prefixes(words)
        candidates = _candidates(starts) if prefilter else None
        # Leading space: every pattern is anchored on the space before a word.
        # Guards work on the clause-marked text; the rules read the marks as
        # spaces (same length, so positions line up with `marked`).
        plain_marked = " " + marked_form
        masked_marked = plain_marked
        for guard in _GUARDS if ctx.serious else _GUARDS + _JOKE_GUARDS:
            if candidates is None or guard.id in candidates:
                masked_marked = guard.regex.sub(_mask, masked_marked)
        if candidates is None or _NONPERSON_GUARD.id in candidates:
            masked_marked = _NONPERSON_GUARD.regex.sub(_mask_nonperson, masked_marked)
        plain = _Text(unmark(plain_marked), plain_marked)
        masked = _Text(unmark(masked_marked), masked_marked)
        if notes is not None and "masked" not in notes:
            notes["masked"] = masked_marked
            notes["joking"] = ctx.laugh and not ctx.serious
            # A guard recognised an everyday phrase ("slog mig i fifa"): the
            # rules have judged this message, the model must not overrule them.
            notes["judged"] = notes.get("judged", False) or masked_marked != plain_marked
        # Masking only removes words, so the unmasked form's word prefixes are
        # a superset of the masked form's: still safe for the prefilter.
        for rule in _RULES:
            if first_only and rule.best_rank >= best:
                continue  # cannot produce anything more urgent than we have
            spec = rule.spec
            scanned = plain if spec.unguarded else masked
            # Rules whose category depends on each match keep looking.
            keep_looking = bool(spec.subject or spec.now or spec.victim)
            found = 0
            for part in rule.parts:
                if candidates is not None and part.id not in candidates:
                    continue
                for judged, m in enumerate(part.regex.finditer(scanned.s)):
                    if first_only and judged >= _MAX_JUDGED_PER_PART:
                        break
                    category = _judge(spec, m, scanned, ctx)
                    if category is None:
                        if notes is not None:
                            notes["judged"] = True
                        continue
                    hits.append((category, spec.name, m.group(0).strip()))
                    best = min(best, _RANK[category])
                    if first_only and category == P.ACUTE:
                        return hits
                    found += 1
                    # A rule whose category varies per match keeps looking,
                    # but a message with dozens of matches is already a crisis:
                    # the cap keeps pathological input cheap.
                    if not keep_looking or (first_only and found >= _MAX_HITS_PER_RULE):
                        break
                if found and (not keep_looking or (first_only and found >= _MAX_HITS_PER_RULE)):
                    break
        flat = compact(form)
        for regex, whole, category in _COMPACT:
            m = regex.search(flat)
            # Written whole, the word is the regex rules' to judge (they know
            # whether it is about a friend); this only catches "själv mord".
            if m and not whole.search(form):
                hits.append((category, "compact", m.group(0)))
        hits.extend(_fuzzy_hits(words))
    return hits


# ------------------------------------------------------------------ public API
def detect(text: str) -> Detection:
    """Judge one chat message; the most urgent matching category wins.

    When no rule matched at all, the n-gram model (classifier.py) may still
    find a crisis: only when it is confident and a crisis topic is named.
    """
    notes: dict = {}
    hits = _scan(text, first_only=True, notes=notes)
    if not hits:
        category = _second_signal(notes)
        return Detection(True, category) if category else _NO_CRISIS
    return Detection(True, min((h[0] for h in hits), key=_RANK.__getitem__))


def _second_signal(notes: dict) -> str | None:
    """The n-gram model's category, asked only where no rule judged the message."""
    if notes.get("judged") or "masked" not in notes:
        return None
    return classifier.judge(classifier.MODEL, notes["masked"], notes["joking"])


def as_json(text: str) -> dict:
    """JSON-ready result for CLIs and logs: {"crisis": bool, "category": str | None}."""
    d = detect(text)
    return {"crisis": d.crisis, "category": d.category}


def explain(text: str) -> list[tuple[str, str, str]]:
    """Every rule that fired, as (category, rule name, matched folded text).

    For debugging and tests only: the chat never shows this, and it must not be
    logged (it contains the child's own words).
    """
    notes: dict = {}
    hits = _scan(text, first_only=False, notes=notes)
    category = None if hits else _second_signal(notes)
    if category:
        hits.append((category, "ngram_model", notes["masked"].strip()))
    return hits


if __name__ == "__main__":  # python -m bot.safety.detector "text" (or text on stdin)
    import json
    import sys

    message = " ".join(sys.argv[1:]) or sys.stdin.read()
    print(json.dumps(as_json(message), ensure_ascii=False))
