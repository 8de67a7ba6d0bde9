"""`python -m fuzz [--target NAME]... [--runs N] [--max-seconds S]`: every target under
atheris, one at a time, each in its own process; prints per target executions, exec/s,
crashes and peak RSS. Not part of CI (tests/test_hostile_input.py runs a short version).

A full run (default 1,000,000 executions per target, every target) writes
benchmarks/results/fuzz.json. Crash inputs are kept in var/fuzz/ (git-ignored).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fuzz.registry import TARGETS

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "var" / "fuzz"
RESULTS = REPO / "benchmarks" / "results" / "fuzz.json"
DEFAULT_RUNS = 1_000_000
RSS_LIMIT_MB = 1536  # "no unbounded memory": libFuzzer stops the target above this
HANG_SECONDS = 20  # one input taking longer is reported as a hang (a crash)
_STAT = re.compile(r"stat::(\w+):\s*(\d+)")


def run_target(name: str, runs: int, max_seconds: float | None, out_dir: Path = ARTIFACTS) -> dict:
    """One target in its own process; its log, crash input and known findings go to out_dir."""
    target = TARGETS[name]
    # The child writes the seeds: some come from its own world (its real codes, its envelope).
    corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-corpus-{name}-"))
    log_dir = out_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    known_file = log_dir / f"{name}.known.json"
    known_file.unlink(missing_ok=True)
    flags = [f"-runs={runs}", f"-max_len={target.max_len}", f"-rss_limit_mb={RSS_LIMIT_MB}",
             f"-timeout={HANG_SECONDS}", "-print_final_stats=1", "-seed=1",
             f"-artifact_prefix={out_dir}/{name}-"]
    if max_seconds:
        flags.append(f"-max_total_time={max(1, int(max_seconds))}")
    env = dict(os.environ, FUZZ_KNOWN_FILE=str(known_file), PYTHONPATH=str(REPO),
               RASA_TELEMETRY_ENABLED="false", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    log = log_dir / f"{name}.log"
    started = time.monotonic()
    with log.open("wb") as out:
        code = subprocess.call([sys.executable, "-m", "fuzz.child", name, str(corpus), *flags],
                               cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    ended = time.time()
    text = log.read_text(encoding="utf-8", errors="replace")
    start = re.search(r"fuzz-start (\d+\.\d+)", text)
    fuzzing = max(ended - float(start.group(1)), 1e-3) if start else seconds
    stats = {k: int(v) for k, v in _STAT.findall(text)}
    crashed = code != 0
    executions = stats.get("number_of_executed_units", 0)
    artifact = re.search(r"Test unit written to (\S+)", text)
    return {
        "target": name, "handler": target.handler, "cost": target.cost,
        "executions": executions,
        "exec_per_s": round(executions / fuzzing),
        "seconds": round(seconds, 1),
        "crashes": 1 if crashed else 0,
        "peak_rss_mb": stats.get("peak_rss_mb", 0),
        "known_findings": json.loads(known_file.read_text()) if known_file.exists() else {},
        "crash_input": artifact.group(1) if artifact else None,
        "exit_code": code,
        "log": str(log),
    }


def _save(results: list[dict], runs: int, max_seconds: float | None) -> None:
    """Merge by target, so slow and fast targets may be run (and recorded) separately."""
    saved = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    by_target = saved.get("targets", {})
    for result in results:
        by_target[result["target"]] = dict(
            {k: v for k, v in result.items() if k not in ("log", "crash_input")},
            runs_asked=runs, max_seconds=max_seconds, cpu=os.cpu_count(),
            at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    RESULTS.write_text(json.dumps({"targets": by_target}, indent=2, sort_keys=True) + "\n",
                       encoding="utf-8")


def _line(result: dict) -> str:
    known = ", ".join(f"{k}>={v}" for k, v in result["known_findings"].items()) or "-"
    return (f"{result['target']:<20} {result['executions']:>10} {result['exec_per_s']:>8} "
            f"{result['crashes']:>7} {result['peak_rss_mb']:>8}  {known}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", action="append", choices=sorted(TARGETS),
                        help="run only this target (repeatable); default: all")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="executions per target")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="stop each target after this long, even before --runs")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--out", type=Path, default=ARTIFACTS,
                        help="where logs and crash inputs go (default: var/fuzz, git-ignored)")
    parser.add_argument("--save", action="store_true",
                        help=f"also record these targets' results in {RESULTS.relative_to(REPO)} "
                             "(always done for a full run)")
    args = parser.parse_args(argv)
    names = args.target or list(TARGETS)
    if not args.json:
        print(f"{'target':<20} {'executions':>10} {'exec/s':>8} {'crashes':>7} {'rss MB':>8}  known findings",
              flush=True)
    results = []
    for name in names:
        result = run_target(name, args.runs, args.max_seconds, args.out)
        results.append(result)
        if not args.json:
            print(_line(result), flush=True)
            if result["crashes"]:
                print(f"  crash: input {result['crash_input']}, log {result['log']}", flush=True)
    summary = {"runs_per_target": args.runs, "max_seconds": args.max_seconds, "targets": results}
    full = not args.target and args.runs >= DEFAULT_RUNS and not args.max_seconds
    if full or args.save:
        _save(results, args.runs, args.max_seconds)
    if args.json:
        print(json.dumps(summary))
    return 1 if any(r["crashes"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
