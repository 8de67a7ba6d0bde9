"""Trains the Rasa model only when the data changed.

The model is named by our own fingerprint of the config, the domain and the training
data: `rasa train` checks its own `.rasa/cache`, not `models/`, so it cannot tell us
whether the model in `models/` matches the data.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import tarfile
import sys
import time
from pathlib import Path

from bot.config import REPO_ROOT

MODELS_DIR = Path(os.environ.get("SIPKOMPIS_MODELS_DIR", REPO_ROOT / "models"))
INPUTS = ("config/config.yml", "config/domain", "data")


class TrainingError(Exception):
    pass


def fingerprint(root: Path = REPO_ROOT) -> str:
    digest = hashlib.sha256()
    for entry in INPUTS:
        base = root / entry
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            if path.suffix not in (".yml", ".yaml"):
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"sipkompis-{fingerprint()}.tar.gz"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(REPO_ROOT)})
    return env


def ensure_model(models_dir: Path = MODELS_DIR, log=print) -> tuple[Path, float | None]:
    """The model for the current data, training it first if needed.

    Returns (path, seconds spent training or None). A lock file keeps two processes
    (say, `serve` and the test suite) from training the same model at once.
    """
    models_dir.mkdir(parents=True, exist_ok=True)
    target = model_path(models_dir)
    with open(models_dir / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            if not tarfile.is_tarfile(target):
                raise TrainingError(f"the model file {target} is damaged; delete it and start "
                                    "again to retrain it")
            return target, None
        log(f"training the model for data fingerprint {target.name} (takes a few minutes once)")
        started = time.monotonic()
        command = [sys.executable, "-m", "rasa", "train", "--config", "config/config.yml",
                   "--domain", "config/domain", "--data", "data", "--out", str(models_dir),
                   "--fixed-model-name", target.name.removesuffix(".tar.gz")]
        result = subprocess.run(command, cwd=REPO_ROOT, env=rasa_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0 or not target.exists():
            tail = "\n".join(result.stdout.strip().splitlines()[-15:])
            raise TrainingError(f"rasa train failed (exit {result.returncode}):\n{tail}")
        return target, time.monotonic() - started
