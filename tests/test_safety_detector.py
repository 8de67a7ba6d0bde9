"""Tests for the crisis detector (bot/safety).

The development set tests/data/safety_cases.yml: every crisis message must be
detected (recall 100 %), at most 5 % of the non-crisis messages may be flagged,
and messages are never removed or edited to make the detector pass (a miss is
fixed in the detector). The held-out set tests/data/safety_heldout.yml was
written by someone who never saw the patterns, and the pattern work never reads
it: it must reach 90 % recall with at most 5 % false alarms (measured 91.2 %,
134/147, with 1/92 false alarms on 2026-12-02; the test holds it to that floor,
91 %, benchmarks.safety_eval.MIN_HELDOUT_RECALL), and its test only ever
reports counts (benchmarks/safety_eval.py computes both, so the test and the
report agree). The n-gram model (bot/safety/classifier.py) learns from the dev
set and the tuning half only, never from the held-out half. The other half of that independent set,
tests/data/safety_heldout_tuning.yml, may be read by the pattern work to learn
how children write (never copied from): 95 % recall, at most 5 % false alarms.

The recall / false-alarm / category line is printed with capsys.disabled() so
it shows in every run, not only with -s.
"""

from __future__ import annotations

import dataclasses
import random
import re
import time
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.safety_eval import FAMILY, MAX_FALSE_ALARM_RATE as EVAL_MAX_FALSE_ALARMS
from benchmarks.safety_eval import MIN_HELDOUT_RECALL, MIN_TUNING_RECALL, SPLITS, evaluate
from bot.safety import CATEGORIES, Detection, as_json, detect
from bot.safety import detector as detector_module
from bot.safety.normalise import compact, fold, normalise, strip_invisible, variants

CASES_FILE = Path(__file__).parent / "data" / "safety_cases.yml"
SAFETY_DIR = Path(__file__).resolve().parent.parent / "bot" / "safety"
MAX_FALSE_ALARM_RATE = 0.05
MIN_CATEGORY_ACCURACY = 0.90


@lru_cache(maxsize=1)
def _cases() -> dict:
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _crisis_cases() -> list[tuple[str, str]]:
    return [(cat, msg) for cat, msgs in _cases()["crisis"].items() for msg in msgs]


def _non_crisis_cases() -> list[tuple[str, str]]:
    return [(kind, msg) for kind, msgs in _cases()["non_crisis"].items() for msg in msgs]


@dataclasses.dataclass(frozen=True)
class _Results:
    crisis_total: int
    detected: int
    misses: tuple[tuple[str, str], ...]
    category_ok: int
    wrong_category: tuple[tuple[str, str | None, str], ...]
    non_crisis_total: int
    false_alarms: tuple[tuple[str, str | None, str], ...]

    @property
    def recall(self) -> float:
        return self.detected / self.crisis_total

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.non_crisis_total

    @property
    def category_accuracy(self) -> float:
        return self.category_ok / self.crisis_total

    def summary(self) -> str:
        return (
            f"safety: recall {100 * self.recall:.1f}% ({self.detected}/{self.crisis_total}), "
            f"false alarms {100 * self.false_alarm_rate:.1f}% ({len(self.false_alarms)}/{self.non_crisis_total}), "
            f"category accuracy {100 * self.category_accuracy:.1f}% ({self.category_ok}/{self.crisis_total})"
        )


@lru_cache(maxsize=1)
def _results() -> _Results:
    misses, wrong, false_alarms = [], [], []
    detected = category_ok = 0
    crisis = _crisis_cases()
    for expected, msg in crisis:
        d = detect(msg)
        if d.crisis:
            detected += 1
        else:
            misses.append((expected, msg))
        # Cases labelled "abuse" before the category split also count when
        # they get one of the new, more specific categories (see the file header).
        if d.category in FAMILY.get(expected, frozenset({expected})):
            category_ok += 1
        elif d.crisis:
            wrong.append((expected, d.category, msg))
    non_crisis = _non_crisis_cases()
    for kind, msg in non_crisis:
        d = detect(msg)
        if d.crisis:
            false_alarms.append((kind, d.category, msg))
    return _Results(
        len(crisis), detected, tuple(misses), category_ok, tuple(wrong), len(non_crisis), tuple(false_alarms)
    )


# ----------------------------------------------------------------- test set
def test_test_set_is_well_formed():
    data = _cases()
    assert set(data["crisis"]) == set(CATEGORIES)
    assert set(data["non_crisis"]) == {"hyperbole", "everyday_hard", "neutral"}
    messages = [m for _, m in _crisis_cases()] + [m for _, m in _non_crisis_cases()]
    assert all(isinstance(m, str) and m.strip() for m in messages)
    duplicates = sorted({m for m in messages if messages.count(m) > 1})
    assert not duplicates, f"duplicate messages in the test set: {duplicates}"


def test_every_crisis_message_is_detected(capsys):
    results = _results()
    if results.misses:
        with capsys.disabled():
            print("\nsafety: MISSED crisis messages:")
            for category, msg in results.misses:
                print(f"  [{category}] {msg!r}  rules={detector_module.explain(msg)}")
    assert not results.misses, f"missed {len(results.misses)} crisis messages: {list(results.misses)}"


def test_false_alarm_rate_is_at_most_five_percent(capsys):
    results = _results()
    if results.false_alarms:
        with capsys.disabled():
            print("\nsafety: false alarms:")
            for kind, category, msg in results.false_alarms:
                print(f"  [{kind} -> {category}] {msg!r}")
    assert results.false_alarm_rate <= MAX_FALSE_ALARM_RATE, results.summary()


def test_questions_and_answers_children_type_to_the_bot_are_rarely_taken_for_a_crisis():
    """The held-out NLU set is what children type to the bot on an ordinary day ("när är
    mötet", "vet inte", "jag är nervös"), and training never sees it. A false alarm there
    answers a child's question with crisis numbers, so at most 1 in 100 may be one."""
    from bot.safety.classifier import ordinary_messages

    everyday = ordinary_messages([Path(__file__).parent / "data" / "nlu_heldout.yml"])
    assert len(everyday) > 300
    flagged = [m for m in everyday if detect(m).crisis]
    assert len(flagged) <= len(everyday) // 100, f"{len(flagged)}/{len(everyday)} flagged: {flagged}"


def test_the_cached_crisis_model_judges_exactly_as_one_built_from_the_data(tmp_path, monkeypatch):
    from bot.safety import classifier

    monkeypatch.setenv("SIPKOMPIS_MODELS_DIR", str(tmp_path))
    built = classifier._cached()  # nothing cached yet: built and written
    assert [p.name for p in tmp_path.iterdir()] == [classifier._cache_file().name]
    loaded = classifier._cached()
    fresh = classifier.build()
    probes = ["jag har ett rep i rummet", "när är mötet", "han tar mina pengar", "vet inte"]
    assert loaded.scores(probes) == fresh.scores(probes) == built.scores(probes)
    # A cache file that is not a model is rebuilt, never trusted.
    classifier._cache_file().write_bytes(b"not a model")
    assert classifier._cached().scores(probes) == fresh.scores(probes)


def test_category_accuracy_is_reported(capsys):
    results = _results()
    with capsys.disabled():
        print("\n" + results.summary())
        for expected, got, msg in results.wrong_category:
            print(f"  category {expected} -> {got}: {msg!r}")
    # Recall is what protects a child; the category picks the response.
    # Not required to be perfect, but a drop means a rule family regressed.
    assert results.category_accuracy >= MIN_CATEGORY_ACCURACY, results.summary()


def test_prefilter_never_changes_a_result():
    """The word-prefix speed-up must be invisible: same hits with it off."""
    long_message = " ".join(m for _, m in _crisis_cases()[:40])
    messages = [m for _, m in _crisis_cases()] + [m for _, m in _non_crisis_cases()] + [long_message]
    for msg in messages:
        fast = sorted(detector_module._scan(msg, first_only=False, prefilter=True))
        slow = sorted(detector_module._scan(msg, first_only=False, prefilter=False))
        assert fast == slow, msg


# ---------------------------------------------------------------- normaliser
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Jag vill DÖ", "jag vill do"),
        ("självmord", "sjalvmord"),
        ("sjalvmord", "sjalvmord"),  # typed without å/ä/ö: same folded form
        ("Slår", "slar"),
        ("bränner", "branner"),
        ("dø", "do"),  # Norwegian/Danish keyboard
    ],
)
def test_normalise_folds_case_and_swedish_letters(raw, expected):
    assert normalise(raw) == expected


def test_normalise_shortens_stretched_letters_both_ways():
    assert variants("hjäääälp") == ("hjaalp", "hjalp")
    assert variants("jag vill dööööö") == ("jag vill doo", "jag vill do")
    # Real double letters survive in the first variant.
    assert normalise("villlll") == "vill"
    assert variants("snälla") == ("snalla",)


def test_normalise_strips_zero_width_and_control_characters():
    hidden = "vi\u200bll d\u200dö\u2060\ufeff"
    assert strip_invisible(hidden) == "vill dö"
    assert normalise(hidden) == "vill do"
    assert normalise("vill\x00 dö\x07") == "vill do"
    assert detect("jag v\u200bill d\u200cö").crisis


def test_normalise_punctuation_emoji_and_split_letters():
    assert normalise("vill... dö!!! 😭😭") == "vill do"
    assert normalise("s j ä l v m o r d") == "sjalvmord"
    assert normalise("don't") == "dont"
    assert normalise("sj4lvm0rd") == "sjalvmord"
    assert normalise("tog 10st") == "tog 10st"  # digits in ordinary tokens are kept
    assert compact(normalise("själv mord")) == "sjalvmord"
    assert fold("ÅÄÖ") == "aao"


def test_marked_forms_keep_clause_and_laugh_marks_at_the_same_positions():
    from bot.safety.normalise import marked_variants, unmark

    (marked,) = marked_variants("haha, jag vill dö 😂 ok. :D")
    assert marked == "haha\njag vill do\x0bok\x0b"
    assert unmark(marked) == "haha jag vill do ok "
    assert len(unmark(marked)) == len(marked)  # positions line up
    (marked,) = marked_variants("mamma kommer döda mig. 😂 tappade mobilen")
    assert marked == "mamma kommer doda mig\x0b\ntappade mobilen"  # the 😂 stays with its clause


# ------------------------------------------------------------------ categories
@pytest.mark.parametrize(
    "message, category",
    [
        ("jag vill dö", "suicide"),
        ("ja vill do", "suicide"),
        ("tänker ta livet av mig", "suicide"),
        ("själv mord", "suicide"),
        ("i want to die", "suicide"),
        ("jag skär mig", "self_harm"),
        ("jag skadar mig själv", "self_harm"),
        ("i cut myself", "self_harm"),
        ("pappa slår mig", "abuse"),
        ("he hits me", "abuse"),
        ("han tafsar på mig", "sexual_abuse"),
        ("han hotar att lägga ut mina nakenbilder om jag inte skickar fler", "sexual_abuse"),
        ("min familj ska gifta bort mig i sommar", "honour_violence"),
        ("vi får ingen mat hemma", "neglect"),
        ("mamma låser in mig på rummet hela helgen", "neglect"),
        ("känner mig inte säker hemma", "abuse"),
        ("det är inte tryggt hemma", "abuse"),
        ("min kompis vill ta livet av sig", "friend_in_danger"),
        ("min bror skär sig", "friend_in_danger"),
        ("snart tar jag livet av mig", "suicide"),
        ("imorgon ska jag ta livet av mig", "suicide"),
        ("vill somna och aldrig vakna", "suicide"),
        ("vill inte finnas", "suicide"),
        ("kms", "suicide"),
        ("unalive myself", "suicide"),
        ("JAG VILL INTE LEVA LANGRE", "suicide"),
        ("killarna i klassen slår mig", "violence"),
        ("de hotar att döda mig", "violence"),
        ("jag vill döda honom", "violence"),
        ("jag har tagit 30 alvedon", "acute_danger"),
        ("någon försöker ta sig in", "acute_danger"),
        ("jag står på bron", "acute_danger"),
        ("det brinner hemma", "acute_danger"),
        ("hjäääälp", "acute_danger"),
    ],
)
def test_clear_examples_get_their_category(message, category):
    assert detect(message) == Detection(True, category)


def test_most_urgent_category_wins():
    # abuse + acute danger in one message: acute danger first.
    assert detect("pappa slår mig och nu har han en kniv").category == "acute_danger"
    # self-harm + suicide: suicide first.
    assert detect("jag skär mig och vill dö").category == "suicide"
    # violence + abuse: abuse first.
    assert detect("pappa slår mig och killarna hotar mig").category == "abuse"
    # sexual abuse before abuse, honour before abuse, neglect before violence.
    assert detect("pappa slår mig och tränaren tafsar på mig").category == "sexual_abuse"
    assert detect("pappa slår mig och de ska gifta bort mig").category == "honour_violence"
    assert detect("vi har ingen mat hemma och killarna hotar mig").category == "neglect"


def test_the_writer_comes_before_a_friend():
    """interfaces: a message about the writer AND a friend gets the writer's category."""
    assert detect("min kompis vill dö").category == "friend_in_danger"
    assert detect("min kompis vill dö och jag vill också dö").category == "suicide"
    assert detect("min kompis skär sig och pappa slår mig").category == "abuse"
    assert detect("min bästis blev våldtagen").category == "friend_in_danger"
    assert detect("jag blev våldtagen").category == "sexual_abuse"
    assert detect("han våldtog mig").category == "sexual_abuse"
    # Someone in the writer's own home: violence there is abuse of the writer too.
    assert detect("mamma blir slagen av sin kille").category == "abuse"
    assert detect("hennes pappa slår henne, hon är min kompis").category == "friend_in_danger"


# --------------------------------------------------------------------- guards
@pytest.mark.parametrize(
    "message",
    [
        "jag dör av tristess",
        "mobilen dog",
        "batteriet dog igen",
        "jag skär grönsaker",
        "slå på ljudet",
        "min bror slog mig i fifa",
        "mamma kommer döda mig haha jag tappade mobilen",
        "den här läxan tar livet av mig",
        "jag ska döda matteläxan",
        "kill me now, lektionen är så lång",
        "det slog mig att jag glömt gympakläderna",
        "jag orkar inte mer med läxorna",
        # issue 11: hyperbole must pass.
        "provet dödade mig",
        "jag är dödstrött",
        "skrattade ihjäl mig",
        "jag är inte säker på svaret",
        "jag vill inte finnas med på bilden",
        "jag låste in mig på toa för att få vara ifred",
        "shh lillebror sover",
    ],
)
def test_hyperbole_and_everyday_phrases_are_not_crises(message):
    assert not detect(message).crisis


def test_guard_never_vetoes_a_crisis_elsewhere_in_the_message():
    assert detect("haha jk... nej men på riktigt jag vill dö").category == "suicide"
    assert detect("jag dör av tristess, men ärligt talat vill jag dö").category == "suicide"
    assert detect("mobilen dog och pappa slår mig").category == "abuse"
    # A joke marker does not silence a hard signal.
    assert detect("lol jag skär mig varje kväll").category == "self_harm"


def test_guards_only_mask_their_own_phrase():
    # A guard right after a crisis phrase must not swallow it.
    assert detect("jag vill dö pistolen i fortnite är bäst").category == "suicide"
    assert detect("jag vill dö, dog direkt i fortnite igen").category == "suicide"
    assert detect("pappa slår mig, sen slog jag honom i fifa").category == "abuse"
    assert detect("det var pinsamt men på riktigt vill jag dö").category == "suicide"
    assert not detect("jag ville dö, så pinsamt 😂").crisis
    assert not detect("hur dör man i minecraft").crisis
    assert not detect("jag har en pistol i fortnite").crisis


@pytest.mark.parametrize(
    "message",
    [
        "vill slippa vakna tidigt imorgon",
        "jag kan aldrig vakna på morgonen",
        "vill inte vakna klockan sex",
        "jag tar allt nu, du kan ta resten sen",
        "fick ingen lunch idag, glömde matlådan",
        "vi har ingen mat kvar i matlådan",
        "står vid spåret och väntar på tåget",
        "han knuffade mig lite i leken",
        "pappa tog mig till tandläkaren",
        "jag tar på mig linne under tröjan",
        "jag försöker komma in på gymnasiet",
    ],
)
def test_everyday_phrases_near_crisis_wording(message):
    assert not detect(message).crisis


def test_patterns_are_written_in_folded_ascii():
    """Patterns see folded text (å/ä→a, ö→o): a non-ASCII letter could never match."""
    from bot.safety import patterns as P

    pattern_sets = [p for r in P.RULES for p in r.patterns] + list(P.GUARD_PATTERNS) + list(P.JOKE_GUARD_PATTERNS)
    pattern_sets += [P.NONPERSON_SUBJECT_GUARD, P.HELP_CRY_PATTERN, P.SERIOUS_PATTERN, P.LAUGH_PATTERN]
    pattern_sets += [P.TRIVIAL_PATTERN, P.PLAY_PATTERN, P.ACCIDENT_PATTERN, P.INTENT_PATTERN, P.THREAT_CONTEXT_PATTERN]
    pattern_sets += list(P.FRAGMENTS.values()) + list(P.SUBJECT_PATTERNS.values())
    offenders = [p[:60] for p in pattern_sets if not p.isascii()]
    assert not offenders


def _can_end_with_space(items) -> bool:
    """Can this parsed regex sequence end with a literal space?"""
    sre = detector_module._sre_constants
    for op, av in reversed(list(items)):
        if op is sre.LITERAL:
            return av == 32
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.SUBPATTERN:
            return _can_end_with_space(av[-1])
        if op is sre.BRANCH:
            return any(_can_end_with_space(b) for b in av[1])
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            if _can_end_with_space(av[2]):
                return True
            if av[0] == 0:
                continue  # may be skipped: the item before it ends the match
            return False
        return False
    return False


def _double_space_spots(items) -> list[str]:
    """Places where a part that may end with a space is followed by another space."""
    sre = detector_module._sre_constants
    items = list(items)
    spots = []
    for i, (op, av) in enumerate(items):
        nxt = items[i + 1] if i + 1 < len(items) else None
        if nxt and nxt[0] is sre.LITERAL and nxt[1] == 32 and _can_end_with_space([(op, av)]):
            spots.append(str((op, av))[:80])
        if op is sre.SUBPATTERN:
            spots += _double_space_spots(av[-1])
        elif op is sre.BRANCH:
            for b in av[1]:
                spots += _double_space_spots(b)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            spots += _double_space_spots(av[2])
    return spots


def test_no_pattern_needs_two_spaces_in_a_row():
    """Folded text has single spaces, so "kommer (?:att )? dö" could never match "jag kommer dö".

    That slip silently disabled a whole rule once; write "kommer(?: att)? dö".
    """
    from bot.safety import patterns as P

    offenders = []
    for name, pattern in [(r.name, p) for r in P.RULES for p in r.patterns] + [("guard", p) for p in P.GUARD_PATTERNS]:
        spots = _double_space_spots(detector_module._sre_parse.parse(detector_module._expand(pattern)))
        if spots:
            offenders.append((name, pattern[:70]))
    assert not offenders, offenders


def test_everyday_text_before_a_crisis_message_never_hides_it():
    """No guard may veto a crisis: put everyday/hyperbole messages from the
    test set in front of every crisis message (a rotating sample, to stay
    fast) and the crisis must still be found.

    Two deliberate exceptions: a bare cry ("HJÄLP") is a crisis only as a
    whole message ("hjälp, vad ska jag skriva?" is not), and "så pinsamt, jag
    vill dö" is the embarrassment idiom. A message that only the n-gram model
    finds (no rule matches it) is scored clause by clause, so it is put behind
    everyday text with a clause mark between (", ", ". ", a new line); joined
    by "och" it is one clause, and the model's score of the whole is not a guard.
    """
    helpers = [m for k in ("hyperbole", "everyday_hard") for m in _cases()["non_crisis"][k]]
    helpers = [m for m in helpers if "pinsam" not in m]
    vetoed = []
    for i, (_, crisis_msg) in enumerate(_crisis_cases()):
        if any(detector_module._HELP_CRY.fullmatch(v) for v in variants(crisis_msg)):
            continue
        model_only = all(rule == "ngram_model" for _, rule, _ in detector_module.explain(crisis_msg))
        separators = (", ", ". ", "\n") if model_only else (", ", ". ", " och ", "\n")
        for k in range(4):
            helper = helpers[(i * 7 + k * 31) % len(helpers)]
            text = helper + separators[(i + k) % len(separators)] + crisis_msg
            if not detect(text).crisis:
                vetoed.append(text)
    assert not vetoed, vetoed[:10]


def test_joke_guard_yields_when_the_child_says_they_mean_it():
    assert not detect("mamma kommer döda mig haha").crisis
    assert detect("mamma kommer döda mig, på riktigt inte skämt").crisis


def test_sexual_abuse_is_never_guarded():
    assert detect("haha han tafsar på mig lol 😂").category == "sexual_abuse"
    assert detect("skämt åsido, tränaren vill att jag skickar nakenbilder haha").category == "sexual_abuse"


# ------------------------------------------------------------------- API
def test_empty_and_blank_messages():
    assert detect("") == Detection(False, None)
    assert detect("   \n\t ") == Detection(False, None)
    assert detect("\u200b\u200b") == Detection(False, None)


def test_as_json_shape():
    assert as_json("jag vill dö") == {"crisis": True, "category": "suicide"}
    assert as_json("hej") == {"crisis": False, "category": None}


def test_detection_is_frozen():
    d = detect("hej")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.crisis = True  # type: ignore[misc]


def test_no_rasa_import_in_bot_safety():
    pattern = re.compile(r"^\s*(?:import|from)\s+rasa", re.MULTILINE)
    offenders = [p.name for p in SAFETY_DIR.glob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders


# ------------------------------------------------------------ held-out split
def test_heldout_split_generalises():
    """Recall and false alarms on the split the pattern work never reads.

    Counts only, also on failure: printing its sentences would leak them into
    the pattern work (and child-like text into logs). No skip: a missing file
    fails, because then generalisation is not measured at all.
    """
    path = SPLITS["heldout"]
    assert path.is_file(), f"{path.name} is missing: the held-out split must exist"
    result = evaluate("heldout")
    assert result.crisis_total and result.non_crisis_total, "held-out split has no cases"
    assert result.recall >= MIN_HELDOUT_RECALL and result.false_alarm_rate <= EVAL_MAX_FALSE_ALARMS, result.summary()


# -------------------------------------------------------------- tuning split
def test_tuning_split_is_found_without_false_alarms():
    """The readable half of the independent set: recall >= 95 %, false alarms <= 5 %.

    The pattern work may read these sentences to learn how children write, so it
    is held to more than the held-out split; it was not written to the patterns,
    so not to 100 % (a rule pasted from one of its sentences would not generalise).
    Counts only on failure, like the held-out test: list misses with
    `python -m benchmarks.safety_eval --only tuning --show-tuning-misses`.
    """
    path = SPLITS["tuning"]
    assert path.is_file(), f"{path.name} is missing: the tuning split must exist"
    result = evaluate("tuning")
    assert result.crisis_total and result.non_crisis_total, "tuning split has no cases"
    assert MIN_TUNING_RECALL >= 0.95 and EVAL_MAX_FALSE_ALARMS <= 0.05
    assert result.recall >= MIN_TUNING_RECALL, result.summary()
    assert result.false_alarm_rate <= EVAL_MAX_FALSE_ALARMS, result.summary()


def test_dev_split_agrees_with_the_benchmark():
    """benchmarks/safety_eval.py and these tests count the same way."""
    result = evaluate("dev")
    ours = _results()
    assert (result.detected, result.crisis_total) == (ours.detected, ours.crisis_total)
    assert result.false_alarms == len(ours.false_alarms)
    assert result.category_family_ok == ours.category_ok


# ---------------------------------------------------------------- bad input
# The contract's hard bound: help within 10 seconds. The detector runs before
# anything else, so even a pathological message must leave most of that.
DETECT_BOUND_S = 5.0


def _bounded(text: str) -> Detection:
    start = time.process_time()
    result = detect(text)
    assert time.process_time() - start < DETECT_BOUND_S
    assert isinstance(result, Detection)
    assert result.crisis == (result.category is not None)
    assert result.category is None or result.category in CATEGORIES
    return result


def _megabyte(unit: str) -> str:
    return (unit * (1_000_000 // len(unit) + 1))[:1_000_000]


@pytest.mark.parametrize(
    "unit",
    [
        "a",
        "ä",
        " ",
        "\x00",
        "\u200b",
        "😂",
        "!?.,",
        "vill ",
        "jag vill inte ",
        "s j ",
        "a\u0301",
        "jag vet inte vad jag ska säga på mötet men skolan är jobbig. ",
        "hahaha lol 😂 mamma kommer döda mig ",
    ],
)
def test_a_megabyte_message_is_judged_in_bounded_time(unit):
    assert not _bounded(_megabyte(unit)).crisis


def test_a_crisis_at_the_end_of_a_huge_message_is_still_found():
    filler = _megabyte("jag vet inte vad jag ska säga på mötet. ")
    assert _bounded(filler + " jag vill inte leva längre").category == "suicide"
    assert _bounded("pappa slår mig " + filler).category == "abuse"


def test_binary_and_control_characters_never_raise():
    rng = random.Random(11)
    noise = "".join(chr(rng.randrange(0, 0x110000)) for _ in range(100_000))
    noise = noise.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    _bounded(noise)
    _bounded(bytes(rng.randrange(256) for _ in range(200_000)).decode("latin-1"))
    _bounded("".join(chr(c) for c in range(0x20)) * 5000)
    # A crisis phrase with control characters in it is still found.
    assert _bounded("jag\x00 vill\x07 dö\x1b").category == "suicide"


@settings(max_examples=300, deadline=timedelta(seconds=DETECT_BOUND_S), suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_detect_never_raises_on_arbitrary_text(text):
    _bounded(text)


_PIECES = st.sampled_from(
    ["jag", "vill", "inte", "dö", "leva", "mig", "pappa", "slår", "haha", "😂", ",", ".", "\n", "\u200b",
     "ta", "livet", "av", "kompis", "hon", "sig", "ska", "kniv", "hjälp", "ä", "å", "ö", " ", "x" * 50]
)


@settings(max_examples=200, deadline=timedelta(seconds=DETECT_BOUND_S), suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=400).map(" ".join), st.integers(min_value=1, max_value=200))
def test_detect_stays_bounded_on_repetitive_crisis_like_text(text, repeat):
    """Words the patterns look for, in arbitrary order and repeated: the shape
    that makes backtracking regexes blow up."""
    _bounded(text * repeat)


# ------------------------------------------------------------- n-gram model
from bot.safety import classifier as classifier_module  # noqa: E402

# Crises no rule covers, written for this test and kept out of every labelled
# set: the model finds them from what it learnt of similar sentences.
_ONLY_THE_MODEL_FINDS = (
    "min kompis säger att hon ska rymma ikväll",
    "en kille i klassen säger att han ska ta med kniv och skada folk",
    "det är ett rep i mitt rum och jag tänker använda det ikväll",
)


def test_the_model_finds_crises_no_rule_covers(monkeypatch):
    for message in _ONLY_THE_MODEL_FINDS:
        assert detect(message).crisis, message
    # ...and it is the model that finds them: without it, they are missed.
    monkeypatch.setattr(classifier_module, "MODEL", None)
    assert not any(detect(m).crisis for m in _ONLY_THE_MODEL_FINDS)


@pytest.mark.parametrize("message", [
    "provet dödade mig", "jag är dödstrött", "min bror slog mig i fifa",
    "haha jag ska rymma till mormor ikväll med kniv och gaffel", "det finns ingen mjölk hemma",
])
def test_the_model_never_overrules_guards_or_jokes(message):
    assert not detect(message).crisis


def test_the_model_learns_only_from_the_readable_sets_and_is_deterministic():
    assert SPLITS["heldout"] not in classifier_module.TRAINING_SETS
    texts = list(_ONLY_THE_MODEL_FINDS) + ["jag är dödstrött", "vi ska åka till hemlandet och hälsa på mormor"]
    first = classifier_module.build().scores(texts)
    second = classifier_module.build().scores(texts)
    assert first == second


def test_the_model_trained_on_dev_alone_keeps_the_tuning_split_free_of_false_alarms(monkeypatch):
    """A fair check of the second signal: trained without the tuning half, the
    detector with it still stays within 5 % false alarms there."""
    monkeypatch.setattr(classifier_module, "MODEL", classifier_module.build([CASES_FILE]))
    result = evaluate("tuning")
    assert result.false_alarm_rate <= EVAL_MAX_FALSE_ALARMS, result.summary()
    assert result.recall >= MIN_TUNING_RECALL, result.summary()

