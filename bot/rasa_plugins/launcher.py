"""Starts the Rasa server the way SIP-kompis needs it: fail closed, quiet, local only.

Rasa 3.6 silently degrades in three places: a custom tracker store that fails to import
becomes an in-memory store, every store is wrapped in `FailSafeTrackerStore` (a failed
save goes to memory, a failed read starts an empty conversation), and an action that
raises is logged (with whatever the action server echoed) and skipped. Each is replaced
here so that a fault reaches the channel as an error and nothing is lost silently.
"""
from __future__ import annotations

import argparse
import os
import sys


class ActionFailed(BaseException):
    """Raised past Rasa's `except Exception` in the processor, to fail the turn.

    A BaseException on purpose: Rasa's processor catches every Exception from an action
    and carries on as if the action had run.
    """


def _strict_custom_store(domain, store, event_broker=None):
    import rasa.shared.utils.common

    cls = rasa.shared.utils.common.class_from_module_path(store.type)
    return cls(host=store.url, domain=domain, event_broker=event_broker, **store.kwargs)


def _no_fail_safe(store, domain):
    if store is None:
        raise RuntimeError("no tracker store configured; refusing to keep chats in memory")
    store.domain = domain
    return store


class TurnFailed(Exception):
    """What an `ActionFailed` becomes once it is past Rasa's processor: an ordinary error,
    so the input channel answers 5xx instead of the connection being dropped."""


class _LoudAction:
    def __init__(self, action) -> None:
        self._action = action

    def __getattr__(self, name):
        return getattr(self._action, name)

    async def run(self, *args, **kwargs):
        from rasa.core.actions.action import ActionExecutionRejection

        try:
            return await self._action.run(*args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception as error:  # noqa: BLE001
            raise ActionFailed(f"action {self._action.name()} failed: {type(error).__name__}") from None


def install_fail_closed_patches() -> None:
    import rasa.core.actions.action
    import rasa.core.agent
    import rasa.core.processor
    import rasa.core.tracker_store

    from bot.rasa_plugins.action_result import compiled_check

    # Same check as Rasa's, without re-checking the schema on every answer (see there).
    rasa.core.actions.action.RemoteAction._validate_action_result = compiled_check()

    rasa.core.tracker_store._load_from_module_name_in_endpoint_config = _strict_custom_store
    rasa.core.agent.Agent._create_tracker_store = staticmethod(_no_fail_safe)
    original = rasa.core.processor.MessageProcessor._run_action

    async def run_action(self, action, *args, **kwargs):
        return await original(self, _LoudAction(action), *args, **kwargs)

    rasa.core.processor.MessageProcessor._run_action = run_action
    handle = rasa.core.processor.MessageProcessor.handle_message

    async def handle_message(self, message):
        try:
            return await handle(self, message)
        except ActionFailed as failed:
            raise TurnFailed(str(failed)) from None

    rasa.core.processor.MessageProcessor.handle_message = handle_message


def configure_logging() -> None:
    from bot.quiet_logging import configure

    configure(("rasa", "sanic", "sanic.root", "sanic.access", "sanic.error", "asyncio",
               "tensorflow", "absl", "apscheduler", "aiohttp", "matplotlib", "alembic"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.rasa_plugins.launcher")
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--endpoints", required=True)
    parser.add_argument("--credentials", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    configure_logging()
    install_fail_closed_patches()
    import rasa.utils.common

    # Rasa would set Sanic's loggers from LOG_LEVEL_LIBRARIES and detach them from our
    # handler (propagate=False): their records would then skip the filters above.
    rasa.utils.common.update_sanic_log_level = lambda *args, **kwargs: None
    from rasa.core.run import serve_application
    from rasa.core.utils import AvailableEndpoints

    from bot.config import bind_host

    from bot.channels import channel_secret

    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    if endpoints.action is not None:
        # The action server refuses calls without it (actions/server.py).
        endpoints.action.headers = {**endpoints.action.headers, **channel_secret.headers()}
    redis_url = os.environ.get("SIPKOMPIS_LOCK_STORE_URL")
    if redis_url:
        from urllib.parse import urlparse

        from rasa.utils.endpoints import EndpointConfig

        parsed = urlparse(redis_url)
        endpoints.lock_store = EndpointConfig(type="bot.rasa_plugins.lock_store.AtomicRedisLockStore",
                                              url=parsed.hostname, port=parsed.port or 6379,
                                              password=parsed.password,
                                              db=int((parsed.path or "/0").strip("/") or 0))
    serve_application(
        model_path=args.model, credentials=args.credentials, interface=bind_host(),
        port=args.port, enable_api=False, endpoints=endpoints,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
