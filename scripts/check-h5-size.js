#!/usr/bin/env node
/**
 * H5 first-load budget: what a browser downloads to show the home page of the built H5 app
 * (dist/h5, or the folder given as the first argument), gzipped, must stay within 300 KB.
 *
 * Serves the folder on a local port, opens `/` in Chromium (playwright-core, /usr/bin/chromium),
 * waits until the network is idle, and sums the gzip size (level 9, as a server would send it) of
 * every file the page loaded from the folder: HTML, scripts, styles, fonts, images. A visitor who is
 * not logged in makes no API call, so nothing else is needed. Exits 1 over budget.
 *
 * Usage: node scripts/check-h5-size.js [distDir]
 */
'use strict'

const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const zlib = require('node:zlib')

const BUDGET = 300 * 1024
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.json': 'application/json' }

function fail(message) {
  console.error(`check-h5-size: ${message}`)
  process.exit(1)
}

async function main() {
  const dist = path.resolve(process.argv[2] || path.join(__dirname, '..', 'dist', 'h5'))
  if (!fs.existsSync(path.join(dist, 'index.html'))) fail(`${dist}/index.html is missing; run \`npm run build:h5\` first`)
  const loaded = new Map()
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    const file = path.join(dist, rel === '/' ? 'index.html' : rel)
    if (!file.startsWith(dist) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":{"code":"ROUTE_NOT_FOUND","message":"接口不存在"}}')
      return
    }
    const body = fs.readFileSync(file)
    loaded.set(path.relative(dist, file), { bytes: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length })
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' })
    res.end(body)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { chromium } = require('playwright-core')
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
  try {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } })
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'networkidle' })
    await page.locator('.page').first().waitFor({ timeout: 30_000 })
    await page.waitForLoadState('networkidle')
  } finally {
    await browser.close()
    server.close()
  }
  const rows = [...loaded.entries()].sort((a, b) => b[1].gzip - a[1].gzip)
  const total = rows.reduce((n, [, r]) => n + r.gzip, 0)
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`
  console.log('H5 first load (home page, gzipped):')
  for (const [name, r] of rows) console.log(`  ${name.padEnd(36)} ${kb(r.bytes).padStart(10)} → ${kb(r.gzip).padStart(9)}`)
  console.log(`  ${'(total)'.padEnd(36)} ${''.padStart(10)}   ${kb(total).padStart(9)}  (budget ${kb(BUDGET)}, ${((100 * total) / BUDGET).toFixed(1)}%)`)
  if (total > BUDGET) fail(`first load is ${total} bytes gzipped, over the ${BUDGET}-byte budget`)
  console.log('check-h5-size: within budget')
}

main().catch((err) => fail(err.stack || String(err)))
