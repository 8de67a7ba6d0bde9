#!/usr/bin/env bash
# Creates .venv on Python 3.10 and installs the pinned dependencies.
# Re-running when requirements.txt has not changed takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  # Run each candidate: on some machines `python3.10` is a pyenv shim that exists but fails.
  local candidate
  for candidate in "${SIPKOMPIS_PYTHON:-}" python3.10 python3 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; then
      command -v "$candidate"; return 0
    fi
  done
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.*/bin/python; do
    if [ -x "$candidate" ] && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

if [ "${1:-}" = "--find-python" ]; then find_python310; exit $?; fi

if ! PY=$(find_python310); then
  echo "error: SIP-kompis needs Python 3.10 (Rasa 3.6 does not run on 3.11 or newer)." >&2
  echo "Install it, e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv'," >&2
  echo "or point SIPKOMPIS_PYTHON at a 3.10 interpreter, then run this again." >&2
  exit 3
fi

stamp=".venv/.requirements.sha256"
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
  :
else
  started=$(date +%s)
  echo "setting up .venv with $PY ($("$PY" --version 2>&1))"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.2"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
  echo "set-up done in $(( $(date +%s) - started )) s"
fi

# The coordinator desk's browser code (pinned npm packages, bundled and served from our own
# origin); it keeps its own stamp, so this is quick when nothing changed.
./scripts/build_desk.sh
