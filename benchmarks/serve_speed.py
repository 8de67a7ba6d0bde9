"""Start-up time, memory and turn latency of a real `serve`.

Run: .venv/bin/python -m benchmarks.serve_speed [--conversations 8] [--turns 10]
Starts serve on free ports in a temporary var dir (the model must be trained, or it is
trained first), measures time to `ready`, the RSS of each process, then runs concurrent
conversations through the REST webhook and reports turn latency p50/p95. Prints the
figures and writes benchmarks/results/serve_speed.json.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "serve_speed.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cli(env: dict, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bot", *args, "--json"], cwd=REPO, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`python -m bot {args[0]}` failed: {done.stdout.strip()} {done.stderr.strip()[-300:]}")
    return json.loads(done.stdout)


def new_child_code(env: dict) -> str:
    meeting = cli(env, "meeting", "create", "--coordinator", env["COORD"], "--child-name", "Bench Barn",
                  "--at", "2031-01-10 10:00", "--place", "Rum 1", "--purpose", "mätning",
                  "--participant", "Omar:kurator")
    return cli(env, "invite", "--meeting", meeting["meeting_id"], "--role", "child")["code"]


def process_name(cmdline: str) -> str:
    for marker, name in (("launcher", "rasa"), ("actions.server", "actions"),
                         ("bot.channels.web", "web"), ("bot.channels.telegram", "telegram")):
        if marker in cmdline:
            return name
    return "other"


def conversation(webhook: str, code: str, turns: int, headers: dict) -> list[float]:
    sender = secrets.token_hex(8)
    script = ["hej", code, "/affirm", "/start_preparation", "jag gillar fotboll",
              "det är stökigt i klassen", "mer lugn", "varför byter ni lärare", "/skip",
              "vad gör en kurator", "/approve_summary", "tack"]
    latencies = []
    with httpx.Client(timeout=120, headers=headers) as client:
        for message in script[:max(turns, 4)]:
            started = time.perf_counter()
            client.post(webhook, json={"sender": sender, "message": message}).raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=8)
    parser.add_argument("--turns", type=int, default=12)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="sipkompis-bench-"))
    env = {**os.environ, "SIPKOMPIS_VAR_DIR": str(var), "SIPKOMPIS_DB_URL": f"sqlite:///{var / 'db.sqlite'}",
           "SIPKOMPIS_MASTER_KEY_FILE": str(var / "master.key"), "RASA_PORT": str(free_port()),
           "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port()), "COORDINATOR_PORT": str(free_port()),
           "SIPKOMPIS_KEY_PASSPHRASE": "benchmark-only"}
    from bot.stack.model_cache import ensure_model

    _, trained = ensure_model()
    started = time.monotonic()
    serve = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in serve.stdout:
        if line.startswith("ready"):
            break
    ready_s = time.monotonic() - started
    children = subprocess.run(["pgrep", "-P", str(serve.pid)], capture_output=True, text=True).stdout.split()
    names = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode() for pid in children}
    memory = {"serve": rss_mb(serve.pid)}
    for pid, cmd in names.items():
        memory[process_name(cmd)] = rss_mb(int(pid))
    env["COORD"] = cli(env, "coordinator", "add", "--name", "Bench", "--key-out", str(var / "k"))["coordinator_id"]
    # Codes first, one at a time: the measured part is the conversations, not the CLI.
    codes = [new_child_code(env) for _ in range(args.conversations)]
    webhook = f"http://127.0.0.1:{env['RASA_PORT']}/webhooks/rest/webhook"
    with ThreadPoolExecutor(args.conversations) as pool:
        from bot.channels import channel_secret

        headers = channel_secret.headers(env)
        runs = list(pool.map(lambda code: conversation(webhook, code, args.turns, headers), codes))
    latencies = sorted(x for run in runs for x in run)
    for pid in children:
        memory_after = rss_mb(int(pid))
        memory[process_name(names[pid]) + "_after"] = memory_after
    serve.terminate()
    serve.wait(60)
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(), "cores": os.cpu_count(),
        "training_s": round(trained, 1) if trained else "cached",
        "startup_to_ready_s": round(ready_s, 1), "rss_mb": memory,
        "conversations": args.conversations, "turns": len(latencies),
        "turn_latency_ms": {"p50": round(statistics.median(latencies), 1),
                            "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
                            "max": round(latencies[-1], 1)},
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
