"""How long the crisis detector takes (it runs on every message, before anything else).

Figures: CPU ms per message over the development set (tests/data/safety_cases.yml, short
messages as children write them), on 5,000-character messages, and on 1 MB messages (a
flood of one sentence, and random text), which must stay far inside the 10-second help
bound.

Run: .venv/bin/python -m benchmarks.safety_speed   → prints the figures and writes
benchmarks/results/safety_speed.json. Timing lives here, not in tests: machines are noisy.
"""
from __future__ import annotations

import json
import platform
import random
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml

from bot.safety.detector import detect

UNITS = {
    "everyday": "jag vet inte vad jag ska säga på mötet men skolan är jobbig och mamma tjatar om läxorna. ",
    "crisis": "pappa slår mig och mamma gråter ",
    "stretched": "hjääääälp snäääälla jag orkaaaar inteeee 😂 ",
    "english": "i feel like nobody listens to me at school and my teacher is unfair. ",
}
RESULTS = Path(__file__).resolve().parent / "results" / "safety_speed.json"
DEV_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "safety_cases.yml"


def cpu_ms(text: str, runs: int = 25) -> dict:
    detect(text)
    times = []
    for _ in range(runs):
        start = time.process_time()
        detect(text)
        times.append((time.process_time() - start) * 1000)
    times.sort()
    return {"best_ms": round(times[0], 2), "median_ms": round(times[len(times) // 2], 2)}


def per_message_ms(runs: int = 5) -> dict:
    """Mean CPU ms per message over the dev set (best and median of `runs` passes)."""
    data = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))
    messages = [m for groups in data.values() for ms in groups.values() for m in ms]
    for m in messages:
        detect(m)
    passes = []
    for _ in range(runs):
        start = time.process_time()
        for m in messages:
            detect(m)
        passes.append((time.process_time() - start) * 1000 / len(messages))
    passes.sort()
    return {"messages": len(messages), "best_ms": round(passes[0], 3), "median_ms": round(passes[len(passes) // 2], 3)}


def main() -> None:
    per_message = per_message_ms()
    print(f"detect() per dev-set message  best {per_message['best_ms']:6.3f} ms  median "
          f"{per_message['median_ms']:6.3f} ms  ({per_message['messages']} messages)")
    figures = {name: cpu_ms((unit * (5000 // len(unit) + 1))[:5000]) for name, unit in UNITS.items()}
    figures["short_message"] = cpu_ms("jag vill inte leva längre")
    for name, value in figures.items():
        print(f"detect() on {name:14} best {value['best_ms']:6.2f} ms  median {value['median_ms']:6.2f} ms")
    rng = random.Random(7)
    megabyte = {
        "flood": cpu_ms((UNITS["everyday"] * 20000)[:1_000_000], runs=3),
        "random_text": cpu_ms("".join(rng.choice("abcdefghijklmnopqrstuvwxyzåäö   .,") for _ in range(1_000_000)), runs=3),
    }
    for name, value in megabyte.items():
        print(f"detect() on 1 MB {name:11} best {value['best_ms']:8.1f} ms")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"measured_at": datetime.now(timezone.utc).isoformat(),
                                   "machine": platform.machine(), "cpu_ms_per_dev_message": per_message,
                                   "cpu_ms_5000_chars": figures, "cpu_ms_1mb": megabyte},
                                  indent=2) + "\n")


if __name__ == "__main__":
    main()
