#!/usr/bin/env bash
# The node pack as a person finds it, in a real n8n 2.x editor driven through Debian's Chromium:
#   1. the pack is installed the way n8n documents a manual install: `npm install <tarball>` in ~/.n8n/nodes
#   2. memos-lite starts (for the credential form), the templates are imported, n8n starts, the owner is set up
#   3. test/e2e/editor/run.js signs in through the form and checks the node picker, each node's panel, the AI
#      Agent's Memory and Tools slots, the credential form with a wrong key and an unreachable server, and the
#      templates' sticky notes against each other and the nodes (rendered bounding boxes)
# Last line: "e2e: N passed, N failed"; exit code non-zero on any failure.
# Env: KEEP=1 keeps the work folder; MEMOS_E2E_SCREENSHOT=1 also writes the docs/n8n-*.png screenshots.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
HERE=$ROOT/test/e2e
T0=$(date +%s.%N)
el() { printf '%.1f' "$(echo "$(date +%s.%N) - $T0" | bc)"; }
log() { echo "[editor-e2e $(el)s] $*"; }
PASSED=0; FAILED=0
check() { # check "<name>" <command...>
  local name=$1; shift
  if "$@" > "$WORK/check.out" 2>&1; then PASSED=$((PASSED + 1)); echo "  ok   $name"
  else FAILED=$((FAILED + 1)); echo "  FAIL $name"; sed 's/^/       /' "$WORK/check.out" | head -20; fi
}

WORK=$(mktemp -d /tmp/memos-editor-e2e.XXXXXX)
MEMOS_PID=""
finish() {
  local rc=$?
  n8n_stop
  [ -n "$MEMOS_PID" ] && kill "$MEMOS_PID" 2>/dev/null && wait "$MEMOS_PID" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ] || [ $FAILED -gt 0 ]; then echo "[editor-e2e] logs and failure screenshots kept in $WORK"; else rm -rf "$WORK"; fi
  log "done"
  echo "e2e: $PASSED passed, $FAILED failed"
  [ $FAILED -eq 0 ] && [ $rc -eq 0 ] && exit 0
  exit 1
}
abort() { echo "[editor-e2e] cannot continue: $*" >&2; FAILED=$((FAILED + 1)); exit 1; }

source "$ROOT/scripts/toolchain.sh"
# shellcheck source=../../scripts/n8n/lib.sh
source "$ROOT/scripts/n8n/lib.sh"
trap finish EXIT
trap 'exit 130' INT TERM

# ---- 0. Chromium, n8n, builds ---------------------------------------------------------------------------------
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  log "installing Debian's chromium (browser downloads are not used)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation; } > "$WORK/apt.log" 2>&1 \
    || { tail -20 "$WORK/apt.log"; abort "chromium install failed"; }
fi
node -e 'require.resolve("playwright-core")' 2>/dev/null || abort "playwright-core missing: run npm install"
bash "$ROOT/scripts/n8n/setup.sh" | tail -1 || abort "n8n setup failed"
[ -f server/dist/cli.js ] || npx tsc -p server/tsconfig.json > "$WORK/tsc.log" 2>&1 || { tail -20 "$WORK/tsc.log"; abort "server build failed"; }
npm run --silent build:nodes > "$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; abort "node pack build failed"; }

# Two free loopback ports chosen by the kernel: n8n and its task broker.
read -r N8N_PORT_PICK BROKER_PORT < <(node -e '
  const net=require("net"); const get=()=>new Promise(r=>{const s=net.createServer().listen(0,"127.0.0.1",()=>{const p=s.address().port;s.close(()=>r(p));});});
  (async()=>{const a=await get(),b=await get();console.log(a,b);})();')
n8n_env "$WORK" "$N8N_PORT_PICK" || abort "n8n environment"
export N8N_RUNNERS_BROKER_PORT=$BROKER_PORT

# ---- 1. manual install, as n8n documents it for self-hosted instances --------------------------------------------
TGZ=$(npm pack --ignore-scripts --silent --pack-destination "$WORK" 2>/dev/null | tail -1)
NODES_DIR=$N8N_USER_FOLDER/.n8n/nodes
mkdir -p "$NODES_DIR"
(cd "$NODES_DIR" && npm install --no-audit --no-fund --loglevel=error "$WORK/$TGZ") > "$WORK/npm-install.log" 2>&1 \
  || { tail -20 "$WORK/npm-install.log"; abort "npm install of $TGZ into ~/.n8n/nodes failed"; }
check "npm install <tarball> in ~/.n8n/nodes installs the pack alone (peers come from n8n itself)" \
  bash -c "[ -f '$NODES_DIR/node_modules/n8n-nodes-memos-kit/dist/nodes/MemOsChatMemory/MemOsChatMemory.node.js' ] && [ \"\$(ls '$NODES_DIR/node_modules' | grep -v '^\.' | tr '\n' ' ')\" = 'n8n-nodes-memos-kit ' ]"
log "installed $TGZ with npm into $NODES_DIR"

# ---- 2. memos-lite, templates, n8n ----------------------------------------------------------------------------------
( MEMOS_BOOTSTRAP_KEY="mpg-editor-$(date +%s)" MEMOS_PORT=0 MEMOS_HOST=127.0.0.1 MEMOS_DATA_DIR=$WORK/memos MEMOS_LOG_LEVEL=warn \
  exec node server/bin/memos-lite.js start > "$WORK/memos.log" 2>&1 ) &
MEMOS_PID=$!
for _ in $(seq 1 80); do grep -q "listening on" "$WORK/memos.log" 2>/dev/null && break; sleep 0.25; done
MEMOS_ORIGIN=$(grep -o 'listening on http://[^ ]*' "$WORK/memos.log" | head -1 | sed 's/listening on //')
[ -n "$MEMOS_ORIGIN" ] || { cat "$WORK/memos.log"; abort "memos-lite did not start"; }

# One CLI call for all templates (each call boots n8n's CLI: seconds, not milliseconds).
TEMPLATE_IDS=""
mkdir -p "$WORK/templates"
for wf in "$ROOT"/workflows/*.json; do
  cp "$wf" "$WORK/templates/"
  TEMPLATE_IDS+="$(node -p 'require(process.argv[1]).id' "$wf")=$(basename "$wf" .json),"
done
n8n_cli import:workflow --separate --input="$WORK/templates" > "$WORK/cli-import.log" 2>&1
grep -q "Successfully imported" "$WORK/cli-import.log" || { tail -20 "$WORK/cli-import.log"; abort "template import failed"; }
n8n_start || abort "n8n did not start"
n8n_login || abort "owner setup failed"
log "n8n $N8N_BASE (pid $N8N_PID), memos-lite $MEMOS_ORIGIN, templates imported"

# ---- 3. the editor in Chromium ------------------------------------------------------------------------------------
SHOTS=""
[ "${MEMOS_E2E_SCREENSHOT:-0}" = 1 ] && SHOTS=$ROOT/docs
N8N_BASE=$N8N_BASE N8N_OWNER_EMAIL=$N8N_OWNER_EMAIL N8N_OWNER_PASSWORD=$N8N_OWNER_PASSWORD \
  MEMOS_BASE=$MEMOS_ORIGIN/api/openmem/v1 TEMPLATE_IDS=$TEMPLATE_IDS RESULTS=$WORK/results.txt FAIL_SHOTS=$WORK SHOTS=$SHOTS \
  timeout "${EDITOR_E2E_TIMEOUT:-900}" node "$HERE/editor/run.js"
if [ -f "$WORK/results.txt" ]; then
  read -r P F < "$WORK/results.txt"
  PASSED=$((PASSED + P)); FAILED=$((FAILED + F))
else
  abort "the browser run ended without results (timeout or crash)"
fi
