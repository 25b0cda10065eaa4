# shellcheck shell=bash
# Helpers for driving a real, throwaway n8n 2.x (source me). Everything lives in $N8N_WORK; n8n and its
# task runner are started and stopped by PID only. Functions:
#   n8n_env <workdir> [port]        environment for a quiet, offline n8n on 127.0.0.1 (first free port 5711-5720)
#   n8n_install_tarball <tgz>       install a packed node package the way n8n's community-package installer does
#   n8n_cli <args...>               run the n8n CLI (import:workflow, import:credentials, publish:workflow, ...)
#   n8n_import <workflow.json...>   import workflows (ids kept) and publish the ones with a Webhook trigger
#   n8n_import_credentials <file>   import credentials (plain data, encrypted on import, ids kept)
#   n8n_start / n8n_stop            background start (waits for the editor) / stop by PID
#   n8n_login                       create the owner and log in (cookie jar $N8N_WORK/cookies.txt)
#   n8n_rest <METHOD> <path> [json] authenticated call to the internal REST API
#   n8n_webhook <path> <json>       POST to a production webhook; body to stdout, HTTP code to $N8N_WORK/http_code
N8N_LAB=${N8N_LAB:-$HOME/.cache/memos-kit/n8n}
N8N_BIN=$N8N_LAB/n8n2/node_modules/.bin/n8n
N8N_OWNER_EMAIL=${N8N_OWNER_EMAIL:-owner@example.com}
N8N_OWNER_PASSWORD=${N8N_OWNER_PASSWORD:-Passw0rd!Memos}
N8N_PID=""

_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

n8n_env() {
  N8N_WORK=$1
  local port=${2:-}
  if [ -z "$port" ]; then
    for p in $(seq 5711 5720); do
      if _port_free "$p" && _port_free $((p + 80)); then port=$p; break; fi
    done
  fi
  [ -n "$port" ] || { echo "no free n8n port in 5711-5720" >&2; return 1; }
  mkdir -p "$N8N_WORK/user"
  export PATH="$N8N_LAB/node24/bin:$PATH"
  export N8N_USER_FOLDER=$N8N_WORK/user
  export N8N_PORT=$port N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PROTOCOL=http
  export N8N_EDITOR_BASE_URL=http://127.0.0.1:$port/ N8N_WEBHOOK_URL=http://127.0.0.1:$port/
  export N8N_SECURE_COOKIE=false
  export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false
  export N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false N8N_PERSONALIZATION_ENABLED=false
  export N8N_TEMPLATES_ENABLED=false N8N_HIRING_BANNER_ENABLED=false N8N_DYNAMIC_BANNERS_ENABLED=false
  export N8N_LICENSE_AUTO_RENEW_ENABLED=false N8N_AI_ENABLED=false
  export N8N_VERIFIED_PACKAGES_ENABLED=false N8N_REINSTALL_MISSING_PACKAGES=false
  # The only outbound call seen at boot (GET api.n8n.io/api/mcp-servers) comes from this module.
  export N8N_DISABLED_MODULES=${N8N_DISABLED_MODULES:-mcp-registry}
  export EXTERNAL_FRONTEND_HOOKS_URLS= N8N_FRONTEND_SENTRY_DSN= N8N_SENTRY_DSN=
  export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true N8N_RUNNERS_MODE=internal N8N_PYTHON_ENABLED=false
  # The task broker defaults to 5679, which another n8n on this machine may hold.
  export N8N_RUNNERS_BROKER_PORT=$((port + 80))
  export DB_SQLITE_POOL_SIZE=2 N8N_LOG_LEVEL=${N8N_LOG_LEVEL:-info} N8N_LOG_OUTPUT=console
  N8N_BASE=http://127.0.0.1:$port
  N8N_COOKIES=$N8N_WORK/cookies.txt
}

n8n_cli() { "$N8N_BIN" "$@"; }

# n8n's installer runs `npm pack`, unpacks, drops dev/peer/optional dependencies and installs the rest with
# --ignore-scripts into <user>/.n8n/nodes/node_modules/<name>; n8n then registers types as <name>.<node>.
n8n_install_tarball() {
  local tgz=$1 name dest
  name=$(tar -xOzf "$tgz" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0,"utf8")).name')
  dest=$N8N_USER_FOLDER/.n8n/nodes/node_modules/$name
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest" --strip-components=1
  node -e '
    const fs=require("fs"),f=process.argv[1]+"/package.json",p=JSON.parse(fs.readFileSync(f,"utf8"));
    delete p.devDependencies; delete p.peerDependencies; delete p.optionalDependencies;
    fs.writeFileSync(f, JSON.stringify(p,null,2));
    if (Object.keys(p.dependencies||{}).length) process.exit(3);
  ' "$dest" || (cd "$dest" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$dest"
}

n8n_import_credentials() {
  n8n_cli import:credentials --input="$1" > "$N8N_WORK/cli-credentials.log" 2>&1 \
    || { tail -20 "$N8N_WORK/cli-credentials.log" >&2; return 1; }
}

n8n_import() {
  local wf id
  for wf in "$@"; do
    n8n_cli import:workflow --input="$wf" > "$N8N_WORK/cli-import.log" 2>&1
    grep -q "Successfully imported" "$N8N_WORK/cli-import.log" || { grep -v -i migration "$N8N_WORK/cli-import.log" | tail -20 >&2; return 1; }
    id=$(node -p 'require(process.argv[1]).id' "$wf")
    if node -e 'process.exit(require(process.argv[1]).nodes.some(n=>n.type==="n8n-nodes-base.webhook")?0:1)' "$wf"; then
      n8n_cli publish:workflow --id="$id" > "$N8N_WORK/cli-publish.log" 2>&1 || { tail -20 "$N8N_WORK/cli-publish.log" >&2; return 1; }
    fi
  done
}

n8n_start() {
  local log=$N8N_WORK/n8n.log i
  ( exec "$N8N_BIN" start > "$log" 2>&1 ) &
  N8N_PID=$!
  echo "$N8N_PID" > "$N8N_WORK/n8n.pid"
  for i in $(seq 1 $(( ${N8N_START_TIMEOUT:-180} * 4 ))); do
    grep -q "Editor is now accessible" "$log" && return 0
    kill -0 "$N8N_PID" 2>/dev/null || { tail -30 "$log" >&2; N8N_PID=""; return 1; }
    sleep 0.25
  done
  tail -30 "$log" >&2
  return 1
}

n8n_stop() {
  [ -n "$N8N_PID" ] || return 0
  if kill -0 "$N8N_PID" 2>/dev/null; then
    local kids; kids=$(pgrep -P "$N8N_PID" || true)   # the task runner we started through n8n
    kill -TERM "$N8N_PID"
    for _ in $(seq 1 40); do kill -0 "$N8N_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$N8N_PID" 2>/dev/null; then
      kill -KILL "$N8N_PID" 2>/dev/null
      for k in $kids; do kill -KILL "$k" 2>/dev/null; done
    fi
    wait "$N8N_PID" 2>/dev/null
  fi
  N8N_PID=""
}

n8n_login() {
  curl -sf -o /dev/null -X POST "$N8N_BASE/rest/owner/setup" -H 'content-type: application/json' \
    -d "{\"email\":\"$N8N_OWNER_EMAIL\",\"firstName\":\"MemOS\",\"lastName\":\"Tester\",\"password\":\"$N8N_OWNER_PASSWORD\"}" || true
  curl -sf -o /dev/null -c "$N8N_COOKIES" -X POST "$N8N_BASE/rest/login" -H 'content-type: application/json' \
    -d "{\"emailOrLdapLoginId\":\"$N8N_OWNER_EMAIL\",\"password\":\"$N8N_OWNER_PASSWORD\"}"
}

n8n_rest() {
  local method=$1 path=$2 body=${3:-}
  if [ -n "$body" ]; then
    curl -s -b "$N8N_COOKIES" -X "$method" "$N8N_BASE$path" -H 'content-type: application/json' -d "$body"
  else
    curl -s -b "$N8N_COOKIES" -X "$method" "$N8N_BASE$path"
  fi
}

n8n_webhook() {
  curl -sS -o "$N8N_WORK/webhook.out" -w '%{http_code}' -X POST "$N8N_BASE/webhook/$1" \
    -H 'content-type: application/json' -d "$2" --max-time "${N8N_WEBHOOK_TIMEOUT:-120}" > "$N8N_WORK/http_code"
  cat "$N8N_WORK/webhook.out"
}
