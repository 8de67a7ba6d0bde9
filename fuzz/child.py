"""One target under atheris, in a process of its own (libFuzzer ends the process when it
is done). Run by `python -m fuzz`; prints libFuzzer's own statistics on stderr.

    python -m fuzz.child NAME CORPUS_DIR [libFuzzer flags...]
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main() -> None:
    import atheris

    name, corpus, flags = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from fuzz.registry import TARGETS

    target = TARGETS[name]
    # Coverage guidance needs the handlers' bytecode instrumented: import them inside.
    with atheris.instrument_imports(include=["bot"]):
        function = target.load()
    if target.uses_world:
        from fuzz.world import world

        world()  # built before the clock starts, and outside the fuzzed code
    for index, seed in enumerate(target.all_seeds()):
        (Path(corpus) / f"seed-{index}").write_bytes(seed)
    # For exec/s: libFuzzer's own figure is whole seconds only, and start-up is not fuzzing.
    print(f"fuzz-start {time.time():.3f}", file=sys.stderr, flush=True)
    atheris.Setup([sys.argv[0], corpus, *flags], function)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
