#!/usr/bin/env bash
# Regenerates docs/n8n-*.png: runs the e2e suite with screenshots on. Needs Chromium from Debian:
#   apt-get update && apt-get install -y chromium fonts-liberation
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LAB=${N8N_LAB:-$HOME/.cache/memos-kit/n8n}
[ -x /usr/bin/chromium ] || { echo "install chromium first: apt-get install -y chromium fonts-liberation" >&2; exit 2; }
if [ ! -d "$LAB/shot/node_modules/playwright-core" ]; then
  mkdir -p "$LAB/shot" && [ -f "$LAB/shot/package.json" ] || echo '{"private":true}' > "$LAB/shot/package.json"
  (cd "$LAB/shot" && npm i --no-audit --no-fund --loglevel=error playwright-core)
fi
MEMOS_E2E_SCREENSHOT=1 bash "$ROOT/test/e2e/n8n.sh"
