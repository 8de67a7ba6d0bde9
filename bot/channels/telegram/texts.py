"""The few lines the Telegram transport says on its own, kept in texts.yml (Swedish)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

TEXTS = Path(__file__).resolve().parent / "texts.yml"


@lru_cache(maxsize=1)
def texts() -> dict:
    return yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
