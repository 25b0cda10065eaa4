#!/usr/bin/env bash
# The workflow templates end to end in a real n8n 2.x (installed on first use by scripts/n8n/setup.sh):
#   1. the node pack is packed and installed like a community package; memos-lite starts with no model (offline)
#   2. `memos-lite import-templates` creates the MemOS credential and imports + activates the three templates
#      through n8n's public API; a second run updates them in place
#   3. each template is driven through its webhooks over several sessions of a conversation, and the answers and
#      the memories stored in memos-lite are checked
#   4. memos-lite restarts with an OpenAI-compatible model (test/e2e/templates/shop-model.js, a deterministic
#      stand-in for "your own model"), and the same questions are answered from what the earlier sessions left
# Last line: "e2e: N passed, N failed"; exit code non-zero on any failure. KEEP=1 keeps the work folder.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
HERE=$ROOT/test/e2e
T0=$(date +%s.%N)
el() { printf '%.1f' "$(echo "$(date +%s.%N) - $T0" | bc)"; }
log() { echo "[templates-e2e $(el)s] $*"; }
PASSED=0; FAILED=0
check() { # check "<name>" <command...>
  local name=$1; shift
  if "$@" > "$WORK/check.out" 2>&1; then PASSED=$((PASSED + 1)); echo "  ok   $name"
  else FAILED=$((FAILED + 1)); echo "  FAIL $name"; sed 's/^/       /' "$WORK/check.out" | head -20; fi
}
expect() { node "$HERE/lib/expect.js" "$@"; }

WORK=$(mktemp -d /tmp/memos-templates-e2e.XXXXXX)
MEMOS_PID=""; MODEL_PID=""
stop_memos() { [ -n "$MEMOS_PID" ] && kill "$MEMOS_PID" 2>/dev/null && wait "$MEMOS_PID" 2>/dev/null; MEMOS_PID=""; }
finish() {
  local rc=$?
  n8n_stop
  stop_memos
  [ -n "$MODEL_PID" ] && kill "$MODEL_PID" 2>/dev/null && wait "$MODEL_PID" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ] || [ $FAILED -gt 0 ]; then echo "[templates-e2e] logs kept in $WORK"; else rm -rf "$WORK"; fi
  log "done"
  echo "e2e: $PASSED passed, $FAILED failed"
  [ $FAILED -eq 0 ] && [ $rc -eq 0 ] && exit 0
  exit 1
}
abort() { echo "[templates-e2e] cannot continue: $*" >&2; FAILED=$((FAILED + 1)); exit 1; }

source "$ROOT/scripts/toolchain.sh"
# shellcheck source=../../scripts/n8n/lib.sh
source "$ROOT/scripts/n8n/lib.sh"
trap finish EXIT
trap 'exit 130' INT TERM
_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- 0. n8n, builds -------------------------------------------------------------------------------------------
bash "$ROOT/scripts/n8n/setup.sh" | tail -1 || abort "n8n setup failed"
npx tsc -p server/tsconfig.json > "$WORK/tsc.log" 2>&1 || { tail -20 "$WORK/tsc.log"; abort "server build failed"; }
npm run --silent build:nodes > "$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; abort "node pack build failed"; }

# Ports: n8n 5721-5730, its task broker 5731-5740 (the node-pack e2e uses 5711-5720).
N8N_PORT_PICK=""
for p in $(seq 5721 5730); do if _free "$p" && _free $((p + 10)); then N8N_PORT_PICK=$p; break; fi; done
[ -n "$N8N_PORT_PICK" ] || abort "no free port in 5721-5730"
n8n_env "$WORK" "$N8N_PORT_PICK" || abort "n8n environment"
export N8N_RUNNERS_BROKER_PORT=$((N8N_PORT_PICK + 10))
TGZ=$(npm pack --ignore-scripts --silent --pack-destination "$WORK" 2>/dev/null | tail -1)
n8n_install_tarball "$WORK/$TGZ" > /dev/null || abort "node pack install failed"
log "n8n $N8N_BASE, node pack installed"

# ---- 1. memos-lite, offline ------------------------------------------------------------------------------------
MEMOS_KEY="mpg-tpl-$(date +%s)"
MEMOS_PORT=""
start_memos() { # [extra env...]
  ( env MEMOS_BOOTSTRAP_KEY="$MEMOS_KEY" MEMOS_PORT="${MEMOS_PORT:-0}" MEMOS_HOST=127.0.0.1 MEMOS_DATA_DIR="$WORK/memos" MEMOS_LOG_LEVEL=warn "$@" \
    node server/bin/memos-lite.js start > "$WORK/memos.log" 2>&1 ) &
  MEMOS_PID=$!
  for _ in $(seq 1 80); do grep -q "listening on" "$WORK/memos.log" 2>/dev/null && break; sleep 0.25; done
  MEMOS_ORIGIN=$(grep -o 'listening on http://[^ ]*' "$WORK/memos.log" | head -1 | sed 's/listening on //')
  [ -n "$MEMOS_ORIGIN" ] || { cat "$WORK/memos.log"; return 1; }
  MEMOS_PORT=${MEMOS_ORIGIN##*:}
  MEMOS_BASE=$MEMOS_ORIGIN/api/openmem/v1
}
start_memos || abort "memos-lite did not start"
memos() { curl -s -X POST "$MEMOS_BASE$1" -H "authorization: Token $MEMOS_KEY" -H 'content-type: application/json' -d "$2"; }
log "memos-lite on $MEMOS_ORIGIN (offline: no language model)"

# ---- 2. n8n + API key + import-templates ------------------------------------------------------------------------
n8n_start || abort "n8n did not start"
n8n_login || abort "owner setup / login failed"
SCOPES=$(n8n_rest GET /rest/api-keys/scopes | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s).data)))')
n8n_rest POST /rest/api-keys "{\"label\":\"templates-e2e\",\"expiresAt\":null,\"scopes\":$SCOPES}" > "$WORK/apikey.json"
N8N_API_KEY=$(node -p 'require(process.argv[1]).data.rawApiKey' "$WORK/apikey.json" 2>/dev/null)
[ -n "$N8N_API_KEY" ] && [ "$N8N_API_KEY" != undefined ] || { cat "$WORK/apikey.json"; abort "n8n API key"; }
n8n_api() { curl -s -H "X-N8N-API-KEY: $N8N_API_KEY" "$N8N_BASE/api/v1$1"; }
log "n8n up (pid $N8N_PID), API key created"

import_templates() {
  node server/bin/memos-lite.js import-templates --n8n-url "$N8N_BASE" --n8n-api-key "$N8N_API_KEY" \
    --memos-url "$MEMOS_BASE" --memos-key "$MEMOS_KEY" > "$1" 2>&1
}
import_templates "$WORK/import-1.log"; IRC=$?
cat "$WORK/import-1.log" | sed 's/^/       | /'
check "import-templates: exit 0, credential and 3 workflows created and activated" bash -c "
  [ $IRC = 0 ] && grep -q 'credential \"MemOS (memos-lite)\" created' '$WORK/import-1.log' \
  && [ \$(grep -c 'created (.*), active' '$WORK/import-1.log') = 3 ] && grep -q 'imported 3 workflow' '$WORK/import-1.log'"
n8n_api "/workflows?limit=50" > "$WORK/workflows.json"
check "n8n lists the 3 templates as active workflows using the MemOS credential" expect "$WORK/workflows.json" '
  ["MemOS: customer service with memory","MemOS: cross-border sales agent with memory","MemOS: knowledge-base assistant"]
    .every(n => j.data.some(w => w.name === n && w.active && w.nodes.some(x => x.credentials && x.credentials.memOsApi && x.credentials.memOsApi.name === "MemOS (memos-lite)")))'
n8n_api "/credentials?limit=50" > "$WORK/credentials.json"
check "the credential is a memOsApi credential" expect "$WORK/credentials.json" 'j.data.filter(c => c.type === "memOsApi" && c.name === "MemOS (memos-lite)").length === 1'
import_templates "$WORK/import-2.log"; IRC2=$?
n8n_api "/workflows?limit=50" > "$WORK/workflows-2.json"
n8n_api "/credentials?limit=50" > "$WORK/credentials-2.json"
check "running import-templates again updates in place (no duplicate workflow or credential)" bash -c "
  [ $IRC2 = 0 ] && [ \$(grep -c 'updated (.*), active' '$WORK/import-2.log') = 3 ] \
  && node '$HERE/lib/expect.js' '$WORK/workflows-2.json' 'j.data.length === 3 && j.data.every(w => w.active)' \
  && node '$HERE/lib/expect.js' '$WORK/credentials-2.json' 'j.data.filter(c => c.type === \"memOsApi\").length === 1'"

hook() { # hook <path> <json> <outfile>: POST to the production webhook, keep body + HTTP code
  n8n_webhook "$1" "$2" > "$3"
  cp "$N8N_WORK/http_code" "$3.code"
}
ok200() { [ "$(cat "$1.code")" = 200 ]; }

# ---- 3a. customer service ---------------------------------------------------------------------------------------
log "customer service"
CS_USER="owner-$RANDOM"
hook memos-support/setup '{}' "$WORK/cs-setup.json"
check "support setup: knowledge base created, catalogue and policy processed" expect "$WORK/cs-setup.json" \
  '!!j.knowledgebase_id && j.files.length === 2 && j.files.every(f => f.status === "completed")'
hook memos-support/chat "{\"userId\":\"$CS_USER\",\"sessionId\":\"day-1\",\"message\":\"Hi! My golden retriever puppy is 3 months old, about 12 catties, and he won't eat chicken.\"}" "$WORK/cs-1a.json"
hook memos-support/chat "{\"userId\":\"$CS_USER\",\"sessionId\":\"day-1\",\"message\":\"I bought the lamb puppy food A for him today.\"}" "$WORK/cs-1b.json"
check "support day 1: both turns answered (HTTP 200)" bash -c "ok200() { [ \"\$(cat \"\$1.code\")\" = 200 ]; }; ok200 '$WORK/cs-1a.json' && ok200 '$WORK/cs-1b.json' && grep -q output '$WORK/cs-1b.json'"
hook memos-support/chat "{\"userId\":\"$CS_USER\",\"sessionId\":\"day-10\",\"message\":\"He has diarrhea now and I want to switch his food. What do you recommend?\"}" "$WORK/cs-10.json"
check "support day 10 (new session): the answer brings back breed, age, no chicken and the lamb food purchase" expect "$WORK/cs-10.json" '
  /golden retriever/i.test(j.output) && /3 months/.test(j.output) && /chicken/i.test(j.output) && /lamb puppy food A/i.test(j.output)'
check "support day 10: from the catalogue, the hypoallergenic salmon food comes first, before the chicken one" expect "$WORK/cs-10.json" '
  (o => o.includes("Puppy Food C") && (!o.includes("Puppy Food B") || o.indexOf("Puppy Food C") < o.indexOf("Puppy Food B")))(j.output)'
check "support day 10: the recall the answer step got spans day 1 (memory_count, context)" expect "$WORK/cs-10.json" 'j.memoryCount >= 3 && /chicken/i.test(j.recalled)'
memos /get/message "{\"user_id\":\"$CS_USER\",\"conversation_id\":\"day-10\",\"message_limit_number\":10}" > "$WORK/cs-msgs.json"
check "support: the day-10 question was written back; the offline (quoted) answer was not stored as the assistant's words" expect "$WORK/cs-msgs.json" '
  (l => l.some(m => m.role === "user" && /diarrhea/.test(m.content)) && !l.some(m => m.role === "assistant"))(j.data.message_detail_list)'
hook memos-support/report "{\"userId\":\"$CS_USER\",\"sessionId\":\"day-12\",\"correction\":\"Correction: he is 4 months old now, not 3 months.\"}" "$WORK/cs-report.json"
check "support report-a-problem: feedback applied (completed)" expect "$WORK/cs-report.json" 'j.status === "completed"'
memos /search/memory "{\"user_id\":\"$CS_USER\",\"query\":\"How many months is my puppy now?\"}" > "$WORK/cs-age.json"
check "support: after the report, the correction (4 months) ranks in the top 3 and no extracted fact still says 3 months" expect "$WORK/cs-age.json" '
  j.data.memory_detail_list.slice(0, 3).some(m => /4 months/.test(m.memory_value)) && !j.data.memory_detail_list.some(m => /^The user.s .*3 months old/.test(m.memory_value))'
memos /get/memory "{\"user_id\":\"$CS_USER\",\"size\":50}" > "$WORK/cs-mem.json"
check "support: stored memories hold the no-chicken fact and the lamb food purchase" expect "$WORK/cs-mem.json" '
  (l => l.some(m => /not eat chicken|won.t eat chicken/i.test(m.memory_value) && !/^user:/.test(m.memory_value)) && l.some(m => /bought.*lamb puppy food A/i.test(m.memory_value)))(j.data.memory_detail_list)'

# ---- 3b. sales agent ----------------------------------------------------------------------------------------------
log "sales agent"
BUYER="buyer-$RANDOM"
hook memos-sales/setup '{}' "$WORK/sa-setup.json"
check "sales setup: catalogue and return policy processed" expect "$WORK/sa-setup.json" '!!j.knowledgebase_id && j.files.every(f => f.status === "completed")'
hook memos-sales/chat "{\"userId\":\"$BUYER\",\"sessionId\":\"visit-1\",\"message\":\"Hi! I usually wear size M. I'm browsing for summer clothes.\"}" "$WORK/sa-1.json"
hook memos-sales/chat "{\"userId\":\"$BUYER\",\"sessionId\":\"visit-2\",\"message\":\"Please avoid polyester, it irritates my skin. My budget is under \$30.\"}" "$WORK/sa-2.json"
hook memos-sales/order "{\"userId\":\"$BUYER\",\"orderId\":\"SO-1001\",\"item\":\"Linen Shorts\",\"size\":\"M\",\"price\":22}" "$WORK/sa-order.json"
check "sales: two chat visits and an order event accepted" bash -c "for f in sa-1 sa-2 sa-order; do [ \"\$(cat '$WORK/'\$f.json.code)\" = 200 ] || exit 1; done"
hook memos-sales/email "{\"userId\":\"$BUYER\",\"threadId\":\"mail-77\",\"subject\":\"Dress for a summer wedding\",\"body\":\"Hello, I need a dress for a summer wedding next month. What would you suggest?\"}" "$WORK/sa-email.json"
check "sales email (third session): the reply brings back size M, no polyester and the \$30 budget" expect "$WORK/sa-email.json" '
  j.subject === "Re: Dress for a summer wedding" && /size M/.test(j.output) && /polyester/i.test(j.output) && /\$30/.test(j.output)'
check "sales email: catalogue passages are quoted (the linen dress for summer weddings)" expect "$WORK/sa-email.json" '/Linen Wrap Dress/.test(j.output)'
memos /get/memory "{\"user_id\":\"$BUYER\",\"size\":50}" > "$WORK/sa-mem.json"
check "sales: stored memories hold size M, polyester, the budget and the past order" expect "$WORK/sa-mem.json" '
  (t => /size M/.test(t) && /polyester/i.test(t) && /\$30/.test(t) && /Linen Shorts/.test(t) && /SO-1001/.test(t))(text(j.data.memory_detail_list) + text(j.data.preference_detail_list))'
memos /get/message "{\"user_id\":\"$BUYER\",\"conversation_id\":\"mail-77\"}" > "$WORK/sa-mail-msgs.json"
check "sales: the email was remembered under its thread id" expect "$WORK/sa-mail-msgs.json" 'j.data.message_detail_list.length === 1 && /summer wedding/.test(j.data.message_detail_list[0].content)'

# ---- 3c. knowledge-base assistant ------------------------------------------------------------------------------------
log "knowledge-base assistant"
POLICY='# Software reimbursement policy\n\n## Limits per person per year\n- Design software: up to 1000 yuan.\n- Development tools: up to 1500 yuan.\n- Office software: up to 800 yuan.\n- Data analysis software: up to 1200 yuan.\n\n## Over the limit\nAnything over its limit needs a written justification and special approval.\n'
TRAVEL='# Travel policy\n\nTrain tickets are reimbursed in second class. Hotels up to 500 yuan per night.\n'
hook memos-kb/upload "{\"name\":\"software-policy.md\",\"text\":\"$POLICY\"}" "$WORK/kb-up1.json"
hook memos-kb/upload "{\"name\":\"travel-policy.md\",\"text\":\"$TRAVEL\"}" "$WORK/kb-up2.json"
KB1=$(node -p 'require(process.argv[1]).knowledgebase_id' "$WORK/kb-up1.json" 2>/dev/null)
check "kb upload: the first upload creates the knowledge base and processes the document" expect "$WORK/kb-up1.json" 'j.status === "completed" && !!j.knowledgebase_id'
check "kb upload: the second upload goes into the same knowledge base" expect "$WORK/kb-up2.json" "j.status === 'completed' && j.knowledgebase_id === '$KB1'"
EMP="designer-$RANDOM"
hook memos-kb/ask "{\"userId\":\"$EMP\",\"sessionId\":\"s1\",\"question\":\"Hi, I'm a designer in the Creative Platform Department.\"}" "$WORK/kb-a0.json"
hook memos-kb/ask "{\"userId\":\"$EMP\",\"sessionId\":\"s2\",\"question\":\"How much can I get reimbursed for office software?\"}" "$WORK/kb-a1.json"
check "kb ask: one search brings back the policy passage (800) and the asker's role from an earlier session" expect "$WORK/kb-a1.json" '
  /Office software: up to 800 yuan/.test(j.output) && /designer/i.test(j.recalled)'
hook memos-kb/feedback "{\"userId\":\"$EMP\",\"sessionId\":\"s2\",\"correction\":\"The office software limit is 600 yuan, not 800.\"}" "$WORK/kb-fix.json"
check "kb feedback: correction written into the knowledge base (completed)" expect "$WORK/kb-fix.json" 'j.status === "completed"'
OTHER="analyst-$RANDOM"
hook memos-kb/ask "{\"userId\":\"$OTHER\",\"sessionId\":\"s1\",\"question\":\"What is the reimbursement limit for office software?\"}" "$WORK/kb-a2.json"
check "kb ask by another user after the correction: the answer carries 600" expect "$WORK/kb-a2.json" '/600/.test(j.output)'

# ---- 4. the answer step with a model ---------------------------------------------------------------------------------
log "memos-lite with a model (shop-model stand-in)"
( exec node "$HERE/templates/shop-model.js" 0 "$WORK/model-requests.jsonl" > "$WORK/model.log" 2>&1 ) &
MODEL_PID=$!
for _ in $(seq 1 40); do grep -q "listening on" "$WORK/model.log" 2>/dev/null && break; sleep 0.25; done
MODEL_URL=$(grep -o 'http://[^ ]*' "$WORK/model.log" | head -1)
[ -n "$MODEL_URL" ] || abort "shop model did not start"
stop_memos
start_memos MEMOS_LLM_BASE_URL="$MODEL_URL/v1" MEMOS_LLM_API_KEY=sk-test MEMOS_LLM_MODEL=shop-model || abort "memos-lite did not restart with the model"
hook memos-support/chat "{\"userId\":\"$CS_USER\",\"sessionId\":\"day-11\",\"message\":\"He still has diarrhea. Which food do you recommend switching to?\"}" "$WORK/m-cs.json"
check "model: the day-11 dog-food answer recommends the salmon food and not the chicken one" expect "$WORK/m-cs.json" '
  /Puppy Food C/.test(j.output) && !/Puppy Food B|Chicken Classic/.test(j.output)'
hook memos-sales/email "{\"userId\":\"$BUYER\",\"threadId\":\"mail-78\",\"subject\":\"Another wedding\",\"body\":\"Could you suggest a dress for an outdoor wedding?\"}" "$WORK/m-sa.json"
check "model: the sales reply respects size M, no polyester and the \$30 budget (linen dress, not chiffon or silk)" expect "$WORK/m-sa.json" '
  /Linen Wrap Dress/.test(j.output) && /size M/.test(j.output) && /\$30/.test(j.output) && !/Chiffon|Silk/.test(j.output)'
memos /get/message "{\"user_id\":\"$CS_USER\",\"conversation_id\":\"day-11\"}" > "$WORK/m-cs-msgs.json"
check "model: the day-11 turn was written back with the model's answer" expect "$WORK/m-cs-msgs.json" '
  (l => l.some(m => m.role === "user" && /still has diarrhea/.test(m.content)) && l.some(m => m.role === "assistant" && /Puppy Food C/.test(m.content)))(j.data.message_detail_list)'
hook memos-kb/ask "{\"userId\":\"$OTHER\",\"sessionId\":\"s2\",\"question\":\"What is the reimbursement limit for office software?\"}" "$WORK/m-kb.json"
check "model: the knowledge-base answer gives the corrected 600" expect "$WORK/m-kb.json" '/600/.test(j.output) && !/up to 800/.test(j.output)'
check "model: its prompts carried the recalled memories and catalogue passages" expect "$WORK/model-requests.jsonl" '
  (p => p.some(s => /won.t eat chicken|not eat chicken/i.test(s) && /Puppy Food C/.test(s)) && p.some(s => /polyester/i.test(s) && /size M/.test(s) && /Linen Wrap Dress/.test(s)))(
    j.filter(r => r.path.endsWith("/chat/completions")).map(r => text(r.body.messages)))'
