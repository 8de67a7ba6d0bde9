"""`python -m bot ...`: the coordinator's and operator's command line.

Every command opens (and so creates and migrates) the store first, has a readable default
output and `--json`, which prints exactly one JSON object. Errors are one line saying what
is wrong and what to do, with a non-zero exit code.
"""
from __future__ import annotations

import argparse
import sys

from bot.cli import admin, keys_cmd, retention_cmd, run_cmd
from bot.cli.output import CliError, fail


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="SIP-kompis: prepare children for their SIP meeting.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run_cmd.register(sub)
    admin.register(sub)
    keys_cmd.register(sub)
    retention_cmd.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        parser.print_help()
        return 2
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except CliError as error:
        return fail(str(error), getattr(args, "json", False))
    except KeyboardInterrupt:
        return 130
