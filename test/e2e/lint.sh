#!/usr/bin/env bash
# The node pack against n8n's community-node lint rules (n8n-node lint), as n8n's verification runs them.
set -uo pipefail
cd "$(dirname "$0")/../.."
if npm run --silent lint:nodes; then
  echo "e2e: 1 passed, 0 failed"
else
  echo "e2e: 0 passed, 1 failed"
  exit 1
fi
