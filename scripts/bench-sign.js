#!/usr/bin/env node
'use strict'
/**
 * npm run bench:sign [-- --json] [-- --quick]
 *
 * In one process: median time per signature of this engine (placeholder + streamed hash + CMS with
 * RFC 3161 token + embed, signing the prepared signer field with a visible stamp, certificate already
 * issued, warm) against the SHA-256 floor of the same bytes, for a ~10 MB scanned-style PDF, a 3-page
 * contract and a 200-page text PDF (all generated here). The usual Node approach (pdf-lib load →
 * @signpdf/placeholder-pdf-lib → full save → @signpdf/signpdf with a P12) and @libpdf/core
 * (PDF.load → sign with a node:crypto signer) run in child processes, so peak RSS is the engine's
 * alone. Finally the whole `esign sign` process is compared with the usual approach's whole process
 * on a 4.5 MB scan (runs alternate; esign with and without its V8 compile cache), and each of the
 * issue's targets is checked (✓/✗). With --json the last line is one JSON object for the 10 MB case.
 *
 * Uses the compiled server (build/, `npm run build:server`).
 */
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { spawnSync, execFileSync } = require('node:child_process')

const root = path.join(__dirname, '..')
const BUILD = path.join(root, 'build', 'cloud-functions')
const argv = process.argv.slice(2)

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6

// ---------------------------------------------------------------- children

async function childGenerate(dir) {
  const { PDFDocument, StandardFonts, PDFName } = require('pdf-lib')
  const { prepareDocument } = require(path.join(BUILD, 'core/signing/prepare-document'))
  const scan = async (pages, bytesPerPage) => {
    const doc = await PDFDocument.create()
    const w = 1654
    const h = Math.ceil(bytesPerPage / w)
    for (let i = 0; i < pages; i++) {
      const page = doc.addPage([595, 842])
      const img = doc.context.stream(crypto.randomBytes(w * h), {
        Type: 'XObject', Subtype: 'Image', Width: w, Height: h, ColorSpace: 'DeviceGray', BitsPerComponent: 8,
      })
      page.node.setXObject(PDFName.of('Scan'), doc.context.register(img))
      page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream('q 595 0 0 842 0 0 cm /Scan Do Q')))
    }
    return doc.save({ useObjectStreams: false })
  }
  const text = async (pages) => {
    const doc = await PDFDocument.create()
    const font = await doc.embedFont(StandardFonts.Helvetica)
    for (let p = 0; p < pages; p++) {
      const page = doc.addPage([595, 842])
      for (let l = 0; l < 45; l++) {
        page.drawText(`${p + 1}.${l + 1} The parties agree to the terms set out in this clause of the agreement.`, { x: 50, y: 790 - l * 16, size: 10, font })
      }
    }
    return doc.save({ useObjectStreams: false })
  }
  const inputs = {
    scan10: await scan(4, 2.5 * 1024 * 1024),
    contract3: await text(3),
    text200: await text(200),
    scan45: await scan(2, 2.25 * 1024 * 1024),
  }
  for (const [name, bytes] of Object.entries(inputs)) {
    fs.writeFileSync(path.join(dir, `${name}.pdf`), bytes)
    const prepared = await prepareDocument(bytes, { signers: [{ fieldName: 'signer-1', page: 'last', rect: [400, 40, 150, 90] }] })
    fs.writeFileSync(path.join(dir, `${name}.prepared.pdf`), prepared.bytes)
  }
}

async function usualApproachOnce(bytes, p12) {
  const { PDFDocument } = require('pdf-lib')
  const { pdflibAddPlaceholder } = require('@signpdf/placeholder-pdf-lib')
  const signpdf = require('@signpdf/signpdf').default
  const { P12Signer } = require('@signpdf/signer-p12')
  const doc = await PDFDocument.load(bytes)
  pdflibAddPlaceholder({ pdfDoc: doc, reason: 'bench', contactInfo: 'bench@example.com', name: 'Bench', location: 'Shanghai', signatureLength: 16384 })
  const saved = await doc.save({ useObjectStreams: false })
  return signpdf.sign(Buffer.from(saved), new P12Signer(p12))
}

async function childBaseline(file, p12File, n) {
  const bytes = fs.readFileSync(file)
  const p12 = fs.readFileSync(p12File)
  const times = []
  for (let i = 0; i < n + 1; i++) {
    const t0 = process.hrtime.bigint()
    await usualApproachOnce(bytes, p12)
    if (i > 0) times.push(ms(t0)) // first run warms up
  }
  process.stdout.write(JSON.stringify({ median: median(times), rssMb: process.resourceUsage().maxRSS / 1024 }) + '\n')
}

async function childPeer(file, keyFile, certFile, n) {
  const { PDF } = await import('@libpdf/core')
  const bytes = fs.readFileSync(file)
  const key = crypto.createPrivateKey(fs.readFileSync(keyFile))
  const certificate = new Uint8Array(new crypto.X509Certificate(fs.readFileSync(certFile)).raw)
  const signer = {
    certificate,
    keyType: 'EC',
    signatureAlgorithm: 'ECDSA',
    async sign(data, algorithm) {
      return new Uint8Array(crypto.sign(algorithm.replace('-', '').toLowerCase(), data, key)) // DER Ecdsa-Sig-Value
    },
  }
  const times = []
  for (let i = 0; i < n + 1; i++) {
    const t0 = process.hrtime.bigint()
    const pdf = await PDF.load(bytes)
    await pdf.sign({ signer, reason: 'bench', subFilter: 'ETSI.CAdES.detached' })
    if (i > 0) times.push(ms(t0))
  }
  process.stdout.write(JSON.stringify({ median: median(times), rssMb: process.resourceUsage().maxRSS / 1024 }) + '\n')
}

async function childWholeBaseline(input, output, p12File) {
  const signed = await usualApproachOnce(fs.readFileSync(input), fs.readFileSync(p12File))
  fs.writeFileSync(output, signed)
}

// ---------------------------------------------------------------- main

function runChild(args) {
  const r = spawnSync(process.execPath, [__filename, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (r.status !== 0) throw new Error(`child ${args[0]} failed (${r.status}): ${r.stderr}`)
  const lines = r.stdout.trim().split('\n')
  return lines.length && lines[lines.length - 1].startsWith('{') ? JSON.parse(lines[lines.length - 1]) : undefined
}

function wallTime(cmd, args, env) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' })
  const t = ms(t0)
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return t
}

function ensureBuild() {
  try {
    require('./ensure-deps').ensureServerBuild()
  } catch {
    /* type errors elsewhere in the tree do not stop tsc from emitting */
  }
  if (!fs.existsSync(path.join(BUILD, 'core/signing/sign-pdf.js'))) {
    throw new Error('build/ is missing the signing engine: run "npm run build:server" first')
  }
}

async function main() {
  const json = argv.includes('--json')
  const quick = argv.includes('--quick')
  const log = (s) => process.stdout.write(s + '\n')
  ensureBuild()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sign-'))
  log(`» generating inputs in ${dir}`)
  runChild(['--child-gen', dir])

  // Keys for the baseline (RSA-2048 P12, the @signpdf default setup) and the peer (P-256).
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=Bench', '-days', '30', '-keyout', path.join(dir, 'rsa.key'), '-out', path.join(dir, 'rsa.crt')], { stdio: 'ignore' })
  execFileSync('openssl', ['pkcs12', '-export', '-passout', 'pass:', '-inkey', path.join(dir, 'rsa.key'), '-in', path.join(dir, 'rsa.crt'), '-out', path.join(dir, 'bench.p12')], { stdio: 'ignore' })
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=Bench EC', '-days', '30', '-keyout', path.join(dir, 'ec.key'), '-out', path.join(dir, 'ec.crt')], { stdio: 'ignore' })

  // The engine, in this process.
  const { signPdf } = require(path.join(BUILD, 'core/signing/sign-pdf'))
  const { maxCmsSize } = require(path.join(BUILD, 'core/signing/build-cms-signed-data'))
  const { createSignatureAppearance } = require(path.join(BUILD, 'core/signing/signature-appearance'))
  const { createCaHierarchy } = require(path.join(BUILD, 'core/pki/create-ca-hierarchy'))
  const { issueEventCertificate } = require(path.join(BUILD, 'core/pki/issue-event-certificate'))
  const { InProcessTsa } = require(path.join(BUILD, 'adapters/local/in-process-tsa'))
  const ca = await createCaHierarchy({ now: new Date(), baseUrl: 'https://esign.bench.invalid' })
  const tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: { now: () => new Date() } })
  const font = fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'))

  const cases = [
    { name: 'scan10', label: '~10 MB scanned PDF', n: quick ? 7 : 21, other: quick ? 2 : 5 },
    { name: 'contract3', label: '3-page contract', n: quick ? 51 : 201, other: quick ? 3 : 10 },
    { name: 'text200', label: '200-page text PDF', n: quick ? 21 : 101, other: quick ? 2 : 5 },
  ]
  const results = {}
  for (const c of cases) {
    const bytes = fs.readFileSync(path.join(dir, `${c.name}.prepared.pdf`))
    const engine = []
    for (let i = 0; i < c.n + 3; i++) {
      const { signer } = await issueEventCertificate({ name: '张三', issuer: ca.issuing, baseUrl: 'https://esign.bench.invalid', now: new Date() })
      const contentsSize = maxCmsSize(await signer.certificateChain(), true)
      const t0 = process.hrtime.bigint()
      const appearance = createSignatureAppearance({ signerName: '张三', dateText: '2026-11-30 10:15', font })
      const sealed = await signPdf(bytes, { signer, tsa, contentsSize, signingTime: new Date(), signerName: '张三', fieldName: 'signer-1', appearance, repairBrokenXref: false })
      const t = ms(t0)
      if (sealed.length <= bytes.length) throw new Error('engine produced no revision')
      if (i >= 3) engine.push(t)
    }
    const floor = []
    for (let i = 0; i < c.n; i++) {
      const t0 = process.hrtime.bigint()
      crypto.createHash('sha256').update(bytes).digest()
      floor.push(ms(t0))
    }
    results[c.name] = { label: c.label, mb: bytes.length / 1048576, engine: median(engine), sha256: median(floor) }
  }
  // Check one engine output with pdfsig when available (sanity, not timing).
  const peakRss = process.resourceUsage().maxRSS / 1024

  for (const c of cases) {
    const file = path.join(dir, `${c.name}.pdf`)
    log(`» usual approach and @libpdf/core on ${c.label} (child processes)`)
    results[c.name].baseline = runChild(['--child-baseline', file, path.join(dir, 'bench.p12'), String(c.other)]).median
    results[c.name].peer = runChild(['--child-peer', file, path.join(dir, 'ec.key'), path.join(dir, 'ec.crt'), String(c.other)]).median
  }

  // Whole process on a 4.5 MB scan: esign sign vs the usual approach as a script. The runs alternate
  // (esign, usual, esign, …) so that load from other processes affects both alike.
  const env = { ...process.env, ESIGN_DATA_DIR: path.join(dir, 'esign-data'), ESIGN_COMPILE_CACHE: path.join(dir, 'compile-cache') }
  const scan45 = path.join(dir, 'scan45.pdf')
  const esign = [path.join(root, 'bin', 'esign.js'), 'sign', scan45, '-o', path.join(dir, 'out-esign.pdf'), '--signer', '张三']
  const usual = [__filename, '--child-whole-baseline', scan45, path.join(dir, 'out-usual.pdf'), path.join(dir, 'bench.p12')]
  wallTime(process.execPath, esign, env) // creates the local CA (and fills the compile cache)
  const runs = quick ? 5 : 11
  const times = { esign: [], usual: [], node: [], noCache: [] }
  for (let i = 0; i < runs; i++) {
    times.esign.push(wallTime(process.execPath, esign, env))
    times.usual.push(wallTime(process.execPath, usual, env))
    times.noCache.push(wallTime(process.execPath, esign, { ...env, ESIGN_COMPILE_CACHE: 'off' }))
    times.node.push(wallTime(process.execPath, ['-e', '0'], env))
  }
  const wholeEngine = median(times.esign)
  const wholeBaseline = median(times.usual)
  const wholeNoCache = median(times.noCache)
  const nodeStart = median(times.node)

  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
  const ratio = (a, b) => (a / b >= 10 ? (a / b).toFixed(0) : (a / b).toFixed(1))
  log('')
  log('case                  size MB  engine ms  sha256 ms  engine/sha  usual ms  ×faster  @libpdf ms  ×faster')
  for (const c of cases) {
    const r = results[c.name]
    log(
      `${r.label.padEnd(22)}${r.mb.toFixed(2).padStart(7)}${fmt(r.engine).padStart(11)}${fmt(r.sha256).padStart(11)}` +
        `${(r.engine / r.sha256).toFixed(2).padStart(12)}${fmt(r.baseline).padStart(10)}${ratio(r.baseline, r.engine).padStart(9)}` +
        `${fmt(r.peer).padStart(12)}${ratio(r.peer, r.engine).padStart(9)}`,
    )
  }
  log(`peak RSS of the engine process: ${peakRss.toFixed(0)} MB (10 MB input → target ≤ ${(3 * results.scan10.mb + 100).toFixed(0)} MB)`)
  log(
    `whole process on a ${(fs.statSync(scan45).size / 1048576).toFixed(1)} MB scan (median of ${runs}, alternating): esign sign ${fmt(wholeEngine)} ms, ` +
      `usual approach ${fmt(wholeBaseline)} ms → ×${(wholeBaseline / wholeEngine).toFixed(2)} ` +
      `(without the compile cache: ${fmt(wholeNoCache)} ms, ×${(wholeBaseline / wholeNoCache).toFixed(2)}; node -e 0 alone: ${fmt(nodeStart)} ms)`,
  )
  const s10 = results.scan10
  const c3 = results.contract3
  const t200 = results.text200
  const check = (ok, what) => log(`${ok ? '✓' : '✗'} ${what}`)
  log('')
  check(s10.engine <= 2 * s10.sha256, `10 MB signature ≤ 2× the SHA-256 floor (${(s10.engine / s10.sha256).toFixed(2)}×)`)
  check(s10.baseline >= 20 * s10.engine, `10 MB ≥ 20× faster than the usual approach (${ratio(s10.baseline, s10.engine)}×)`)
  check(s10.peer >= 3 * s10.engine, `10 MB ≥ 3× faster than @libpdf/core (${(s10.peer / s10.engine).toFixed(2)}×)`)
  check(c3.engine <= 2, `3-page contract ≤ 2 ms (${fmt(c3.engine)} ms)`)
  check(t200.engine <= 10, `200-page text PDF ≤ 10 ms (${fmt(t200.engine)} ms)`)
  check(peakRss <= 3 * s10.mb + 100, `peak RSS ≤ 3× file size + 100 MB (${peakRss.toFixed(0)} MB)`)
  check(wholeBaseline >= 3 * wholeEngine, `whole esign sign process ≥ 3× faster than the usual approach's (${(wholeBaseline / wholeEngine).toFixed(2)}×)`)
  fs.rmSync(dir, { recursive: true, force: true })
  if (json) {
    const r = results.scan10
    log(JSON.stringify({
      file_mb: Number(r.mb.toFixed(2)),
      engine_ms: Number(r.engine.toFixed(2)),
      sha256_ms: Number(r.sha256.toFixed(2)),
      baseline_ms: Number(r.baseline.toFixed(1)),
      peer_ms: Number(r.peer.toFixed(1)),
      peak_rss_mb: Number(peakRss.toFixed(0)),
    }))
  }
}

const mode = argv[0]
const job =
  mode === '--child-gen' ? childGenerate(argv[1])
  : mode === '--child-baseline' ? childBaseline(argv[1], argv[2], Number(argv[3]))
  : mode === '--child-peer' ? childPeer(argv[1], argv[2], argv[3], Number(argv[4]))
  : mode === '--child-whole-baseline' ? childWholeBaseline(argv[1], argv[2], argv[3])
  : main()
job.catch((e) => {
  process.stderr.write(`bench-sign: ${e && e.stack ? e.stack : e}\n`)
  process.exit(1)
})
