#!/usr/bin/env bash
# The memos-lite console in a real Chromium (Debian's package, installed here when missing) driven by
# playwright-core, against a real memos-lite started from the built CLI. See test/e2e/console/console.e2e.js.
# Last line: "e2e: N passed, N failed"; exit code non-zero on any failure.
# Env: CONSOLE_SCREENSHOTS=1 writes docs/console-*.png; CONSOLE_BENCH=1 also measures page load and search times.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "[console-e2e] installing chromium from the Debian packages"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } > /tmp/console-e2e-apt.log 2>&1; then
    tail -20 /tmp/console-e2e-apt.log
    echo "e2e: 0 passed, 1 failed"
    exit 1
  fi
fi
if [ ! -f server/dist/server.js ]; then npx tsc -p server/tsconfig.json || { echo "e2e: 0 passed, 1 failed"; exit 1; }; fi
CHROMIUM="$CHROMIUM" exec node test/e2e/console/console.e2e.js
