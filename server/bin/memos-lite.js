#!/usr/bin/env node
'use strict';
// Launcher. better-sqlite3 is a native module built for one Node version; if this Node cannot load it, say how
// to fix that instead of printing a stack trace (or hand over to the Node the repository toolchain built it for).
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

function nativeMismatch(err) {
  return err && (err.code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|did not self-register/.test(String(err.message)));
}

try {
  // Open (and close) a database: that is what loads the native binding the driver picked for this Node.
  const Database = require('../dist/store/sqlite/driver.js').default;
  new Database(':memory:').close();
} catch (err) {
  if (!nativeMismatch(err)) throw err;
  const toolchainNode = process.env.MEMOS_NODE || path.join(os.homedir(), '.cache', 'memos-kit', 'node24', 'bin', 'node');
  if (fs.existsSync(toolchainNode) && fs.realpathSync(toolchainNode) !== fs.realpathSync(process.execPath)) {
    const child = require('node:child_process').spawn(toolchainNode, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
    // Stopping the launcher must stop the server it handed over to.
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
    child.on('exit', (code, signal) => process.exit(code === null ? (signal ? 128 : 1) : code));
    return;
  }
  process.stderr.write(
    `memos-lite: the SQLite driver was built for a different Node.js version than ${process.version}.\n` +
      `Rebuild it for this one: npm rebuild better-sqlite3 (in the directory where memos-lite is installed).\n`,
  );
  process.exit(1);
}

require('../dist/cli.js')
  .main(process.argv)
  .catch((err) => {
    process.stderr.write(`memos-lite: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
