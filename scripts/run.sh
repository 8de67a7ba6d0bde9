#!/usr/bin/env bash
# Set up, then run SIP-kompis on the embedded defaults (SQLite under var/).
# With TELEGRAM_BOT_TOKEN set it serves every channel; without, it opens the terminal
# chat with a demo meeting (starting the server itself).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
if [ -n "${TELEGRAM_BOT_TOKEN:-}" ]; then
  exec .venv/bin/python -m bot serve
fi
exec .venv/bin/python -m bot chat
