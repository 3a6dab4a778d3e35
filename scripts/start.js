'use strict'
// `npm start`: install what is missing, build what is stale, then run the local server
// (embedded default: SQLite + files under ESIGN_DATA_DIR) under a small supervisor, as a service
// manager would: a server that dies (crash, OOM kill, signal) is logged and started again, with a
// backoff that doubles from 0.5 s to 30 s and resets after a minute of uptime. A configuration
// error (exit 2) is not retried. Ctrl-C / SIGTERM stop the server cleanly and exit 0.
const { spawn } = require('node:child_process')
const { randomBytes } = require('node:crypto')
const path = require('node:path')
const { root, ensureNpmDeps, ensureServerBuild, ensureH5Build } = require('./ensure-deps')
const { SERVER_NODE_FLAGS } = require('./server-node-flags')

ensureNpmDeps()
ensureServerBuild()
ensureH5Build()

const SERVER = path.join(root, 'build', 'cloud-functions', 'runtime', 'local-server-main.js')
const FIRST_DELAY_MS = 500
const MAX_DELAY_MS = 30_000
const STABLE_AFTER_MS = 60_000
/** local-server-main exits 2 for invalid configuration: restarting cannot help. */
const CONFIG_ERROR_EXIT = 2

// The sandbox outbox's operator token (issue 10): made once here when not configured, so the links
// the first start prints keep working after a supervised restart.
const serverEnv = { ...process.env, ESIGN_OPERATOR_TOKEN: process.env.ESIGN_OPERATOR_TOKEN || randomBytes(24).toString('hex') }

let child
let stopping = false
let delay = FIRST_DELAY_MS
let restartTimer

function log(message) {
  process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: message, component: 'supervisor' })}\n`)
}

function startServer() {
  const startedAt = Date.now()
  child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER], { cwd: root, stdio: 'inherit', env: serverEnv })
  process.stdout.write(`» 签约服务进程 ${child.pid} 已启动，意外退出时自动重启 (server process ${child.pid} started, supervised)\n`)
  child.on('exit', (code, signal) => {
    child = undefined
    if (stopping) process.exit(code === null || code === 130 || code === 143 ? 0 : code)
    if (code === CONFIG_ERROR_EXIT) process.exit(code)
    if (Date.now() - startedAt >= STABLE_AFTER_MS) delay = FIRST_DELAY_MS
    const why = signal ? `signal ${signal}` : `exit code ${code}`
    log(`服务进程意外退出（${why}），${delay} ms 后重启 (server process stopped unexpectedly (${why}); restarting in ${delay} ms)`)
    restartTimer = setTimeout(startServer, delay)
    delay = Math.min(delay * 2, MAX_DELAY_MS)
  })
}

// The terminal sends Ctrl-C to the whole process group; the server shuts itself down, we wait for it.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true
    if (restartTimer) clearTimeout(restartTimer)
    if (child) child.kill(signal)
    else process.exit(0)
  })
}

startServer()
