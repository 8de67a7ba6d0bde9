"""Throughput with 1 and with 2 Rasa replicas (RASA_REPLICAS) on the same load.

Run: .venv/bin/python -m benchmarks.replicas [--children 20] [--turns 30] [--repeats 2]

Both layouts run the production set-up: PostgreSQL store and tracker store, a Redis lock
store, encryption and the action server on. With 2 replicas every conversation alternates
between them turn by turn (the worst case for the shared tracker store and the lock). Runs
are interleaved (1, 2, 1, 2, ...) so both meet the same background load; compare medians.
Writes benchmarks/results/replicas.json. Needs PostgreSQL (SIPKOMPIS_BENCH_PG) and Redis
(SIPKOMPIS_BENCH_REDIS).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from datetime import datetime, timezone

from benchmarks import harness
from benchmarks.__main__ import RESULTS, machine

REDIS = os.environ.get("SIPKOMPIS_BENCH_REDIS", "redis://127.0.0.1:6379/7")


def one_run(replicas: int, children: int, turns: int) -> dict:
    port = harness.free_port()
    while not _free(port + 1):
        port = harness.free_port()
    stack = harness.start_our_stack(postgres=True, timeout=900, extra_env={
        "RASA_REPLICAS": str(replicas), "RASA_PORT": str(port), "SIPKOMPIS_LOCK_STORE_URL": REDIS})
    try:
        if not stack.env["SIPKOMPIS_DB_URL"].startswith("postgresql"):
            raise SystemExit("PostgreSQL is needed for replicas (SIPKOMPIS_BENCH_PG)")
        urls = [f"http://127.0.0.1:{port + n}/webhooks/rest/webhook" for n in range(replicas)]
        codes = harness.make_children(stack.env, children)
        load = harness.rest_load(urls, harness.our_scripts(codes, turns), headers=stack.headers)
        return {"replicas": replicas, "ready_s": round(stack.ready_s, 1), **load.summary()}
    finally:
        stack.stop()


def _free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    runs = []
    for repeat in range(args.repeats):
        for replicas in (1, 2):
            run = one_run(replicas, args.children, args.turns)
            runs.append(run)
            print(f"run {repeat + 1}, {replicas} replica(s): {run['throughput_tps']} turns/s, "
                  f"p95 {run['p95_ms']} ms, errors {run['errors']}, ready in {run['ready_s']} s",
                  flush=True)
    summary = {}
    for replicas in (1, 2):
        mine = [r for r in runs if r["replicas"] == replicas]
        summary[replicas] = {"throughput_tps": statistics.median(r["throughput_tps"] for r in mine),
                             "p95_ms": statistics.median(r["p95_ms"] for r in mine),
                             "errors": sum(r["errors"] for r in mine)}
    ratio = summary[2]["throughput_tps"] / summary[1]["throughput_tps"]
    print(f"\nmedian of {args.repeats}: 1 replica {summary[1]['throughput_tps']} turns/s "
          f"(p95 {summary[1]['p95_ms']} ms), 2 replicas {summary[2]['throughput_tps']} turns/s "
          f"(p95 {summary[2]['p95_ms']} ms): ratio {ratio:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "replicas.json").write_text(json.dumps({
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python -m benchmarks.replicas " + " ".join(argv or sys.argv[1:]),
        "load": {"children": args.children, "turns": args.turns, "repeats": args.repeats},
        "machine": machine(), "runs": runs,
        "median": {str(k): v for k, v in summary.items()}, "ratio_2_to_1": round(ratio, 2),
    }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
