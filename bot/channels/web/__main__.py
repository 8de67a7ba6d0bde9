"""`python -m bot.channels.web`: run the web chat on 127.0.0.1:WEB_PORT (started by `serve`)."""
from __future__ import annotations

from bot import quiet_logging
from bot.config import bind_host, load_settings


def main() -> None:
    # Sanic's access log would record every path; ours carry no text, but nothing is gained.
    quiet_logging.configure(quiet_loggers=("sanic.access", "httpx", "httpcore", "alembic"))
    from bot.channels.web.app import build_app

    settings = load_settings()
    app = build_app(settings)
    app.run(host=bind_host(), port=settings.web_port, access_log=False, workers=1,
            motd=False)


if __name__ == "__main__":
    main()
