#!/usr/bin/env bash
# Mutation testing (StrykerJS, stryker.config.mjs): runs the groups given (default: all of them) one after the
# other, then prints each group's score and its surviving mutants. Reports: reports/mutation/<group>.{json,html}.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/toolchain.sh
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(auth recall filters chat-memory)
rc=0
for g in "${groups[@]}"; do
  echo "=== mutation group: $g"
  MUTATION_GROUP="$g" npx stryker run || rc=1
done
node scripts/mutation-summary.mjs "${groups[@]}"
exit $rc
