#!/usr/bin/env bash
# The whole test suite: jest (server, node pack, templates; real HTTP servers on 127.0.0.1, real SQLite files),
# then the end-to-end suites in real n8n (installed on first use). Prints one closing line "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
REPORT=$(mktemp -d)
passed=0; failed=0; rc=0

# Type-check the tests and the benchmarks too: jest transpiles without checking types, and a benchmark that does
# not compile is found only when someone next measures.
for project in test/tsconfig.json bench/tsconfig.json; do
  if npx tsc -p "$project" --noEmit; then passed=$((passed + 1)); else failed=$((failed + 1)); rc=1; fi
done

# PostgreSQL in WASM (the store contract's pgvector backend) loads Node built-ins with import(), which jest's
# module sandbox allows only with this flag.
JEST_NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-vm-modules --no-warnings=ExperimentalWarning"

count_jest() {
  if [ -f "$1" ]; then
    read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites||0))' "$1")
    passed=$((passed + p)); failed=$((failed + f))
  fi
}

NODE_OPTIONS="$JEST_NODE_OPTIONS" npx jest --ci --json --outputFile="$REPORT/jest.json" "$@"
jrc=$?
count_jest "$REPORT/jest.json"
[ $jrc -eq 0 ] || rc=1

# The server suites once more with every server on PostgreSQL (a throwaway cluster, a database per server):
# the same tests, one parameter. MEMOS_SKIP_POSTGRES=1 leaves it out.
if [ "${MEMOS_SKIP_POSTGRES:-}" != "1" ] && [ $# -eq 0 ]; then
  echo "=== server suites on PostgreSQL"
  # (The suites that test PostgreSQL themselves already ran in the first pass; dev-script tests `npm start`, which
  # serves the SQLite data directory.)
  MEMOS_TEST_BACKEND=postgres NODE_OPTIONS="$JEST_NODE_OPTIONS" npx jest --ci --json --outputFile="$REPORT/jest-pg.json" test/server \
    --testPathIgnorePatterns /node_modules/ /test/e2e/ store-contract kb-file-parts replicas pg-migrations dev-script
  prc=$?
  count_jest "$REPORT/jest-pg.json"
  [ $prc -eq 0 ] || rc=1
fi

# End-to-end suites: each script prints "e2e: N passed, N failed" as its last line and exits non-zero on failure.
if [ "${MEMOS_SKIP_E2E:-}" != "1" ] && [ $# -eq 0 ]; then
  for suite in test/e2e/*.sh; do
    [ -f "$suite" ] || continue
    echo "=== e2e: $suite"
    bash "$suite" 2>&1 | tee "$REPORT/e2e.log"
    erc=${PIPESTATUS[0]}
    line=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$REPORT/e2e.log" | tail -1)
    if [ -n "$line" ]; then
      p=$(echo "$line" | sed -E 's/^e2e: ([0-9]+) passed.*/\1/'); f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
      passed=$((passed + p)); failed=$((failed + f))
    elif [ $erc -ne 0 ]; then failed=$((failed + 1)); fi
    [ $erc -eq 0 ] || rc=1
  done
fi

rm -rf "$REPORT"
echo "$passed passed, $failed failed"
exit $rc
