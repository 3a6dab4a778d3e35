#!/usr/bin/env node
/**
 * WeChat package-size gate for the mini-program build.
 *
 * Measures dist/weapp (or the folder given as the first argument): each subpackage (roots read from the
 * built app.json) and the main package (every file not under a subpackage root). Exits 1 when
 * dist/weapp or its app.json is missing, the main package exceeds our 1.5 MB budget (WeChat's cap is
 * 2 MB), any subpackage exceeds 2 MB, or the total exceeds 20 MB (limits: developers.weixin.qq.com, 分包加载). Counts every file, so it errs on the safe side.
 *
 * Usage: node scripts/check-weapp-size.js [distDir]
 */
'use strict'

const fs = require('node:fs')
const path = require('node:path')

const MB = 1024 * 1024
/** WeChat allows 2 MB for the main package; ours is held to 1.5 MB so the tab pages stay quick to open. */
const LIMITS = { main: 1.5 * MB, subpackage: 2 * MB, total: 20 * MB }

function fail(message) {
  console.error(`check-weapp-size: ${message}`)
  process.exit(1)
}

/** Every file below `dir`, as paths relative to `root` with forward slashes. */
function listFiles(root, dir = root) {
  const out = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFiles(root, full))
    else if (entry.isFile()) out.push({ rel: path.relative(root, full).split(path.sep).join('/'), size: fs.statSync(full).size })
  }
  return out
}

const fmt = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`

function main() {
  const distDir = path.resolve(process.argv[2] || path.join(__dirname, '..', 'dist', 'weapp'))
  if (!fs.existsSync(distDir) || !fs.statSync(distDir).isDirectory()) {
    fail(`${distDir} does not exist; run \`NODE_ENV=production npx taro build --type weapp\` first`)
  }
  const appJsonPath = path.join(distDir, 'app.json')
  if (!fs.existsSync(appJsonPath)) fail(`${appJsonPath} is missing; is ${distDir} a weapp build?`)
  const appJson = JSON.parse(fs.readFileSync(appJsonPath, 'utf8'))
  const roots = (appJson.subPackages || appJson.subpackages || [])
    .map((p) => String(p.root).replace(/^\/+|\/+$/g, ''))

  const packages = [{ name: '(main)', root: '', bytes: 0, files: 0, limit: LIMITS.main }]
    .concat(roots.map((root) => ({ name: root, root, bytes: 0, files: 0, limit: LIMITS.subpackage })))
  let total = 0
  for (const file of listFiles(distDir)) {
    const owner = packages.find((p) => p.root !== '' && file.rel.startsWith(`${p.root}/`)) || packages[0]
    owner.bytes += file.size
    owner.files += 1
    total += file.size
  }

  const problems = []
  const rows = packages.map((p) => {
    if (p.bytes > p.limit) problems.push(`${p.name} is ${p.bytes} bytes, over the ${p.limit}-byte limit`)
    return [p.name, p.files, p.bytes, p.limit]
  })
  if (total > LIMITS.total) problems.push(`total is ${total} bytes, over the ${LIMITS.total}-byte limit`)
  rows.push(['(total)', packages.reduce((n, p) => n + p.files, 0), total, LIMITS.total])

  const table = [['package', 'files', 'bytes', 'size', 'limit', 'used', '']].concat(rows.map(([name, files, bytes, limit]) =>
    [name, String(files), String(bytes), fmt(bytes), fmt(limit), `${((100 * bytes) / limit).toFixed(1)}%`, bytes > limit ? 'OVER' : 'ok']))
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)))
  const shown = path.relative(process.cwd(), distDir)
  console.log(`weapp package sizes in ${shown === '' || shown.startsWith('..') ? distDir : shown}`)
  for (const r of table) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd())
  if (problems.length > 0) fail(problems.join('; '))
  console.log('check-weapp-size: all packages within limits')
}

main()
