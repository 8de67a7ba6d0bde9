#!/usr/bin/env bash
# Build the coordinator desk's browser bundle: bot/desk/static/desk.js.
#
# The desk's crypto runs in the coordinator's browser (the key and passphrase never
# reach the server), so it ships as one ES module bundled from bot/desk/frontend.
# The child's chat does not need it: without npm this warns loudly and exits 0, and the
# desk tests then fail with a clear message instead of skipping.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/bot/desk/frontend"
OUT="$ROOT/bot/desk/static/desk.js"
STAMP="$FRONTEND/.build-stamp"  # not under static/: nothing but the bundle is served

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "!!! WARNING: npm/node missing: the coordinator desk bundle ($OUT) is NOT built." >&2
    echo "!!! Install Node.js and npm (apt-get install -y nodejs npm), then run scripts/build_desk.sh." >&2
    exit 0
fi

# The stamp covers every input (lock, manifest, sources and this script's bundling
# flags), so a rebuild happens exactly when one changed or the output went missing.
stamp_now="$(cd "$FRONTEND" && cat package-lock.json package.json src/*.js "$ROOT/scripts/build_desk.sh" | sha256sum | cut -d' ' -f1)"
if [[ -f "$OUT" && -f "$STAMP" && "$(cat "$STAMP")" == "$stamp_now" ]]; then
    echo "desk bundle up to date: $OUT"
    exit 0
fi

cd "$FRONTEND"
npm ci --no-audit --no-fund
mkdir -p "$(dirname "$OUT")"
# esm + es2022: loaded with <script type="module">; no sourcemap is shipped.
./node_modules/.bin/esbuild src/desk.js --bundle --format=esm --target=es2022 --minify \
    --legal-comments=none --outfile="$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$stamp_now" > "$STAMP"
echo "built $OUT ($(wc -c < "$OUT") bytes)"
