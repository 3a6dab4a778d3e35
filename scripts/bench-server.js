'use strict'
/**
 * What the HTTP benchmarks (bench-flow.js, bench-bulk.js) share: the compiled local server started as
 * its own process, a free port, a valid resident ID number, and a status check of an answer.
 */
const { spawn } = require('node:child_process')
const net = require('node:net')
const path = require('node:path')
const { SERVER_NODE_FLAGS } = require('./server-node-flags')

const ROOT = path.join(__dirname, '..')
const SERVER = path.join(ROOT, 'build', 'cloud-functions', 'runtime', 'local-server-main.js')

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** The answer's body when its status is one of `statuses`; otherwise an error naming `what`. */
function expectStatus(r, statuses, what) {
  if (![].concat(statuses).includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)
  return r.body
}

/** A valid resident ID number (GB 11643: its check character from the product's own core), a different one for each n. */
function idNumber(n) {
  const { idNumberCheckChar } = require(path.join(ROOT, 'build', 'cloud-functions', 'core', 'identity', 'id-number.js'))
  const first17 = `1101011990${String(1 + (Math.floor(n / 1000) % 12)).padStart(2, '0')}${String(1 + (Math.floor(n / 12000) % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`
  return first17 + idNumberCheckChar(first17)
}

/**
 * The compiled local server (build/) with `npm start`'s node flags on a free loopback port with its data in `dataDir`, the sandbox
 * providers, no scheduled tick and `operator` as the operator token; `nodeArgs` go before the script
 * (profiling, preloads), `env` adds to the environment, `onStdout` (if given) receives its standard output line by
 * line (ignored otherwise). Resolves once /api/health answers 200.
 */
async function startLocalServer({ dataDir, operator, nodeArgs = [], env = {}, onStdout }) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, SERVER], {
    cwd: ROOT,
    env: { ...process.env, ...env, ESIGN_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ESIGN_OPERATOR_TOKEN: operator, ESIGN_PUBLIC_BASE_URL: url, ESIGN_TICK_SECONDS: '0' },
    stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'inherit'],
  })
  if (onStdout) {
    let rest = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop()
      for (const line of lines) onStdout(line)
    })
  }
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) return { port, url, child }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill()
  throw new Error('the local server did not start')
}

module.exports = { SERVER, expectStatus, freePort, idNumber, startLocalServer }
