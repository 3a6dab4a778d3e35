#!/usr/bin/env node
'use strict'
/**
 * npm run bench:verify [-- --json] [-- --quick]
 *
 * Verification speed of the compiled verifier (build/, `npm run build:server`), in one process:
 * - a 10-signature PDF (10 incremental revisions, each PAdES B-T with a visible stamp): median time
 *   of verifyPdf (digests, CMS, chains, time-stamps and the difference analysis of every signature
 *   against every later revision), target ≤ 100 ms;
 * - a ~10 MB single-signature scanned-style PDF: median verifyPdf time against the SHA-256 floor
 *   of the same bytes, target ≤ 3×;
 * - the whole `esign verify` process on both files.
 * Prints ratios; with --json the last line is one JSON object.
 */
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { spawnSync } = require('node:child_process')

const root = path.join(__dirname, '..')
const BUILD = path.join(root, 'build', 'cloud-functions')
const argv = process.argv.slice(2)
const json = argv.includes('--json')
const quick = argv.includes('--quick')

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6
const log = (s) => process.stdout.write(s + '\n')

function ensureBuild() {
  try {
    require('./ensure-deps').ensureServerBuild()
  } catch {
    /* type errors elsewhere do not stop tsc from emitting */
  }
  if (!fs.existsSync(path.join(BUILD, 'core/verification/verify-pdf.js'))) throw new Error('build/ lacks the verifier: run "npm run build:server"')
}

async function main() {
  ensureBuild()
  const { PDFDocument, StandardFonts, PDFName } = require('pdf-lib')
  const { verifyPdf } = require(path.join(BUILD, 'core/verification/verify-pdf'))
  const { signPdf } = require(path.join(BUILD, 'core/signing/sign-pdf'))
  const { maxCmsSize } = require(path.join(BUILD, 'core/signing/build-cms-signed-data'))
  const { createSignatureAppearance } = require(path.join(BUILD, 'core/signing/signature-appearance'))
  const { createCaHierarchy } = require(path.join(BUILD, 'core/pki/create-ca-hierarchy'))
  const { issueEventCertificate } = require(path.join(BUILD, 'core/pki/issue-event-certificate'))
  const { InProcessTsa } = require(path.join(BUILD, 'adapters/local/in-process-tsa'))
  const baseUrl = 'https://esign.bench.invalid'
  const ca = await createCaHierarchy({ now: new Date(), baseUrl })
  const tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: { now: () => new Date() } })
  const font = fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'))
  const sign = async (pdf, name, visible) => {
    const { signer } = await issueEventCertificate({ name, issuer: ca.issuing, baseUrl, now: new Date() })
    const sealed = await signPdf(pdf, {
      signer,
      tsa,
      contentsSize: maxCmsSize(await signer.certificateChain(), true),
      signingTime: new Date(),
      signerName: name,
      placement: visible ? { page: 'last' } : undefined,
      appearance: visible ? createSignatureAppearance({ signerName: name, dateText: '2026-11-30 10:15', font }) : undefined,
    })
    return Buffer.from(sealed.toBytes())
  }

  log('» building inputs: a 3-page contract signed 10 times, a ~10 MB scan signed once')
  const doc = await PDFDocument.create()
  const helv = await doc.embedFont(StandardFonts.Helvetica)
  for (let p = 0; p < 3; p++) {
    const page = doc.addPage([595, 842])
    for (let l = 0; l < 45; l++) page.drawText(`${p + 1}.${l + 1} The parties agree to the terms set out in this clause.`, { x: 50, y: 790 - l * 16, size: 10, font: helv })
  }
  let tenSigs = Buffer.from(await doc.save({ useObjectStreams: false }))
  for (let i = 1; i <= 10; i++) tenSigs = await sign(tenSigs, `签署人${i}`, i % 2 === 0)
  const scanDoc = await PDFDocument.create()
  const w = 1654
  const h = Math.ceil((2.5 * 1024 * 1024) / w)
  for (let i = 0; i < 4; i++) {
    const page = scanDoc.addPage([595, 842])
    const img = scanDoc.context.stream(crypto.randomBytes(w * h), { Type: 'XObject', Subtype: 'Image', Width: w, Height: h, ColorSpace: 'DeviceGray', BitsPerComponent: 8 })
    page.node.setXObject(PDFName.of('Scan'), scanDoc.context.register(img))
    page.node.set(PDFName.of('Contents'), scanDoc.context.register(scanDoc.context.stream('q 595 0 0 842 0 0 cm /Scan Do Q')))
  }
  const scan = await sign(Buffer.from(await scanDoc.save({ useObjectStreams: false })), '张三', true)

  const roots = [ca.root.certificateDer]
  const runs = quick ? 15 : 51
  const measure = async (bytes) => {
    const cold0 = process.hrtime.bigint()
    const first = await verifyPdf(bytes, { trustRoots: roots, now: new Date() })
    const cold = ms(cold0)
    if (!first.ok || !first.value.valid) throw new Error('the benchmark input does not verify')
    const times = []
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint()
      await verifyPdf(bytes, { trustRoots: roots, now: new Date() })
      times.push(ms(t0))
    }
    return { cold, median: median(times), report: first.value }
  }
  const sha = (bytes) => {
    const times = []
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint()
      crypto.createHash('sha256').update(bytes).digest()
      times.push(ms(t0))
    }
    return median(times)
  }
  const ten = await measure(tenSigs)
  const big = await measure(scan)
  const tenSha = sha(tenSigs)
  const bigSha = sha(scan)

  // Whole process: `esign verify` (node start-up, lazy loading, reading the file).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-verify-'))
  const files = { ten: path.join(dir, 'ten.pdf'), scan: path.join(dir, 'scan.pdf') }
  fs.writeFileSync(files.ten, tenSigs)
  fs.writeFileSync(files.scan, scan)
  const whole = (file) =>
    median(
      Array.from({ length: quick ? 3 : 7 }, () => {
        const t0 = process.hrtime.bigint()
        const r = spawnSync(process.execPath, [path.join(root, 'bin', 'esign.js'), 'verify', file], { env: { ...process.env, ESIGN_DATA_DIR: path.join(dir, 'none') } })
        if (r.status !== 0) throw new Error(`esign verify failed (${r.status}): ${r.stderr}`)
        return ms(t0)
      }),
    )
  const tenWhole = whole(files.ten)
  const scanWhole = whole(files.scan)
  fs.rmSync(dir, { recursive: true, force: true })

  const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
  log('')
  log('case                          size MB  verify ms (median)  cold ms  sha256 ms  verify/sha256  target       esign verify process ms')
  log(`10 signatures, 3 pages       ${(tenSigs.length / 1048576).toFixed(2).padStart(8)}${f(ten.median).padStart(20)}${f(ten.cold).padStart(9)}${f(tenSha).padStart(11)}${(ten.median / tenSha).toFixed(1).padStart(15)}  ≤ 100 ms  ${(ten.median <= 100 ? 'ok' : 'MISSED').padStart(6)}${f(tenWhole).padStart(14)}`)
  log(`1 signature, ~10 MB scan     ${(scan.length / 1048576).toFixed(2).padStart(8)}${f(big.median).padStart(20)}${f(big.cold).padStart(9)}${f(bigSha).padStart(11)}${(big.median / bigSha).toFixed(2).padStart(15)}  ≤ 3×      ${(big.median / bigSha <= 3 ? 'ok' : 'MISSED').padStart(6)}${f(scanWhole).padStart(14)}`)
  log(`(10-signature file: ${ten.report.signatures.length} signatures, ${ten.report.document.revisions} revisions, ${ten.report.signatures.reduce((n, s) => n + s.changes.length, 0)} later changes analysed)`)
  if (json) {
    log(JSON.stringify({
      ten_signatures_ms: Number(ten.median.toFixed(2)),
      ten_signatures_cold_ms: Number(ten.cold.toFixed(2)),
      scan_mb: Number((scan.length / 1048576).toFixed(2)),
      scan_ms: Number(big.median.toFixed(2)),
      scan_sha256_ms: Number(bigSha.toFixed(2)),
      scan_ratio: Number((big.median / bigSha).toFixed(2)),
      process_ten_ms: Number(tenWhole.toFixed(1)),
      process_scan_ms: Number(scanWhole.toFixed(1)),
    }))
  }
  if (ten.median > 100 || big.median / bigSha > 3) process.exitCode = 1
}

main().catch((e) => {
  process.stderr.write(`bench-verify: ${e && e.stack ? e.stack : e}\n`)
  process.exit(1)
})
