"""Seeds that need the world: the real codes, so mutations explore near valid ones."""
from __future__ import annotations

from fuzz.world import world


def codes() -> list[bytes]:
    w = world()
    return [w.child_code.encode(), w.used_code.lower().encode(), f"kod {w.child_code[:4]}-{w.child_code[4:8]}"
            f"-{w.child_code[8:]}".encode()]
