#!/usr/bin/env bash
# Runs one benchmark (locomo | latency) from a fresh clone: installs dependencies and builds the server when
# needed (scripts/dev.sh), compiles bench/, and runs it with the repository's Node toolchain (Node 24, which the
# installed SQLite driver was built for). Relative paths in the arguments stay relative to where it was called.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
name=${1:?usage: bench/run.sh locomo|latency [args]}; shift
bash "$ROOT/scripts/dev.sh" build >&2
source "$ROOT/scripts/toolchain.sh"
"$ROOT/node_modules/.bin/tsc" -p "$ROOT/bench/tsconfig.json"
exec node "$ROOT/bench/dist/$name.js" "$@"
