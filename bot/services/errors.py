"""Errors the services raise for callers to turn into a kind message."""


class NotFound(Exception):
    """The meeting, person or coordinator does not exist (or no longer does)."""
