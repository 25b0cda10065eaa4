#!/usr/bin/env bash
# A local n8n with this node pack installed as a community package, for trying the nodes by hand.
#   scripts/n8n/lab.sh start            build, pack, install into the lab's user folder, start n8n (background)
#   scripts/n8n/lab.sh import <wf.json> [creds.json]   import (and publish webhook) workflows / credentials
#   scripts/n8n/lab.sh webhook <path> '<json>'         POST to a production webhook
#   scripts/n8n/lab.sh stop             stop the n8n started by `start` (by its PID)
# Env: N8N_LAB (default ~/.cache/memos-kit/n8n), LAB_DIR (default $N8N_LAB/lab), N8N_PORT (first free 5711-5720).
# Login: owner@example.com / Passw0rd!Memos (N8N_OWNER_EMAIL / N8N_OWNER_PASSWORD).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/scripts/toolchain.sh"
source "$ROOT/scripts/n8n/lib.sh"
LAB_DIR=${LAB_DIR:-$N8N_LAB/lab}
PORT_FILE=$LAB_DIR/port

cmd=${1:-}; shift || true
case "$cmd" in
  start)
    bash "$ROOT/scripts/n8n/setup.sh" | tail -1
    if [ -f "$LAB_DIR/n8n.pid" ] && kill -0 "$(cat "$LAB_DIR/n8n.pid")" 2>/dev/null; then
      echo "already running (pid $(cat "$LAB_DIR/n8n.pid")) on port $(cat "$PORT_FILE")"; exit 0
    fi
    (cd "$ROOT" && npm run --silent build:nodes >/dev/null)
    n8n_env "$LAB_DIR" "${N8N_PORT:-}"
    echo "$N8N_PORT" > "$PORT_FILE"
    tgz=$(cd "$ROOT" && npm pack --ignore-scripts --silent --pack-destination "$LAB_DIR" | tail -1)
    n8n_install_tarball "$LAB_DIR/$tgz" > /dev/null
    n8n_start
    n8n_login
    echo "n8n on $N8N_BASE (pid $N8N_PID), login $N8N_OWNER_EMAIL / $N8N_OWNER_PASSWORD"
    # The shell exits; n8n keeps running in the background until `lab.sh stop`.
    disown "$N8N_PID" 2>/dev/null || true
    ;;
  stop)
    [ -f "$LAB_DIR/n8n.pid" ] || { echo "not running"; exit 0; }
    n8n_env "$LAB_DIR" "$(cat "$PORT_FILE")"
    N8N_PID=$(cat "$LAB_DIR/n8n.pid")
    n8n_stop && rm -f "$LAB_DIR/n8n.pid" && echo stopped
    ;;
  import)
    n8n_env "$LAB_DIR" "$(cat "$PORT_FILE" 2>/dev/null || echo 5711)"
    [ $# -ge 2 ] && n8n_import_credentials "$2"
    n8n_import "$1" && echo "imported $1 (restart n8n to activate a newly published webhook)"
    ;;
  webhook)
    n8n_env "$LAB_DIR" "$(cat "$PORT_FILE")"
    n8n_webhook "$1" "$2"; echo; echo "HTTP $(cat "$N8N_WORK/http_code")"
    ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
