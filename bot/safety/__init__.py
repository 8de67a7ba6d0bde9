"""Crisis detection and helpline data for SIP-kompis.

Framework-free on purpose (no Rasa import): the detector must run on every
message before any dialogue logic, and be testable on its own.

    from bot.safety import detect, as_json
    detect("jag vill dö")  # Detection(crisis=True, category='suicide')

The names are loaded on first use (PEP 562), so `python -m
bot.safety.detector "text"` runs the detector module once, without the
double-import warning an eager import here would cause.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "CATEGORIES",
    "Detection",
    "as_json",
    "detect",
    "is_stale",
    "load_helplines",
    "stale_warning",
]

_HOME = {
    "CATEGORIES": "detector",
    "Detection": "detector",
    "as_json": "detector",
    "detect": "detector",
    "is_stale": "helplines",
    "load_helplines": "helplines",
    "stale_warning": "helplines",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
