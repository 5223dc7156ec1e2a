#!/usr/bin/env node
'use strict';
// The CLI lives in harness/cli (compiled to dist/). Build first: `npm run build` (npm ci does it via setup).
require('source-map-support/register');
// A closed pipe (`a8w8 list | head`) is not an error.
process.stdout.on('error', (e) => { if (e && e.code === 'EPIPE') process.exit(0); throw e; });
const path = require('path');
let cli;
try {
  cli = require(path.join(__dirname, '..', 'dist', 'harness', 'cli', 'main.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('cli')) {
    process.stderr.write('a8w8: not built yet; run `npm run build` (or scripts/setup.sh)\n');
    process.exit(2);
  }
  throw e;
}
// exitWith: a command that never finishes exits 2, not 0
cli.exitWith(cli.main(process.argv.slice(2)));
