'use strict'
// `npm start`: install what is missing, build what is stale, then run the local server
// (embedded default: SQLite + files under ESIGN_DATA_DIR). Ctrl-C stops it cleanly.
const { spawn } = require('node:child_process')
const path = require('node:path')
const { root, ensureNpmDeps, ensureServerBuild, ensureH5Build } = require('./ensure-deps')

ensureNpmDeps()
ensureServerBuild()
ensureH5Build()

const child = spawn(process.execPath, [path.join(root, 'build', 'cloud-functions', 'runtime', 'local-server-main.js')], { cwd: root, stdio: 'inherit' })
// The terminal sends Ctrl-C to the whole process group; the server shuts itself down, we wait for it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
