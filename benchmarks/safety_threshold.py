"""Choose the crisis n-gram model's threshold by 5-fold cross-validation.

Run: .venv/bin/python -m benchmarks.safety_threshold   (about two minutes)
-> prints, per threshold, the whole detector's recall and false alarms over the folds,
and writes benchmarks/results/safety_threshold.json.

Only the sets the model may learn from take part (the dev set, the tuning half and the
NLU training examples as ordinary messages); the held-out half never does, so it still
measures the threshold chosen here. Each fold's model is trained on the other four
folds and the detector (rules first, the model after) judges the fold left out. The
chosen threshold is the lowest whose false-alarm rate stays within `MAX_FALSE_ALARMS`:
below it, each extra crisis the model finds costs ordinary children a false alarm.
Only counts are printed, never a message.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from bot.safety import classifier, detector

GRID = (0.80, 0.83, 0.85, 0.87, 0.90, 0.93, 0.95)
FOLDS = 5
MAX_FALSE_ALARMS = 0.01
RESULTS = Path(__file__).resolve().parent / "results" / "safety_threshold.json"


def folds(items: list, k: int, seed: int) -> list[list]:
    shuffled = items[:]
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


def run() -> dict:
    texts, labels = classifier.load_examples(classifier.TRAINING_SETS)
    labelled = folds(list(zip(texts, labels)), FOLDS, seed=1)
    ordinary = folds(classifier.ordinary_messages(), FOLDS, seed=2)
    counts = {t: {"crisis": 0, "found": 0, "ordinary": 0, "false_alarms": 0} for t in GRID}
    kept = classifier.MODEL, classifier.THRESHOLD
    try:
        for i in range(FOLDS):
            train = [pair for j, fold in enumerate(labelled) if j != i for pair in fold]
            train_ordinary = [m for j, fold in enumerate(ordinary) if j != i for m in fold]
            classifier.MODEL = classifier.fit([t for t, _ in train], [l for _, l in train], train_ordinary)
            tests = [(t, l != classifier.NONE) for t, l in labelled[i]] + [(m, False) for m in ordinary[i]]
            for threshold in GRID:
                classifier.THRESHOLD = threshold
                row = counts[threshold]
                for text, is_crisis in tests:
                    flagged = detector.detect(text).crisis
                    if is_crisis:
                        row["crisis"] += 1
                        row["found"] += flagged
                    else:
                        row["ordinary"] += 1
                        row["false_alarms"] += flagged
    finally:
        classifier.MODEL, classifier.THRESHOLD = kept
    allowed = [t for t in GRID if counts[t]["false_alarms"] <= MAX_FALSE_ALARMS * counts[t]["ordinary"]]
    return {"folds": FOLDS, "max_false_alarm_rate": MAX_FALSE_ALARMS,
            "chosen": min(allowed) if allowed else max(GRID), "in_use": classifier.THRESHOLD,
            "per_threshold": {str(t): counts[t] for t in GRID}}


def main() -> int:
    result = run()
    print(f"{'threshold':>9}  {'recall':>14}  {'false alarms':>14}")
    for t, row in result["per_threshold"].items():
        print(f"{t:>9}  {row['found']:>6}/{row['crisis']:<7}  {row['false_alarms']:>6}/{row['ordinary']:<7}")
    print(f"chosen {result['chosen']} (false alarms at most {MAX_FALSE_ALARMS:.1%}); in use {result['in_use']}")
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
