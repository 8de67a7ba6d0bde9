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

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def webhook_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"


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
    )
