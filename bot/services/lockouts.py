"""How long a login stays locked: each lockout twice the one before, within a day.

With five tries per lockout this allows about 35 guesses in the first day instead of the
480 a fixed quarter of an hour would, while a child who mistyped once or twice waits only
a quarter of an hour. Shared by the child's web login and the coordinator's desk.
"""
from __future__ import annotations

from datetime import timedelta

FIRST = timedelta(minutes=15)
LONGEST = timedelta(hours=24)


def length(lockouts: int) -> timedelta:
    """The length of the n-th lockout (1-based): 15 min, doubling, at most 24 h."""
    return min(FIRST * (2 ** min(max(lockouts - 1, 0), 16)), LONGEST)
