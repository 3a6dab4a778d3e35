#!/usr/bin/env node
'use strict'
// Runs the compiled CLI (build/ is produced by `npm run build:server`, which `npm install` runs).
let main
try {
  ;({ main } = require('../build/cloud-functions/cli/main.js'))
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('esign: not built yet. Run "npm run build:server" (or "npm install") in the checkout first.\n')
    process.exit(1)
  }
  throw e
}
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  (e) => { process.stderr.write(`esign: ${e && e.message ? e.message : String(e)}\n`); process.exitCode = 1 },
)
