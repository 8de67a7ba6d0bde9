"""Commands that run things: serve, chat, train, safety-check, followups."""
from __future__ import annotations

import json
import time
from datetime import datetime

from bot.cli.output import CliError, emit, session_and_keys, warn


def _startup_checks(settings) -> None:
    from bot.crypto.masterkey import MasterKeyError
    from bot.safety.helplines import stale_warning
    from bot.services import service_keys
    from bot.stack.supervisor import port_free

    from bot.stack.channels import channel_processes

    ports = [("RASA_PORT" if i == 0 else f"RASA_PORT+{i} (RASA_REPLICAS)", port)
             for i, port in enumerate(settings.rasa_ports)] + [("ACTION_PORT", settings.action_port)]
    for channel in channel_processes(settings):
        ports += list(channel.ports.items())
    for name, port in ports:
        if not port_free(port):
            raise CliError(f"port {port} ({name}) is in use; stop what uses it or set {name}")
    try:
        with session_and_keys() as (session, keys):
            service_keys.signing_key(session, keys)
            recovery = service_keys.recovery_public_key(session)
    except MasterKeyError as error:
        raise CliError(str(error)) from None
    if recovery is None:
        warn("no recovery key: statements are sealed to the coordinator only "
             "(create one with `python -m bot recovery-key create`)")
    stale = stale_warning(datetime.now().date())
    if stale:
        warn(stale)


def serve(args) -> int:
    from bot.config import load_settings, replicas_problem
    from bot.stack.model_cache import TrainingError, ensure_model
    from bot.stack.supervisor import StartupError, start_stack, supervise

    started = time.monotonic()
    settings = load_settings()
    problem = replicas_problem(settings)
    if problem:
        raise CliError(problem)
    _startup_checks(settings)
    try:
        model, trained = ensure_model(log=lambda line: print(line, flush=True))
    except TrainingError as error:
        raise CliError(str(error)) from None
    if trained is not None:
        print(f"trained the model in {trained:.0f} s", flush=True)
    # Built once here if the data changed, so the processes starting next all load it
    # instead of each building it at once on a 2-core machine (bot/safety/classifier.py).
    import bot.safety.classifier  # noqa: F401

    try:
        stack = start_stack(settings, model, settings.var_dir / "logs")
    except StartupError as error:
        raise CliError(str(error)) from None
    for channel in stack.channels:
        if channel.describe:
            print(channel.describe, flush=True)
    print("start-up, seconds until each answered: "
          + ", ".join(f"{what} {at:.1f}" for what, at in stack.answered.items()), flush=True)
    more = settings.rasa_ports[1:]
    replicas = f" and {len(more)} more Rasa replica(s) on port(s) {', '.join(map(str, more))}" if more else ""
    print(f"ready in {time.monotonic() - started:.1f} s: REST webhook {settings.webhook_url}{replicas}",
          flush=True)
    return supervise(stack)


def chat(args) -> int:
    from bot.cli.terminal_chat import run_chat

    return run_chat()


def train(args) -> int:
    from bot.stack.model_cache import TrainingError, ensure_model

    try:
        model, seconds = ensure_model()
    except TrainingError as error:
        raise CliError(str(error)) from None
    return emit({"model": str(model), "trained_seconds": seconds}, args.json,
                f"model: {model}" + (f" (trained in {seconds:.0f} s)" if seconds else " (up to date)"))


def safety_check(args) -> int:
    from bot.safety.detector import as_json

    result = as_json(args.text)
    # Always JSON: this command exists to be read by scripts and the acceptance checks.
    print(json.dumps(result, ensure_ascii=False))
    return 0


def followups_run_due(args) -> int:
    """Exit 2 with one line for a --now that is not ISO 8601 (naive means UTC)."""
    from dateutil.parser import isoparse

    from bot.cli.output import fail
    from bot.services.followups import run_due_in
    from bot.store.db import StoreError, open_store

    now = None
    if args.now:
        try:
            now = isoparse(args.now.strip())
        except (ValueError, OverflowError):
            fail(f"--now must be ISO 8601, e.g. 2030-05-21T10:00:00Z; got {args.now!r}", args.json)
            return 2
    from bot.crypto.masterkey import MasterKeyError
    from bot.store.keyring import master_keys

    try:
        factory = open_store()
        master_keys()  # a missing or wrong master key is one clear line, not a failed job per item
    except (StoreError, MasterKeyError) as error:
        raise CliError(str(error)) from None
    sent = run_due_in(factory, now)
    return emit({"sent": sent}, args.json, f"{sent} påminnelse(r) och uppföljning(ar) skickade.")


def register(sub) -> None:
    from bot.cli.admin import _cmd

    p = sub.add_parser("serve", help="start Rasa, the action server and the channels")
    p.set_defaults(handler=serve, json=False)
    p = sub.add_parser("chat", help="talk to SIP-kompis in the terminal as the demo child")
    p.set_defaults(handler=chat, json=False)
    _cmd(sub, "train", train, "train the model if the data changed")
    p = sub.add_parser("safety-check", help="run the crisis detector on a text")
    p.add_argument("text")
    p.add_argument("--json", action="store_true", help="(always JSON)")
    p.set_defaults(handler=safety_check)
    followups = sub.add_parser("followups", help="follow-up after the meeting")
    fsub = followups.add_subparsers(dest="action", metavar="ACTION")
    p = _cmd(fsub, "run-due", followups_run_due, "send the follow-ups that are due")
    p.add_argument("--now", help="ISO 8601 time to treat as now (default: now)")
