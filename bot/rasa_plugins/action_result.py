"""Rasa's check of an action server's answer, the same check at a fraction of the cost.

Rasa validates every answer with `jsonschema.validate(answer, schema)`. That call first
checks Rasa's large events schema against the JSON Schema meta-schema (every time), then
tries each event against all 23 alternatives of the schema's `oneOf`. Under load this was
about a third of Rasa's CPU.

Here the schema is checked once and validators are built once. Every alternative of the
`oneOf` pins `event` to its own constant, so an event can only ever satisfy the one
alternative named by its `event` field: each event is validated against the item schema
plus that one alternative, which is exactly what `oneOf` accepts. Whenever anything does
not pass, the full schema is run to raise the same `ValidationError` Rasa would raise, so
a malformed answer still fails the turn (the launcher turns it into a 5xx, nothing saved).
"""
from __future__ import annotations

from typing import Any, Callable

from jsonschema import validators
from jsonschema.exceptions import best_match


class ActionResultCheck:
    def __init__(self, schema: dict) -> None:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        self._full = cls(schema)
        events = schema["properties"]["events"]
        item = events["items"]
        base = {key: value for key, value in item.items() if key != "oneOf"}
        self._by_event: dict[str, Any] = {}
        for alternative in item["oneOf"]:
            name = alternative["properties"]["event"]["const"]
            if name in self._by_event:
                raise ValueError(f"two alternatives for event {name!r}: the shortcut would not be exact")
            self._by_event[name] = cls({"allOf": [base, alternative]})
        outer = dict(schema)
        outer["properties"] = {**schema["properties"], "events": {"type": events["type"]}}
        self._outer = cls(outer)

    def _passes(self, result: Any) -> bool:
        if not self._outer.is_valid(result):
            return False
        for event in result.get("events", ()):
            name = event.get("event") if isinstance(event, dict) else None
            check = self._by_event.get(name) if isinstance(name, str) else None
            if check is None or not check.is_valid(event):
                return False
        return True

    def __call__(self, result: Any) -> bool:
        if self._passes(result):
            return True
        error = best_match(self._full.iter_errors(result))
        if error is None:  # the shortcut is exact, so this does not happen; the schema decides
            return True
        raise error


def compiled_check() -> Callable[[Any, Any], bool]:
    """A drop-in for `RemoteAction._validate_action_result` (a method: `self` unused)."""
    from rasa.core.actions.action import RemoteAction

    check = ActionResultCheck(RemoteAction.action_response_format_spec())

    def validate_action_result(self, result: Any) -> bool:
        return check(result)

    return validate_action_result
