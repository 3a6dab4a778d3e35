'use strict'
// Installs the npm dependencies when they are missing or older than package-lock.json, and
// compiles the server when its sources changed. Used by `npm start` and `npm test`; plain Node,
// no dependencies, so it runs on a fresh clone.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')

/** Run a command with inherited stdio; exit the process when it fails or exceeds `timeout` ms. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', killSignal: 'SIGKILL', ...opts })
  if (r.status !== 0) {
    const why = r.error && r.error.code === 'ETIMEDOUT' ? `timed out after ${opts.timeout / 1000} s` : `exit ${r.status ?? r.signal}`
    process.stderr.write(`\n✗ ${cmd} ${args.join(' ')} failed (${why})\n`)
    process.exit(r.status || 1)
  }
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs
  } catch {
    return 0
  }
}

function newestIn(dir, filter) {
  let newest = 0
  const walk = (d) => {
    let entries
    try {
      entries = fs.readdirSync(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (!filter || filter(p)) newest = Math.max(newest, mtime(p))
    }
  }
  walk(dir)
  return newest
}

/** npm install when node_modules is missing or stale (the lock changed since the last install). */
function ensureNpmDeps() {
  const installed = path.join(root, 'node_modules', '.package-lock.json')
  if (mtime(installed) >= mtime(path.join(root, 'package-lock.json')) && fs.existsSync(path.join(root, 'node_modules', '.bin', 'tsc'))) return
  process.stdout.write('» installing npm dependencies (first run takes a few minutes)…\n')
  // `npm install`, not `npm ci`: Taro's optional platform bindings for other OSes are not on the
  // registry, so the lock cannot list them and `npm ci` refuses the lock as out of sync.
  run('npm', ['install', '--no-audit', '--no-fund'])
}

/** tsc → build/ when any server source is newer than the last build. */
function ensureServerBuild() {
  const marker = path.join(root, 'build', '.built')
  const sources = Math.max(newestIn(path.join(root, 'cloud-functions')), mtime(path.join(root, 'package.json')), mtime(path.join(root, 'tsconfig.server.json')))
  if (mtime(marker) >= sources) return
  process.stdout.write('» compiling the server (tsc)…\n')
  run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.server.json'])
  fs.writeFileSync(marker, new Date().toISOString())
}

/** taro build --type h5 when the app sources are newer than dist/h5. */
function ensureH5Build() {
  const built = mtime(path.join(root, 'dist', 'h5', 'index.html'))
  const sources = Math.max(newestIn(path.join(root, 'src')), newestIn(path.join(root, 'config')), newestIn(path.join(root, 'cloud-functions', 'api')))
  if (built >= sources) return
  process.stdout.write('» building the H5 app (taro build --type h5)…\n')
  run('npm', ['run', '--silent', 'build:h5'])
}

module.exports = { root, run, ensureNpmDeps, ensureServerBuild, ensureH5Build }
