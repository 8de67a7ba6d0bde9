"""One benchmark command: `.venv/bin/python -m benchmarks [--repeats 2] [--levels 1,10,20]`.

In one run, on this machine: our `serve` (encryption, actions and the PostgreSQL store all
on) against the stock `rasa init` bot trained in a temporary folder, the same number of
children and turns over the REST webhook, runs interleaved (ours, stock, ours, stock...)
so that both meet the same background load; the floor (Rasa's own `/model/parse` of our
model for the same messages); start-up, RSS per process, the store's own before/after;
NLU held-out macro-F1 (through that `/model/parse`) and the crisis detector. Prints one
table, writes benchmarks/results/latest.json and appends a line to history.md.

The machine is shared and noisy: compare ratios measured in the same run, and medians.
Telegram and web chat transports are not in here yet (see the README).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import httpx

from benchmarks import harness

RESULTS = harness.REPO / "benchmarks" / "results"


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    versions = {}
    for name in ("rasa", "rasa-sdk", "tensorflow", "sanic", "SQLAlchemy", "psycopg2-binary", "jsonschema",
                 "cryptography"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "load_average_at_start": os.getloadavg()[0], "packages": versions}


def wait_http(check, timeout: float, process: subprocess.Popen | None = None) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} while starting")
        try:
            if check():
                return time.monotonic() - started
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        time.sleep(0.3)
    raise RuntimeError("did not answer in time")


class RasaServer:
    """A plain `rasa run` (the stock bot, or our model for `/model/parse`)."""

    def __init__(self, cwd: Path, model: Path, extra: list[str], env: dict) -> None:
        self.port = harness.free_port()
        self.log = open(Path(tempfile.mkdtemp(prefix="rasa-bench-log-")) / "rasa.log", "w")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rasa", "run", "-m", str(model), "--port", str(self.port),
             "-i", "127.0.0.1", *extra], cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, check_path: str, body: dict, timeout: float = 600) -> float:
        wait_http(lambda: httpx.post(self.url + check_path, json=body, timeout=30).status_code == 200,
                  timeout, self.process)
        return time.monotonic() - self.started

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def train_stock(env: dict) -> tuple[Path, Path, float]:
    folder = Path(tempfile.mkdtemp(prefix="rasa-init-bench-"))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(folder)],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=1200)
    models = sorted((folder / "models").glob("*.tar.gz"))
    if done.returncode != 0 or not models:
        raise RuntimeError("rasa init failed: " + done.stdout[-500:] + done.stderr[-500:])
    return folder, models[-1], time.monotonic() - started


def median_runs(runs: list[dict]) -> dict:
    keys = ("throughput_tps", "p50_ms", "p95_ms", "p99_ms")
    out = {k: round(statistics.median(r[k] for r in runs), 1 if k != "throughput_tps" else 2) for k in keys}
    out["turns"] = sum(r["turns"] for r in runs)
    out["errors"] = sum(r["errors"] for r in runs)
    out["runs"] = len(runs)
    return out


def parse_load(url: str, texts: list[str], concurrency: int) -> dict:
    scripts = [texts[i::concurrency] for i in range(concurrency)]
    load = harness.rest_load(url + "/model/parse", scripts, body=lambda _s, text: {"text": text})
    return load.summary()


def heldout_f1(url: str) -> dict:
    from benchmarks.nlu_eval import load_heldout, score

    examples = load_heldout()

    async def run() -> list[str]:
        async with httpx.AsyncClient(timeout=60) as client:
            predicted = []
            for text, _ in examples:
                reply = (await client.post(url + "/model/parse", json={"text": text})).json()
                predicted.append((reply.get("intent") or {}).get("name") or "")
            return predicted

    predicted = asyncio.run(run())
    result = score([intent for _, intent in examples], predicted)
    return {"examples": len(examples), "macro_f1": result.get("macro_f1")}


def safety() -> dict:
    from benchmarks.safety_eval import evaluate
    from bot.safety.detector import detect

    out = {}
    for split in ("dev", "heldout"):
        try:
            r = evaluate(split)
        except FileNotFoundError:
            continue
        out[split] = {"recall": round(r.recall, 4), "false_alarms": r.false_alarms,
                      "non_crisis": r.non_crisis_total}
    texts = ["vad gör en kurator", "jag vill inte leva längre", "när är mötet", "det är stökigt i klassen"] * 250
    started = time.perf_counter()
    for text in texts:
        detect(text)
    out["messages_per_s"] = round(len(texts) / (time.perf_counter() - started))
    return out


def last_cross_validation() -> dict:
    path = RESULTS / "nlu.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    cv = data.get("cross_validation") or {}
    return {"macro_f1": cv.get("macro_f1"), "folds": cv.get("folds"), "measured": data.get("date"),
            "note": "from the last `python -m benchmarks.nlu_eval` (cross-validation takes ~25 min)"}


def table(result: dict) -> str:
    rows = ["| children | ours turns/s | stock turns/s | ratio | ours p50 / p95 ms | stock p50 / p95 ms | p95 ours/stock |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for level, pair in result["rest"].items():
        ours, stock = pair["ours"], pair.get("stock")
        if stock:
            rows.append(f"| {level} | {ours['throughput_tps']} | {stock['throughput_tps']} | "
                        f"{pair['throughput_ratio']} | {ours['p50_ms']:.0f} / {ours['p95_ms']:.0f} | "
                        f"{stock['p50_ms']:.0f} / {stock['p95_ms']:.0f} | {pair['p95_ratio']} |")
        else:
            rows.append(f"| {level} | {ours['throughput_tps']} | – | – | {ours['p50_ms']:.0f} / "
                        f"{ours['p95_ms']:.0f} | – | – |")
    lines = ["\n".join(rows), ""]
    floor = result.get("floor") or {}
    for level, f in floor.get("parse", {}).items():
        lines.append(f"floor /model/parse at {level}: {f['throughput_tps']} parses/s, p50 {f['p50_ms']:.0f} ms; "
                     f"full turn / parse (p50): {floor['turn_over_parse_p50'].get(level, '–')}")
    s = result["startup"]
    lines.append(f"start-up to ready: ours {s['ours_ready_s']} s, stock `rasa run` {s.get('stock_ready_s', '–')} s; "
                 f"stock training {s.get('stock_training_s', '–')} s; our model up to date check {s['model_check_s']} s")
    lines.append("RSS MB at rest: " + ", ".join(f"{k} {v}" for k, v in result["rss_mb"]["rest"].items())
                 + "; under load: " + ", ".join(f"{k} {v}" for k, v in result["rss_mb"]["load"].items()))
    nlu = result.get("nlu", {})
    lines.append(f"NLU macro-F1: held-out {nlu.get('heldout', {}).get('macro_f1', '–')}, "
                 f"cross-validation {nlu.get('cross_validation', {}).get('macro_f1', '–')} "
                 f"({nlu.get('cross_validation', {}).get('measured', 'not run')})")
    sa = result.get("safety", {})
    st = result.get("store", {})
    for db in ("sqlite", "postgresql"):
        if db in st:
            lines.append(f"store, ms per turn at turn 31-40 ({db}): before {st[db]['before']['last10_ms']}, "
                         f"now {st[db]['now']['last10_ms']}, now with 2 replicas "
                         f"{st[db]['now, 2 replicas']['last10_ms']}")
    lines.append("crisis detector: " + ", ".join(
        f"{k} recall {v['recall']} false alarms {v['false_alarms']}/{v['non_crisis']}"
        for k, v in sa.items() if isinstance(v, dict)) + f", {sa.get('messages_per_s', '–')} messages/s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--repeats", type=int, default=2, help="runs per level and bot (median)")
    parser.add_argument("--levels", default="1,10,20", help="concurrent children per run")
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Rasa comparison")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    began = time.monotonic()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
           "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(harness.REPO)}
    result: dict = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "machine": machine(), "levels": levels, "turns_per_child": args.turns,
                    "repeats": args.repeats, "startup": {}, "rest": {}}
    from bot.stack.model_cache import ensure_model

    started = time.monotonic()
    model, trained = ensure_model(log=lambda line: print(line, file=sys.stderr))
    result["startup"]["model_check_s"] = round(time.monotonic() - started, 2)
    if trained:
        result["startup"]["our_training_s"] = round(trained, 1)
    cleanup = []
    try:
        stock_training = None
        if not args.no_stock:
            print("training the stock `rasa init` bot in a temporary folder", file=sys.stderr)
            folder, stock_model, stock_training = train_stock(env)
            cleanup.append(lambda: shutil.rmtree(folder, ignore_errors=True))
            result["startup"]["stock_training_s"] = round(stock_training, 1)
        print("starting our serve", file=sys.stderr)
        ours = harness.start_our_stack()
        cleanup.append(ours.stop)
        result["startup"]["ours_ready_s"] = round(ours.ready_s, 1)
        result["rss_mb"] = {"rest": ours.rss()}
        stock = floor = None
        if not args.no_stock:
            print("starting the stock bot and the /model/parse floor", file=sys.stderr)
            stock = RasaServer(folder, stock_model, [], env)
            cleanup.append(stock.stop)
            result["startup"]["stock_ready_s"] = round(stock.wait(
                "/webhooks/rest/webhook", {"sender": "warm", "message": "hi"}), 1)
        floor = RasaServer(harness.REPO, model, ["--enable-api"], env)
        cleanup.append(floor.stop)
        floor.wait("/model/parse", {"text": "hej"})
        peak: dict[str, float] = {}
        for level in levels:
            runs_ours, runs_stock = [], []
            for _ in range(args.repeats):
                codes = harness.make_children(ours.env, level)
                # One warm turn each is not measured: the first message creates the chat.
                runs_ours.append(harness.rest_load(ours.webhook, harness.our_scripts(codes, args.turns),
                                                   headers=ours.headers).summary())
                for name, mb in ours.rss().items():
                    peak[name] = max(peak.get(name, 0.0), mb)
                if stock is not None:
                    runs_stock.append(harness.rest_load(stock.url + "/webhooks/rest/webhook",
                                                        harness.stock_scripts(level, args.turns)).summary())
            pair = {"ours": median_runs(runs_ours), "ours_runs": runs_ours}
            if runs_stock:
                pair.update(stock=median_runs(runs_stock), stock_runs=runs_stock)
                ratios = [o["throughput_tps"] / s["throughput_tps"] for o, s in zip(runs_ours, runs_stock)]
                p95 = [o["p95_ms"] / s["p95_ms"] for o, s in zip(runs_ours, runs_stock)]
                pair["throughput_ratio"] = round(statistics.median(ratios), 2)
                pair["p95_ratio"] = round(statistics.median(p95), 2)
            result["rest"][str(level)] = pair
            print(f"level {level}: {json.dumps({k: v for k, v in pair.items() if not k.endswith('_runs')})}",
                  file=sys.stderr)
        result["rss_mb"]["load"] = peak
        texts = [t for t in harness.OUR_SCRIPT if "{" not in t]
        parse = {str(level): parse_load(floor.url, texts * max(1, (level * args.turns) // len(texts)), level)
                 for level in levels}
        result["floor"] = {"parse": parse, "turn_over_parse_p50": {
            level: round(result["rest"][level]["ours"]["p50_ms"] / parse[level]["p50_ms"], 1)
            for level in parse if parse[level]["p50_ms"]}}
        result["nlu"] = {"cross_validation": last_cross_validation()}
        try:
            result["nlu"]["heldout"] = heldout_f1(floor.url)
        except Exception as error:  # noqa: BLE001 - report the rest rather than nothing
            result["nlu"]["heldout"] = {"error": type(error).__name__}
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except Exception:  # noqa: BLE001 - clean-up is best effort
                pass
    print("store before/after", file=sys.stderr)
    from benchmarks import store_speed

    for name, step in (("store", lambda: store_speed.main(["--turns", "40"])), ("safety", safety)):
        try:
            result[name] = step()
        except Exception as error:  # noqa: BLE001 - report the rest rather than nothing
            result[name] = {"error": f"{type(error).__name__}: {error}"[:200]}
    result["duration_s"] = round(time.monotonic() - began)
    text = table(result)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    top = result["rest"].get(str(max(levels)), {})
    history = RESULTS / "history.md"
    if not history.exists():
        history.write_text("# Benchmark history\n\nOne line per `python -m benchmarks` run "
                           "(highest concurrency level; ratios are ours / stock in the same run).\n\n"
                           "| when | children | ours turns/s | stock turns/s | ratio | p95 ours/stock | "
                           "ours ready s | load avg | duration s |\n"
                           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
    with history.open("a") as out:
        out.write(f"| {result['measured_at']} | {max(levels)} | {top.get('ours', {}).get('throughput_tps', '–')} | "
                  f"{top.get('stock', {}).get('throughput_tps', '–')} | {top.get('throughput_ratio', '–')} | "
                  f"{top.get('p95_ratio', '–')} | {result['startup'].get('ours_ready_s')} | "
                  f"{result['machine']['load_average_at_start']:.1f} | {result['duration_s']} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
