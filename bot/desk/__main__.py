"""`python -m bot.desk`: run the coordinator's desk on 127.0.0.1:COORDINATOR_PORT (started by `serve`)."""
from __future__ import annotations

from bot import quiet_logging
from bot.config import bind_host, load_settings


def main() -> None:
    # No access log: paths carry ids only, but a log of who looked at which meeting when
    # belongs in the audit trail, not in a file anyone on the server can read.
    quiet_logging.configure(quiet_loggers=("sanic.access", "httpx", "httpcore", "alembic"))
    from bot.desk.app import build_app

    settings = load_settings()
    app = build_app(settings)
    app.run(host=bind_host(), port=settings.coordinator_port, access_log=False, workers=1,
            motd=False)


if __name__ == "__main__":
    main()
