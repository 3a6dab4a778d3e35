#!/usr/bin/env node
'use strict'
/**
 * npm run bench:render [-- --json]
 *
 * Page images with the PDFium (WebAssembly) renderer in this process: the cold start (reading and
 * compiling pdfium.wasm once per process or worker) and the median / p95 time per page — load the
 * document, render, encode the PNG — at 750 px (a 375-pt phone screen at 2×) and 1500 px, over the
 * fixture pages (LibreOffice Chinese text, a rotated page, a crop box, Chromium Type 3 fonts).
 * With --json the last line is one JSON object.
 *
 * Uses the compiled server (build/, `npm run build:server`).
 */
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
const { pdfiumPageRenderer } = require(path.join(root, 'build', 'cloud-functions', 'adapters', 'pdfium', 'pdfium-page-renderer'))
const FIXTURES = path.join(root, 'test', 'fixtures', 'pdf')
const PAGES = [
  ['labor-libreoffice.pdf', 0],
  ['labor-rotated-cropped.pdf', 1],
  ['labor-rotated-cropped.pdf', 2],
  ['po-chrome.pdf', 0],
]
const ROUNDS = 15

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6

async function main() {
  const renderer = pdfiumPageRenderer()
  const docs = PAGES.map(([f, i]) => [fs.readFileSync(path.join(FIXTURES, f)), i])
  let t0 = process.hrtime.bigint()
  const first = await renderer.renderPage({ pdf: docs[0][0], pageIndex: docs[0][1], width: 750 })
  if (!first.ok) throw new Error(first.error.code)
  const coldMs = ms(t0)
  const result = { cold_first_page_ms: Math.round(coldMs) }
  for (const width of [750, 1500]) {
    const times = []
    let bytes = 0
    for (let r = 0; r < ROUNDS; r++) {
      for (const [pdf, pageIndex] of docs) {
        t0 = process.hrtime.bigint()
        const out = await renderer.renderPage({ pdf, pageIndex, width })
        times.push(ms(t0))
        if (!out.ok) throw new Error(out.error.code)
        bytes += out.value.png.byteLength
      }
    }
    const p50 = pct(times, 50)
    const p95 = pct(times, 95)
    result[`p50_ms_${width}`] = Number(p50.toFixed(1))
    result[`p95_ms_${width}`] = Number(p95.toFixed(1))
    result[`avg_png_kb_${width}`] = Math.round(bytes / times.length / 1024)
    process.stdout.write(`${width} px: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms per page, ${(1000 / p50).toFixed(1)} pages/s, PNG ≈ ${Math.round(bytes / times.length / 1024)} KB\n`)
  }
  process.stdout.write(`cold start + first page: ${coldMs.toFixed(0)} ms\n`)
  renderer.close()
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
