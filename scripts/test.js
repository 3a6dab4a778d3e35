'use strict'
// `npm test`: everything a newcomer needs, from a fresh clone, in one command — npm and Debian
// dependencies, typecheck, lint, the two Taro builds and the weapp size budget, every jest suite
// (unit, adapter contracts against SQLite/files and DynamoDB Local/s3rver, integration, browser,
// interop with pdfsig/qpdf/openssl), and an offline `osls package`. Ends with one summary line.
const fs = require('node:fs')
const path = require('node:path')
const { root, run, ensureNpmDeps, ensureServerBuild } = require('./ensure-deps')

const started = Date.now()
const step = (name) => process.stdout.write(`\n━━ ${name} ━━\n`)
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

step('dependencies')
ensureNpmDeps()
run('bash', [path.join(root, 'scripts', 'ensure-system-deps.sh')])

step('typecheck + build (server, tests, app)')
ensureServerBuild()
run(bin('tsc'), ['-p', 'tsconfig.test.json', '--noEmit'])
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])
run(bin('tsc'), ['-p', 'test/ui/tsconfig.json', '--noEmit'])

step('lint')
run(bin('eslint'), ['--max-warnings=0', '.'])

step('taro build: weapp + size budget')
run('npm', ['run', '--silent', 'build:weapp'])
run(process.execPath, [path.join(root, 'scripts', 'check-weapp-size.js')])

step('taro build: h5')
run('npm', ['run', '--silent', 'build:h5'])
run(process.execPath, [path.join(root, 'scripts', 'check-h5-size.js')])

step('serverless package (osls, offline)')
run('npm', ['run', '--silent', 'package:aws'], { timeout: 5 * 60 * 1000, stdio: ['ignore', 'inherit', 'inherit'] })

step('jest: unit, adapters, integration, e2e, interop, ui')
const report = path.join(root, '.test-tmp', 'jest-results.json')
fs.mkdirSync(path.dirname(report), { recursive: true })
fs.rmSync(report, { force: true })
const jestArgs = ['--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(2)]
const { spawnSync } = require('node:child_process')
// A hard ceiling, so a test that blocks the event loop fails the run instead of stalling CI.
const JEST_TIMEOUT_MS = 30 * 60 * 1000
const jest = spawnSync(bin('jest'), jestArgs, { cwd: root, stdio: 'inherit', timeout: JEST_TIMEOUT_MS, killSignal: 'SIGKILL' })
if (jest.error && jest.error.code === 'ETIMEDOUT') process.stderr.write(`\n✗ jest did not finish within ${JEST_TIMEOUT_MS / 60000} min and was stopped\n`)

let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numFailedTestSuites: 0, numRuntimeErrorTestSuites: 0 }
try {
  summary = JSON.parse(fs.readFileSync(report, 'utf8'))
} catch {
  process.stderr.write('✗ jest wrote no results file\n')
}
const skipped = summary.numPendingTests + summary.numTodoTests
const failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites || 0)
const minutes = ((Date.now() - started) / 60000).toFixed(1)
process.stdout.write(`\nnpm test finished in ${minutes} min\n`)
process.stdout.write(`tests: ${summary.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`)
if (jest.status !== 0 || failed > 0 || summary.numFailedTestSuites > 0) process.exit(1)
// A skipped test is not a pass: the suite allows none.
if (skipped > 0) {
  process.stderr.write('✗ skipped tests are not allowed: every test must run\n')
  process.exit(1)
}
if (summary.numPassedTests === 0) {
  process.stderr.write('✗ jest ran no tests\n')
  process.exit(1)
}
