"""How long the crisis detector takes on long messages (it runs on every message).

Run: .venv/bin/python -m benchmarks.safety_speed   → prints the figures and writes
benchmarks/results/safety_speed.json. Timing lives here, not in tests: machines are noisy.
"""
from __future__ import annotations

import json
import platform
import time
from datetime import datetime, timezone
from pathlib import Path

from bot.safety.detector import detect

UNITS = {
    "everyday": "jag vet inte vad jag ska säga på mötet men skolan är jobbig och mamma tjatar om läxorna. ",
    "crisis": "pappa slår mig och mamma gråter ",
    "stretched": "hjääääälp snäääälla jag orkaaaar inteeee 😂 ",
    "english": "i feel like nobody listens to me at school and my teacher is unfair. ",
}
RESULTS = Path(__file__).resolve().parent / "results" / "safety_speed.json"


def cpu_ms(text: str, runs: int = 25) -> dict:
    detect(text)
    times = []
    for _ in range(runs):
        start = time.process_time()
        detect(text)
        times.append((time.process_time() - start) * 1000)
    times.sort()
    return {"best_ms": round(times[0], 2), "median_ms": round(times[len(times) // 2], 2)}


def main() -> None:
    figures = {name: cpu_ms((unit * (5000 // len(unit) + 1))[:5000]) for name, unit in UNITS.items()}
    figures["short_message"] = cpu_ms("jag vill inte leva längre")
    for name, value in figures.items():
        print(f"detect() on {name:14} best {value['best_ms']:6.2f} ms  median {value['median_ms']:6.2f} ms")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"measured_at": datetime.now(timezone.utc).isoformat(),
                                   "machine": platform.machine(), "cpu_ms_5000_chars": figures},
                                  indent=2) + "\n")


if __name__ == "__main__":
    main()
