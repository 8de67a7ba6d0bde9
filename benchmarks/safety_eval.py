"""Recall, false alarms and category accuracy of the crisis detector, per split.

Run: .venv/bin/python -m benchmarks.safety_eval   -> prints counts per split and writes
benchmarks/results/safety_eval.json and .md.

Three splits, same format (crisis.<category>: [...], non_crisis.<group>: [...]):
  dev      tests/data/safety_cases.yml            the set the pattern work is developed against
  tuning   tests/data/safety_heldout_tuning.yml   one half of the independent set: the pattern
                                                  work may read it to learn how children write
                                                  (generalising, never copying a sentence)
  heldout  tests/data/safety_heldout.yml          the other half, written by someone else; the
                                                  pattern work never reads it, so it measures
                                                  generalisation

Only counts are ever printed or written, never a message: for the held-out split that
keeps its sentences out of the pattern work, and for all of them it keeps child-like text
out of logs. `--show-dev-misses` / `--show-tuning-misses` list those splits' misses on the
terminal (never the held-out split's).

tests/test_safety_detector.py reuses `evaluate` so the test and this report agree.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from bot.safety.detector import CATEGORIES, detect

REPO = Path(__file__).resolve().parent.parent
SPLITS = {
    "dev": REPO / "tests" / "data" / "safety_cases.yml",
    "tuning": REPO / "tests" / "data" / "safety_heldout_tuning.yml",
    "heldout": REPO / "tests" / "data" / "safety_heldout.yml",
}
RESULTS_JSON = REPO / "benchmarks" / "results" / "safety_eval.json"
RESULTS_MD = REPO / "benchmarks" / "results" / "safety_eval.md"

# Quality bars (DESIGN section 6 and issue 11): every dev crisis found, held-out recall
# at least 90 %, at most 5 % false alarms on any split. The tuning split is read by the
# pattern work, so it is held to more than the held-out split but less than dev (it was
# not written to the patterns, and a pattern pasted from one of its sentences would not
# generalise: better a measured miss than an overfit rule).
MIN_DEV_RECALL = 1.0
MIN_TUNING_RECALL = 0.95
# The held-out half measures generalisation; its bar is a floor against regressions at
# what was measured: 91.2 % (134/147), 1/92 false alarms, on 2026-12-02, after the
# grammar-shaped rule families and the n-gram model (81.0 %, 119/147, before). The
# 90 % target is met; the floor was the measurement rounded down. On 2026-12-04 the
# model learnt the NLU examples as ordinary messages: everyday questions flagged fell
# from 5/361 to 1/361 (held-out NLU set) and held-out recall from 134 to 133 (90.5 %).
# A false alarm sends a child asking "när är mötet" to the crisis help: the floor is
# the 90 % target, not the old measurement.
MIN_HELDOUT_RECALL = 0.90
TARGET_HELDOUT_RECALL = 0.90
MIN_RECALL = {"dev": MIN_DEV_RECALL, "tuning": MIN_TUNING_RECALL, "heldout": MIN_HELDOUT_RECALL}
# Splits whose messages may be listed on the terminal (never the held-out split).
LISTABLE = frozenset({"dev", "tuning"})
MAX_FALSE_ALARM_RATE = 0.05

# "abuse" was split into abuse, sexual_abuse, honour_violence and neglect (issue 11).
# Cases labelled "abuse" before the split were never moved, so for that label any of
# the four counts as the right category ("family" accuracy); "strict" counts exact
# labels only.
FAMILY = {"abuse": frozenset({"abuse", "sexual_abuse", "honour_violence", "neglect"})}


@dataclass
class SplitResult:
    split: str
    crisis_total: int = 0
    detected: int = 0
    category_family_ok: int = 0
    category_strict_ok: int = 0
    non_crisis_total: int = 0
    false_alarms: int = 0
    # Per label: {"total", "detected", "category_ok"}; per non-crisis group: {"total", "false_alarms"}.
    per_category: dict[str, dict[str, int]] = field(default_factory=dict)
    per_group: dict[str, dict[str, int]] = field(default_factory=dict)
    # Expected -> detected category counts for wrong categories (no messages).
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    ms_per_message: float = 0.0

    @property
    def recall(self) -> float:
        return self.detected / self.crisis_total if self.crisis_total else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.non_crisis_total if self.non_crisis_total else 0.0

    @property
    def category_accuracy(self) -> float:
        return self.category_family_ok / self.crisis_total if self.crisis_total else 0.0

    @property
    def strict_category_accuracy(self) -> float:
        return self.category_strict_ok / self.crisis_total if self.crisis_total else 0.0

    def summary(self) -> str:
        """One line of counts, safe to print for any split."""
        return (
            f"{self.split}: recall {100 * self.recall:.1f}% ({self.detected}/{self.crisis_total}), "
            f"false alarms {100 * self.false_alarm_rate:.1f}% ({self.false_alarms}/{self.non_crisis_total}), "
            f"category accuracy {100 * self.category_accuracy:.1f}% ({self.category_family_ok}/{self.crisis_total}), "
            f"strict {100 * self.strict_category_accuracy:.1f}% ({self.category_strict_ok}/{self.crisis_total})"
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            recall=round(self.recall, 4),
            false_alarm_rate=round(self.false_alarm_rate, 4),
            category_accuracy=round(self.category_accuracy, 4),
            strict_category_accuracy=round(self.strict_category_accuracy, 4),
        )
        return data


def load_split(path: Path) -> dict:
    """The split's data; raises FileNotFoundError or ValueError when it is missing or malformed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("crisis"), dict) or not isinstance(
        data.get("non_crisis"), dict
    ):
        raise ValueError(f"{path.name}: expected mappings 'crisis' and 'non_crisis'")
    return data


def evaluate(split: str, path: Path | None = None, misses: list | None = None) -> SplitResult:
    """Counts for one split. `misses`, when given, collects (kind, label, got, message) for
    the dev and tuning splits only: the held-out split's messages never leave this function."""
    path = path or SPLITS[split]
    data = load_split(path)
    collect = misses is not None and split in LISTABLE
    result = SplitResult(split)
    elapsed = 0.0
    count = 0
    for label, messages in data["crisis"].items():
        row = result.per_category.setdefault(str(label), {"total": 0, "detected": 0, "category_ok": 0})
        for msg in messages or []:
            start = time.perf_counter()
            d = detect(str(msg))
            elapsed += time.perf_counter() - start
            count += 1
            result.crisis_total += 1
            row["total"] += 1
            if d.crisis:
                result.detected += 1
                row["detected"] += 1
            elif collect:
                misses.append(("miss", label, None, msg))
            if d.category == label:
                result.category_strict_ok += 1
            if d.category in FAMILY.get(label, frozenset({label})):
                result.category_family_ok += 1
                row["category_ok"] += 1
            elif d.crisis:
                wrong = result.confusion.setdefault(str(label), {})
                wrong[d.category] = wrong.get(d.category, 0) + 1
                if collect:
                    misses.append(("category", label, d.category, msg))
    for group, messages in data["non_crisis"].items():
        row = result.per_group.setdefault(str(group), {"total": 0, "false_alarms": 0})
        for msg in messages or []:
            start = time.perf_counter()
            d = detect(str(msg))
            elapsed += time.perf_counter() - start
            count += 1
            result.non_crisis_total += 1
            row["total"] += 1
            if d.crisis:
                result.false_alarms += 1
                row["false_alarms"] += 1
                if collect:
                    misses.append(("false_alarm", group, d.category, msg))
    result.ms_per_message = round(1000 * elapsed / count, 3) if count else 0.0
    return result


def _markdown(results: list[SplitResult], measured_at: str) -> str:
    lines = [
        "# Crisis detector: recall and false alarms per split",
        "",
        f"Measured {measured_at} by `python -m benchmarks.safety_eval`. Counts only: the held-out",
        "split's messages are never printed. Category accuracy counts, for the label `abuse`,",
        "any of abuse/sexual_abuse/honour_violence/neglect (cases written before the split);",
        "*strict* counts exact labels.",
        "",
        "| split | recall | false alarms | category accuracy | strict | ms/message |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.split} | {100 * r.recall:.1f}% ({r.detected}/{r.crisis_total}) "
            f"| {100 * r.false_alarm_rate:.1f}% ({r.false_alarms}/{r.non_crisis_total}) "
            f"| {100 * r.category_accuracy:.1f}% ({r.category_family_ok}/{r.crisis_total}) "
            f"| {100 * r.strict_category_accuracy:.1f}% | {r.ms_per_message} |"
        )
    for r in results:
        lines += ["", f"## {r.split}: per category", "", "| label | found | right category |", "|---|---|---|"]
        for label, row in r.per_category.items():
            lines.append(f"| {label} | {row['detected']}/{row['total']} | {row['category_ok']}/{row['total']} |")
        lines += ["", "| non-crisis group | false alarms |", "|---|---|"]
        for group, row in r.per_group.items():
            lines.append(f"| {group} | {row['false_alarms']}/{row['total']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-dev-misses", action="store_true", help="list the dev split's misses")
    parser.add_argument("--show-tuning-misses", action="store_true", help="list the tuning split's misses")
    parser.add_argument("--only", choices=sorted(LISTABLE), action="append",
                        help="evaluate only these splits (pattern work: keeps the held-out split unrun)")
    parser.add_argument("--no-write", action="store_true", help="do not update benchmarks/results")
    args = parser.parse_args(argv)
    results: list[SplitResult] = []
    status = 0
    shown: dict[str, list] = {"dev": [], "tuning": []}
    show = {"dev": args.show_dev_misses, "tuning": args.show_tuning_misses}
    for split, path in SPLITS.items():
        if args.only and split not in args.only:
            continue
        try:
            r = evaluate(split, path, shown[split] if show.get(split) else None)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            # The reason only: an error message could quote a line of the file.
            print(f"{split}: cannot evaluate {path.name} ({type(exc).__name__})", file=sys.stderr)
            status = 1
            continue
        results.append(r)
        print(r.summary())
        for label, row in r.per_category.items():
            print(f"  {label:18} found {row['detected']:3}/{row['total']:<3} right category {row['category_ok']:3}")
        for group, row in r.per_group.items():
            print(f"  {group:18} false alarms {row['false_alarms']:3}/{row['total']}")
        for label, wrong in r.confusion.items():
            print(f"  category {label} -> " + ", ".join(f"{k}: {v}" for k, v in sorted(wrong.items(), key=str)))
        print(f"  {r.ms_per_message} ms per message")
        if r.recall < MIN_RECALL[split] or r.false_alarm_rate > MAX_FALSE_ALARM_RATE:
            status = 1
    for split, misses in shown.items():
        for kind, label, got, msg in misses:
            print(f"{split} {kind} [{label} -> {got}] {msg!r}")
    unknown = {label for r in results for label in r.per_category} - set(CATEGORIES)
    if unknown:
        print(f"labels that are not detector categories: {sorted(unknown)}", file=sys.stderr)
        status = 1
    # A partial run (--only) never overwrites the report of all splits.
    if not args.no_write and not args.only and results:
        measured_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
        RESULTS_JSON.write_text(
            json.dumps({"measured_at": measured_at, "splits": {r.split: r.as_dict() for r in results}}, indent=2)
            + "\n",
            encoding="utf-8",
        )
        RESULTS_MD.write_text(_markdown(results, measured_at), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
