#!/usr/bin/env node
'use strict'
/**
 * The Lambda layer of large read-only files (serverless.yml `layers.assets`): the CJK fonts and the
 * PDFium WebAssembly, copied from node_modules into `.layers/assets/qianyue-assets/`. Lambda unpacks
 * a layer under `/opt`, so the functions read them from `/opt/qianyue-assets` (ESIGN_ASSET_DIR);
 * the function zips stay small and their cold starts do not unpack 25 MB.
 */
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..')
const OUT = path.join(ROOT, '.layers', 'assets', 'qianyue-assets')
const FILES = [
  ['@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf', 'fonts/NotoSansSC_400Regular.ttf'],
  ['@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf', 'fonts/NotoSansSC_700Bold.ttf'],
  ['@hyzyla/pdfium/dist/pdfium.wasm', 'pdfium.wasm'],
]

fs.rmSync(path.join(ROOT, '.layers'), { recursive: true, force: true })
for (const [from, to] of FILES) {
  const target = path.join(OUT, to)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.copyFileSync(require.resolve(from, { paths: [ROOT] }), target)
}
// The layer zip (unpacked under /opt): qianyue-assets/fonts/…, qianyue-assets/pdfium.wasm.
const zip = path.join(ROOT, '.layers', 'qianyue-assets.zip')
execFileSync('zip', ['-q', '-r', '-X', zip, 'qianyue-assets'], { cwd: path.dirname(OUT) })
process.stderr.write(`assets layer: ${FILES.length} files, ${path.relative(ROOT, zip)} ${(fs.statSync(zip).size / 1024 / 1024).toFixed(1)} MB\n`)
