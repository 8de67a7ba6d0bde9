"""Runs the action server on 127.0.0.1 with an error handler that echoes nothing, for our
own Rasa only (it shows the channel secret; see bot/channels/channel_secret.py).

rasa-sdk's own server binds 0.0.0.0 unless SANIC_HOST is set, and its error handler
returns the whole request body (the tracker, with the child's words) and logs it.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from rasa_sdk.endpoint import create_app
from sanic import response

from bot.channels import channel_secret

logger = logging.getLogger("actions.server")


def build_app():
    app = create_app("actions", cors_origins=None)

    @app.on_request
    async def only_our_rasa(request):
        # A tracker posted here is trusted to say whose meeting it is: only our Rasa may.
        if request.path != "/health" and not channel_secret.is_ours(
                request.headers.get(channel_secret.HEADER)):
            return response.json({"error": "forbidden"}, status=403)

    async def quiet_error(request, exception):
        logger.error("action failed: %s", type(exception).__name__)
        return response.json({"error": "action failed"}, status=500)

    app.error_handler.add(Exception, quiet_error)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.server")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", 5055)))
    args = parser.parse_args(argv)
    from bot.quiet_logging import configure

    configure(("rasa_sdk", "sanic", "sanic.root", "sanic.access", "sanic.error", "alembic"))
    from bot.config import bind_host

    build_app().run(bind_host(), args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
