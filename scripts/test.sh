#!/usr/bin/env bash
# Set up, then run the whole test suite (trains the model once per data fingerprint).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# axe-core for the accessibility checks in the Chromium tests, pinned by its lock file.
if command -v npm >/dev/null 2>&1; then
    (cd tests/a11y && npm ci --no-audit --no-fund --silent)
else
    echo "!!! WARNING: npm missing: the axe-core accessibility checks will NOT run." >&2
fi
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
exec .venv/bin/python -m pytest "$@"
