"""Loads the Swedish phrases that actions compose (see phrases.yml)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml


@lru_cache(maxsize=1)
def phrases() -> dict:
    return yaml.safe_load((Path(__file__).with_name("phrases.yml")).read_text(encoding="utf-8"))


def label(kind: str) -> str:
    return phrases()["labels"][kind]


def payload(intent: str, **entities: str) -> str:
    """A button payload that sets entities: only ever offered by the bot, never typed."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"
