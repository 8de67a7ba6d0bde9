"""NLU quality benchmark: the current model on the held-out set, optionally 5-fold CV.

    .venv/bin/python -m benchmarks.nlu_eval [--cross-validation]

Held-out: the model for the current data (trained first if needed, see
bot.stack.model_cache) parses every example of tests/data/nlu_heldout.yml in-process;
accuracy, macro-F1, weighted F1, per-intent precision/recall/F1 and the most frequent
confusions are computed with scikit-learn. The metrics are taken over the intents of the
held-out set, so a prediction of `nlu_fallback` (or any intent absent from the set)
counts as a miss for the true intent without adding a phantom class to the macro
average.

Cross-validation: `rasa test nlu --cross-validation --folds 5` over data/nlu, macro-F1
read from the intent report it writes.

Results go to benchmarks/results/nlu.json and nlu.md. Only aggregate figures and
intent-pair counts are printed or written: never an example text, so the held-out set
stays held out.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HELDOUT = REPO / "tests" / "data" / "nlu_heldout.yml"
RESULTS_DIR = REPO / "benchmarks" / "results"
TARGET_MACRO_F1 = 0.90
TOP_CONFUSIONS = 10
CV_FOLDS = 5


def rasa_env() -> dict[str, str]:
    """The environment every Rasa subprocess of this project runs with."""
    import os

    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONPATH": str(REPO)}


def quiet_rasa_logs() -> None:
    """Rasa logs every parsed text at debug level: keep the held-out texts out of any log."""
    import logging

    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    for name in ("rasa", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.WARNING)


def load_heldout(path: Path = HELDOUT) -> list[tuple[str, str]]:
    """(text, intent) pairs of a Rasa NLU YAML file. Texts stay in memory only."""
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get(TEXT), m.get(INTENT)) for m in data.intent_examples]


def score(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Accuracy, macro/weighted F1, a per-intent table and the top confusions."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    labels = sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0)
    macro = precision_recall_fscore_support(gold, predicted, labels=labels, average="macro",
                                            zero_division=0)
    weighted = precision_recall_fscore_support(gold, predicted, labels=labels,
                                               average="weighted", zero_division=0)
    per_intent = {
        label: {"precision": round(float(p), 4), "recall": round(float(r), 4),
                "f1": round(float(f), 4), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support)
    }
    confusions = Counter((g, p) for g, p in zip(gold, predicted) if g != p)
    return {
        "examples": len(gold),
        "intents": len(labels),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(macro[2]), 4),
        "weighted_f1": round(float(weighted[2]), 4),
        "fallback_predictions": sum(1 for p in predicted if p == "nlu_fallback"),
        "per_intent": per_intent,
        "confusions": [{"gold": g, "predicted": p, "count": n}
                       for (g, p), n in sorted(confusions.items(),
                                               key=lambda item: (-item[1], item[0]))[:TOP_CONFUSIONS]],
    }


async def evaluate_agent(agent, path: Path = HELDOUT) -> dict[str, Any]:
    """Parses every held-out example with a loaded Agent and scores the intents."""
    quiet_rasa_logs()
    examples = load_heldout(path)
    gold, predicted = [], []
    for text, intent in examples:
        parsed = await agent.parse_message(text)
        gold.append(intent)
        predicted.append(((parsed or {}).get("intent") or {}).get("name") or "None")
    return score(gold, predicted)


def evaluate_model(model_path: Path, path: Path = HELDOUT) -> dict[str, Any]:
    from rasa.core.agent import Agent

    quiet_rasa_logs()
    agent = Agent.load(str(model_path))
    return asyncio.run(evaluate_agent(agent, path))


def weakest(result: dict[str, Any], n: int = 3) -> list[tuple[str, float]]:
    rows = sorted(result["per_intent"].items(), key=lambda item: (item[1]["f1"], item[0]))
    return [(name, row["f1"]) for name, row in rows[:n]]


def cross_validate(folds: int = CV_FOLDS, log=print) -> dict[str, Any]:
    """`rasa test nlu --cross-validation` in a subprocess; macro-F1 from its report."""
    with tempfile.TemporaryDirectory(prefix="sipkompis-cv-") as out:
        command = [sys.executable, "-m", "rasa", "test", "nlu", "--nlu", "data/nlu",
                   "--config", "config/config.yml", "--domain", "config/domain",
                   "--cross-validation", "--folds", str(folds), "--no-plot", "--out", out]
        log(f"cross-validating ({folds} folds, trains {folds} NLU models)...")
        started = time.monotonic()
        result = subprocess.run(command, cwd=REPO, env=rasa_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        seconds = time.monotonic() - started
        report_path = Path(out) / "intent_report.json"
        if result.returncode != 0 or not report_path.exists():
            tail = "\n".join(result.stdout.strip().splitlines()[-15:])
            raise RuntimeError(f"rasa test nlu --cross-validation failed "
                               f"(exit {result.returncode}):\n{tail}")
        report = json.loads(report_path.read_text())
    per_intent = {
        name: {"precision": round(row["precision"], 4), "recall": round(row["recall"], 4),
               "f1": round(row["f1-score"], 4), "support": int(row["support"])}
        for name, row in sorted(report.items())
        if isinstance(row, dict) and "f1-score" in row
        and name not in ("macro avg", "weighted avg", "micro avg")
    }
    return {
        "folds": folds,
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "weighted_f1": round(report["weighted avg"]["f1-score"], 4),
        "accuracy": round(report.get("accuracy", float("nan")), 4),
        "seconds": round(seconds),
        "per_intent_f1": {name: row["f1"] for name, row in per_intent.items()},
    }


def write_results(summary: dict[str, Any], results_dir: Path = RESULTS_DIR) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "nlu.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False)
                                          + "\n")
    held = summary["heldout"]
    cv = summary.get("cross_validation")
    lines = [
        "# NLU benchmark",
        "",
        f"Model `{summary['model']}` (fingerprint `{summary['fingerprint']}`), "
        f"{summary['date']}. Produced by `python -m benchmarks.nlu_eval"
        f"{' --cross-validation' if cv else ''}`.",
        "",
        "| Measure | Held-out | 5-fold CV |",
        "|---|---|---|",
        f"| Examples / intents | {held['examples']} / {held['intents']} | "
        f"{'data/nlu' if cv else '–'} |",
        f"| Accuracy | {held['accuracy']:.3f} | {cv['accuracy']:.3f} |" if cv else
        f"| Accuracy | {held['accuracy']:.3f} | – |",
        f"| Macro-F1 | **{held['macro_f1']:.3f}** | {cv['macro_f1']:.3f} |" if cv else
        f"| Macro-F1 | **{held['macro_f1']:.3f}** | – |",
        f"| Weighted F1 | {held['weighted_f1']:.3f} | {cv['weighted_f1']:.3f} |" if cv else
        f"| Weighted F1 | {held['weighted_f1']:.3f} | – |",
        f"| `nlu_fallback` predictions (counted wrong) | {held['fallback_predictions']} | – |",
        "",
        f"Target: held-out macro-F1 ≥ {TARGET_MACRO_F1:.2f}.",
        "",
        "## Per intent (held-out)",
        "",
        "| Intent | Precision | Recall | F1 | Support |" + (" CV F1 |" if cv else ""),
        "|---|---|---|---|---|" + ("---|" if cv else ""),
    ]
    for name, row in sorted(held["per_intent"].items(), key=lambda item: (item[1]["f1"], item[0])):
        line = (f"| {name} | {row['precision']:.2f} | {row['recall']:.2f} | {row['f1']:.2f} | "
                f"{row['support']} |")
        if cv:
            cv_f1 = cv["per_intent_f1"].get(name)
            line += f" {cv_f1:.2f} |" if cv_f1 is not None else " – |"
        lines.append(line)
    lines += ["", "## Most frequent confusions (held-out)", "",
              "| True intent | Predicted | Count |", "|---|---|---|"]
    lines += [f"| {c['gold']} | {c['predicted']} | {c['count']} |" for c in held["confusions"]]
    if not held["confusions"]:
        lines.append("| – | – | 0 |")
    (results_dir / "nlu.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.nlu_eval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cross-validation", action="store_true",
                        help=f"also run {CV_FOLDS}-fold cross-validation over data/nlu (slow)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="results directory")
    args = parser.parse_args(argv)

    from bot.stack.model_cache import ensure_model

    path, seconds = ensure_model()
    if seconds is not None:
        print(f"trained the model in {seconds:.0f} s")
    fingerprint = path.name.removeprefix("sipkompis-").removesuffix(".tar.gz")
    print(f"evaluating {path.name} on {HELDOUT.relative_to(REPO)}")
    held = evaluate_model(path)
    summary: dict[str, Any] = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "model": path.name,
        "fingerprint": fingerprint,
        "heldout_file": str(HELDOUT.relative_to(REPO)),
        "target_macro_f1": TARGET_MACRO_F1,
        "heldout": held,
    }
    if args.cross_validation:
        summary["cross_validation"] = cross_validate()
    write_results(summary, args.out)

    print()
    print(f"held-out macro-F1 {held['macro_f1']:.3f} (accuracy {held['accuracy']:.3f}, "
          f"weighted F1 {held['weighted_f1']:.3f}, {held['examples']} examples, "
          f"{held['intents']} intents, {held['fallback_predictions']} nlu_fallback)"
          f" - target {TARGET_MACRO_F1:.2f}: "
          f"{'met' if held['macro_f1'] >= TARGET_MACRO_F1 else 'NOT met'}")
    if "cross_validation" in summary:
        cv = summary["cross_validation"]
        print(f"{cv['folds']}-fold CV macro-F1 {cv['macro_f1']:.3f} "
              f"(accuracy {cv['accuracy']:.3f}, {cv['seconds']} s)")
    else:
        print("CV macro-F1: not run (use --cross-validation)")
    print("weakest intents (held-out F1): "
          + ", ".join(f"{name} {f1:.2f}" for name, f1 in weakest(held)))
    if held["confusions"]:
        print("top confusions (true -> predicted): "
              + ", ".join(f"{c['gold']} -> {c['predicted']} x{c['count']}"
                          for c in held["confusions"][:5]))
    print(f"wrote {args.out / 'nlu.json'} and {args.out / 'nlu.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
