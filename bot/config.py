"""Settings read from the environment, in one place.

Every process (serve, the action server, Rasa, the CLI) reads the same variables, so the
defaults live here and `serve` exports the resolved values to its children.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIPKOMPIS_VAR_DIR", REPO_ROOT / "var"))


@dataclass(frozen=True)
class Settings:
    db_url: str
    master_key_env: str | None
    master_key_file: Path
    rasa_port: int
    action_port: int
    web_port: int
    telegram_token: str | None
    telegram_api_base: str
    telegram_username: str | None
    web_base_url: str
    retention_days: int
    escalation: str
    on_duty_contact: str | None
    var_dir: Path
    # Telegram webhook mode: the public https URL Telegram posts to (a reverse proxy
    # forwards it to telegram_webhook_listen:telegram_webhook_port). None means polling.
    telegram_webhook_url: str | None = None
    telegram_webhook_port: int = 8443
    telegram_webhook_listen: str = "127.0.0.1"
    # Scale-out (DESIGN section 5): `serve` starts rasa_replicas Rasa servers on consecutive
    # ports, sharing the PostgreSQL store and the Redis lock store at lock_store_url.
    rasa_replicas: int = 1
    lock_store_url: str | None = None
    # RASA_URLS: the replicas' base URLs when they run elsewhere (docker/compose.yml), so a
    # channel started alone knows where to relay; unset means the loopback ports above.
    rasa_urls_env: tuple[str, ...] = ()
    # The coordinator's desk: its own port and, in production, its own host name, never the
    # child chat's origin (a flaw in one must not reach the other's cookies or pages).
    coordinator_port: int = 8081
    desk_base_url: str = "http://127.0.0.1:8081"
    # How many reverse proxies in front of the web chat add X-Forwarded-For (docker's Caddy:
    # 1). Guessing limits count per client address: behind an uncounted proxy every child
    # would share the proxy's address, and with a proxy counted that is not there a guesser
    # could name any address they like.
    web_proxies: int = 0

    def telegram_start_link(self, code: str) -> str | None:
        """The deep link that opens the bot with `code` as its start parameter (Telegram's
        own way to hand it over), or None when no bot username is configured."""
        return f"https://t.me/{self.telegram_username}?start={code}" if self.telegram_username else None

    @property
    def rasa_url(self) -> str:
        return self.rasa_urls[0]

    @property
    def webhook_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def rasa_ports(self) -> list[int]:
        return [self.rasa_port + i for i in range(self.rasa_replicas)]

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        if self.rasa_urls_env:
            return self.rasa_urls_env
        return tuple(f"http://127.0.0.1:{port}" for port in self.rasa_ports)

    @property
    def webhook_urls(self) -> tuple[str, ...]:
        """Every replica's REST webhook; the channels spread their turns over them."""
        return tuple(f"{url}/webhooks/rest/webhook" for url in self.rasa_urls)


def replicas_problem(settings: Settings) -> str | None:
    """Why `serve` cannot run settings.rasa_replicas Rasa servers, in one line, or None.

    Several replicas must share one tracker store (any replica may get any turn) and one
    lock store (two turns of a conversation on two replicas must not interleave): SQLite
    and Rasa's in-memory lock store are both per machine or per process."""
    n = settings.rasa_replicas
    if n < 1:
        return f"RASA_REPLICAS must be 1 or more, got {n}"
    if n == 1:
        return None
    missing = []
    if not settings.db_url.startswith(("postgresql://", "postgresql+")):
        missing.append("SIPKOMPIS_DB_URL=postgresql://...")
    if not (settings.lock_store_url or "").startswith(("redis://", "rediss://")):
        missing.append("SIPKOMPIS_LOCK_STORE_URL=redis://...")
    if not missing:
        return None
    return (f"RASA_REPLICAS={n} needs a shared PostgreSQL store and Redis lock store; "
            f"set {' and '.join(missing)}, or use RASA_REPLICAS=1")


def bind_host() -> str:
    """Where servers listen: loopback unless a container sets SIPKOMPIS_BIND_HOST=0.0.0.0
    (its network is then the boundary; docker/compose.yml publishes only the proxy)."""
    return os.environ.get("SIPKOMPIS_BIND_HOST") or "127.0.0.1"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None
    if not 0 < value < 65536 and name.endswith("_PORT"):
        raise SystemExit(f"{name} must be a port number between 1 and 65535, got {value}")
    return value


def load_settings() -> Settings:
    var_dir = Path(os.environ.get("SIPKOMPIS_VAR_DIR", VAR_DIR))
    default_db = f"sqlite:///{var_dir / 'sipkompis.db'}"
    web_port = _int("WEB_PORT", 8080)
    coordinator_port = _int("COORDINATOR_PORT", 8081)
    return Settings(
        db_url=os.environ.get("SIPKOMPIS_DB_URL") or default_db,
        master_key_env=os.environ.get("SIPKOMPIS_MASTER_KEY") or None,
        master_key_file=Path(
            os.environ.get("SIPKOMPIS_MASTER_KEY_FILE", var_dir / "master.key")
        ),
        rasa_port=_int("RASA_PORT", 5005),
        action_port=_int("ACTION_PORT", 5055),
        web_port=web_port,
        telegram_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_api_base=os.environ.get(
            "TELEGRAM_API_BASE", "https://api.telegram.org/bot"
        ),
        telegram_username=os.environ.get("TELEGRAM_BOT_USERNAME") or None,
        web_base_url=os.environ.get(
            "SIPKOMPIS_WEB_BASE_URL", f"http://127.0.0.1:{web_port}"
        ).rstrip("/"),
        retention_days=_int("SIPKOMPIS_RETENTION_DAYS", 90),
        escalation=os.environ.get("SIPKOMPIS_ESCALATION", "off"),
        on_duty_contact=os.environ.get("SIPKOMPIS_ON_DUTY_CONTACT") or None,
        var_dir=var_dir,
        telegram_webhook_url=os.environ.get("TELEGRAM_WEBHOOK_URL") or None,
        telegram_webhook_port=_int("TELEGRAM_WEBHOOK_PORT", 8443),
        telegram_webhook_listen=os.environ.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
        rasa_replicas=_int("RASA_REPLICAS", 1),
        lock_store_url=os.environ.get("SIPKOMPIS_LOCK_STORE_URL") or None,
        coordinator_port=coordinator_port,
        desk_base_url=os.environ.get(
            "SIPKOMPIS_DESK_BASE_URL", f"http://127.0.0.1:{coordinator_port}"
        ).rstrip("/"),
        web_proxies=_int("SIPKOMPIS_WEB_PROXIES", 0),
        rasa_urls_env=tuple(u.strip().rstrip("/") for u in os.environ.get("RASA_URLS", "").split(",")
                            if u.strip()),
    )
