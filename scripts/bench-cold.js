#!/usr/bin/env node
'use strict'
/**
 * `npm run bench:cold [-- --json]` (after `npm run package:aws`): the cold-start initialisation of
 * each Lambda, measured locally against the built zips. Each zip is unpacked into an empty folder
 * with only the AWS SDK beside it (the runtime provides it) and the assets layer at ESIGN_ASSET_DIR;
 * a fresh Node process per function then times
 *   - import: `require` of the handler file (module evaluation), and
 *   - wiring: the first invocation of an HTTP handler with a request no route matches (configuration,
 *     logger, AWS clients and adapters built; the router answers 404 without a storage call).
 * Scheduled handlers are timed on import only (their first call does real work). Budget: 300 ms.
 * Each function is started `--runs N` times (default 3, fresh process each) and its median is kept,
 * so one run slowed by another process on the machine does not decide the maximum.
 * With --json the last line is {"functions", "max_init_ms", "max_zip_mb"}.
 */
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { ROOT, lambdaZips } = require('./lambda-zips')

const BUDGET_MS = 300
const json = process.argv.includes('--json')
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 1) : 3
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const log = json ? (s) => process.stderr.write(`${s}\n`) : (s) => console.log(s)

const PROBE = `
const t0 = process.hrtime.bigint()
const mod = require(process.argv[1])
const t1 = process.hrtime.bigint()
const http = process.argv[2] === 'http'
const event = { version: '2.0', rawPath: '/api/__cold-start-probe', headers: {}, requestContext: { http: { method: 'GET', path: '/api/__cold-start-probe' }, requestId: 'cold' }, isBase64Encoded: false }
Promise.resolve(http ? mod.handler(event) : undefined).then((r) => {
  const t2 = process.hrtime.bigint()
  process.stdout.write(JSON.stringify({ importMs: Number(t1 - t0) / 1e6, wiringMs: Number(t2 - t1) / 1e6, status: r && r.statusCode }))
}, (e) => { console.error(e); process.exit(3) })
`

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-cold-'))
try {
  const layer = path.join(ROOT, '.layers', 'qianyue-assets.zip')
  const layerDir = path.join(work, 'opt')
  if (fs.existsSync(layer)) execFileSync('unzip', ['-q', layer, '-d', layerDir])
  // Context for the numbers: how long this machine takes to start an empty Node process
  // (≈40 ms idle); a loaded machine inflates every figure below by about the same factor.
  const t0 = process.hrtime.bigint()
  spawnSync(process.execPath, ['-e', '0'])
  const nodeStartupMs = +(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)
  log(`empty node process: ${nodeStartupMs} ms (os load average ${os.loadavg()[0].toFixed(1)}); median of ${RUNS} run(s) per function`)
  const functions = []
  for (const z of lambdaZips()) {
    const dir = path.join(work, z.name)
    execFileSync('unzip', ['-q', z.zip, '-d', dir])
    fs.mkdirSync(path.join(dir, 'node_modules'))
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@aws-sdk'), path.join(dir, 'node_modules', '@aws-sdk'))
    const kind = z.handler.includes('/handlers/http/') ? 'http' : 'schedule'
    const samples = []
    for (let run = 0; run < RUNS; run++) {
      const r = spawnSync(process.execPath, ['-e', PROBE, path.join(dir, z.handler), kind], {
        cwd: dir,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          ESIGN_MODE: 'aws',
          ESIGN_S3_BUCKET: 'cold-start',
          ESIGN_DYNAMODB_TABLE: 'cold-start',
          ESIGN_SESSION_SECRET: Buffer.alloc(32, 7).toString('base64'),
          ESIGN_IDENTITY_PROVIDER: 'sandbox',
          ESIGN_SMS_PROVIDER: 'sandbox',
          ESIGN_ALLOW_SANDBOX: 'true',
          ESIGN_ASSET_DIR: path.join(layerDir, 'qianyue-assets'),
          AWS_REGION: 'ap-east-1',
          AWS_ACCESS_KEY_ID: 'cold',
          AWS_SECRET_ACCESS_KEY: 'cold',
          LOG_LEVEL: 'silent',
        },
      })
      if (r.status !== 0) throw new Error(`${z.name}: the bundle failed (exit ${r.status}):\n${r.stderr}`)
      samples.push(JSON.parse(r.stdout))
    }
    const byInit = samples.map((x) => ({ ...x, initMs: x.importMs + (kind === 'http' ? x.wiringMs : 0) }))
    const m = byInit.find((x) => x.initMs === median(byInit.map((y) => y.initMs)))
    const initMs = m.initMs
    functions.push({ name: z.name, zip_mb: +(z.bytes / 1024 / 1024).toFixed(2), import_ms: +m.importMs.toFixed(1), wiring_ms: kind === 'http' ? +m.wiringMs.toFixed(1) : null, init_ms: +initMs.toFixed(1) })
    log(`${z.name.padEnd(16)} zip ${(z.bytes / 1024 / 1024).toFixed(2).padStart(5)} MB  import ${m.importMs.toFixed(1).padStart(6)} ms  wiring ${kind === 'http' ? m.wiringMs.toFixed(1).padStart(6) + ' ms' : '     —   '}  init ${initMs.toFixed(1).padStart(6)} ms${initMs > BUDGET_MS ? '  OVER budget' : ''}`)
  }
  const maxInit = Math.max(...functions.map((f) => f.init_ms))
  const maxZip = Math.max(...functions.map((f) => f.zip_mb))
  log(`max init ${maxInit} ms (budget ${BUDGET_MS} ms), max zip ${maxZip} MB (os load average now ${os.loadavg()[0].toFixed(1)})`)
  if (json) console.log(JSON.stringify({ functions, max_init_ms: maxInit, max_zip_mb: maxZip, node_startup_ms: nodeStartupMs }))
  if (maxInit > BUDGET_MS) process.exitCode = 1
} finally {
  fs.rmSync(work, { recursive: true, force: true })
}
