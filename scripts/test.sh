#!/usr/bin/env bash
# Set up, then run the whole test suite (trains the model once per data fingerprint).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
exec .venv/bin/python -m pytest "$@"
