#!/usr/bin/env bash
# Entry point behind `npm start`, `npm test` and `npm run build`: makes the toolchain ready
# (Node 24, dependencies, build) on a fresh machine, then does the job.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/toolchain.sh

install_deps() {
  # Reinstall only when the manifests changed since the last install. `npm ci` installs exactly what
  # package-lock.json says and never rewrites it, so a fresh clone stays clean (`npm install` would "fix up"
  # the lockfile for this machine and leave a modified tracked file behind).
  local stamp=node_modules/.memos-install-stamp
  local sum
  sum=$(cat package.json server/package.json package-lock.json 2>/dev/null | sha1sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum-$(node -v)" ]; then
    echo "[setup] installing dependencies from package-lock.json with Node $(node -v) (first run: a few minutes, native modules build from source)" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
    echo "$sum-$(node -v)" > "$stamp"
  fi
}

build() {
  npx tsc -p server/tsconfig.json
  if [ -f tsconfig.json ] && compgen -G "nodes/*/*.node.ts" > /dev/null; then npm run --silent build:nodes; fi
}

cmd=${1:-start}; shift || true
case "$cmd" in
  setup) install_deps; build ;;
  build) install_deps; build ;;
  # The server replaces this shell (signals reach it directly) and stops by itself if whoever started it
  # (npm) dies without passing a signal on. MEMOS_SKIP_SETUP=1 restarts without the dependency check and build.
  start)
    [ "${MEMOS_SKIP_SETUP:-}" = 1 ] || { install_deps; build; }
    MEMOS_STOP_WITH_PARENT=${MEMOS_STOP_WITH_PARENT:-true} exec node server/bin/memos-lite.js start "$@" ;;
  test)  install_deps; build; exec bash scripts/test.sh "$@" ;;
  *) echo "usage: scripts/dev.sh setup|build|start|test" >&2; exit 2 ;;
esac
