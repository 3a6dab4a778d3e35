#!/usr/bin/env node
'use strict'
/**
 * npm run bench:fuzz [-- --cases N] [-- --seed S] [-- --workers W] [-- --timeout MS] [-- --save DIR] [-- --only I,J] [-- --json]
 *
 * A seeded mutation fuzzer over the PDF corpus (issue 19, hostile PDFs). The seeds are the sample
 * PDFs of test/fixtures/pdf plus files signed by the engine when the run starts (a prepared contract
 * signed once and twice, an object-stream file signed once); each case applies 1–3 mutations
 * (scripts/pdf-fuzz-mutations.js: byte flips, truncation, inserted and deleted bytes, duplicated and
 * removed objects, wrong xref offsets, /Prev loops, changed /Length and /ByteRange, a changed byte
 * inside a signed range, nested arrays and dictionaries up to 100,000 deep, a huge /Count, page-tree
 * cycles, swapped references, names, numbers and filters, spliced seeds, bogus updates) and runs the
 * result through upload, layout, page rendering, preparation, signing and verification in a worker
 * process (scripts/pdf-fuzz-worker.js; the compiled build/).
 *
 * Counted per case: a crash (an exception that is not a typed error, or the worker dying), a hang
 * (no answer within --timeout ms, default 2000: the worker is killed; the case is tried once more in
 * a fresh worker, so one scheduling stall on a shared machine is not counted), a false_valid (a
 * signature reported intact whose signed bytes differ from what was signed) and the slowest case.
 * 10,000 cases by default; with --json the last line is {"cases","crashes","hangs","false_valid","max_ms"}.
 * The same --seed replays the same mutations (the engine-signed seeds carry fresh signatures each run,
 * so their bytes differ in the signature values); --only replays single cases, --save writes every
 * failing case's bytes to DIR.
 */
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { fork } = require('node:child_process')

const root = path.join(__dirname, '..')
const BUILD = path.join(root, 'build', 'cloud-functions')
const FIXTURES = path.join(root, 'test', 'fixtures', 'pdf')
const WORKER = path.join(__dirname, 'pdf-fuzz-worker.js')

function ensureBuild() {
  try {
    require('./ensure-deps').ensureServerBuild()
  } catch {
    /* type errors elsewhere do not stop tsc from emitting */
  }
  if (!fs.existsSync(path.join(BUILD, 'adapters/cpu/cpu-task.js'))) throw new Error('build/ lacks the server: run "npm run build:server"')
}

/**
 * The seeds: every fixture PDF, and files signed by the engine (prepared as at send, then signed as
 * sign-contract.ts signs). Their signed ranges are hashed with the verifier's own byte ranges, which
 * are checked against the ranges the signer wrote.
 */
async function buildSeeds() {
  const B = (p) => require(path.join(BUILD, p))
  const { prepareDocument } = B('core/signing/prepare-document')
  const { signPdf } = B('core/signing/sign-pdf')
  const { maxCmsSize } = B('core/signing/build-cms-signed-data')
  const { createSignatureAppearance } = B('core/signing/signature-appearance')
  const { createCaHierarchy } = B('core/pki/create-ca-hierarchy')
  const { issueEventCertificate } = B('core/pki/issue-event-certificate')
  const { InProcessTsa } = B('adapters/local/in-process-tsa')
  const { loadNotoSansSc } = B('adapters/local/noto-sans-sc-font')
  const { verifyPdf } = B('core/verification/verify-pdf')
  const now = new Date()
  const baseUrl = 'https://esign.fuzz.invalid'
  const ca = await createCaHierarchy({ now, baseUrl })
  const tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: { now: () => new Date() } })
  const font = loadNotoSansSc()
  const sign = async (pdf, fieldName, name) => {
    const { signer } = await issueEventCertificate({ name, issuer: ca.issuing, baseUrl, now })
    const sealed = await signPdf(pdf, {
      signer,
      tsa,
      contentsSize: maxCmsSize(await signer.certificateChain(), true),
      signingTime: new Date(),
      signerName: name,
      fieldName,
      repairBrokenXref: false,
      appearance: createSignatureAppearance({ signerName: name, dateText: '2026-12-04 10:00', font }),
    })
    return Buffer.from(sealed.toBytes())
  }
  const fixtures = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(FIXTURES, f)) }))
  const labor = fixtures.find((f) => f.name === 'labor-libreoffice.pdf').bytes
  const objstm = fixtures.find((f) => f.name === 'po-objstm.pdf').bytes
  const twoSigners = {
    signers: [
      { fieldName: '甲方', page: 0, rect: [60, 60, 150, 90] },
      { fieldName: '乙方', page: 0, rect: [300, 60, 150, 90], crossPageSeal: { width: 40, height: 80 } },
    ],
    fields: [{ name: '日期', type: 'date', page: 0, rect: [60, 170, 120, 20] }],
    stamp: { url: `${baseUrl}/#/v?contract=fuzz`, label: '合同编号 fuzz' },
  }
  const prepared = Buffer.from((await prepareDocument(labor, twoSigners, font)).bytes)
  const once = await sign(prepared, '甲方', '张三')
  const twice = await sign(once, '乙方', '李四')
  const objOnce = await sign(Buffer.from((await prepareDocument(objstm, { signers: [{ fieldName: 'signer-1', page: 'last', rect: [60, 60, 150, 90] }] }, font)).bytes), 'signer-1', '王五')
  const seeds = [...fixtures, { name: 'labor-signed-once.pdf', bytes: once, engine: true }, { name: 'labor-signed-twice.pdf', bytes: twice, engine: true }, { name: 'po-objstm-signed.pdf', bytes: objOnce, engine: true }]
  const signedHashes = new Set()
  for (const s of seeds) {
    const r = await verifyPdf(s.bytes, { trustRoots: [ca.root.certificateDer], now: new Date() })
    if (!r.ok) throw new Error(`seed ${s.name} does not verify: ${r.error.message}`)
    s.byteRanges = []
    for (const sig of r.value.signatures) {
      if (!sig.intact || !sig.byteRange) continue
      s.byteRanges.push(sig.byteRange)
      const h = crypto.createHash('sha256')
      for (let i = 0; i < sig.byteRange.length; i += 2) h.update(s.bytes.subarray(sig.byteRange[i], sig.byteRange[i] + sig.byteRange[i + 1]))
      signedHashes.add(h.digest('hex'))
    }
    if (s.engine && r.value.verdict !== 'valid') throw new Error(`seed ${s.name}: the engine's own signature is ${r.value.verdict}`)
  }
  return { seeds, signedHashes: [...signedHashes], rootDer: Buffer.from(ca.root.certificateDer).toString('base64') }
}

/** A worker process; `run(index)` resolves with the case's result, or { timeout } / { death }. */
function startWorker(seedsFile, timeoutMs) {
  const child = fork(WORKER, [], { execArgv: ['--max-old-space-size=1024'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)))
  let pending
  let exited = false
  child.on('message', (m) => {
    if (pending && m.type === 'step') {
      // Each step (one request in the product) has its own time limit.
      clearTimeout(pending.timer)
      pending.timer = setTimeout(pending.expire, pending.ms)
      pending.step = m.op
      return
    }
    if (pending && (m.type === 'ready' || m.type === 'result' || m.type === 'init-failed')) {
      const p = pending
      pending = undefined
      clearTimeout(p.timer)
      p.resolve(m)
    }
  })
  child.on('error', () => undefined) // a send to a worker that just died: its 'exit' answers the case
  child.on('exit', (code, signal) => {
    exited = true
    if (pending) {
      const p = pending
      pending = undefined
      clearTimeout(p.timer)
      p.resolve({ type: 'death', code, signal, stderr })
    }
  })
  const ask = (msg, ms) =>
    new Promise((resolve) => {
      if (exited) return resolve({ type: 'death', code: child.exitCode, signal: child.signalCode, stderr })
      const expire = () => {
        if (!pending) return
        const step = pending.step
        pending = undefined
        exited = true
        child.kill('SIGKILL')
        resolve({ type: 'timeout', step })
      }
      pending = { resolve, ms, expire, timer: setTimeout(expire, ms) }
      child.send(msg)
    })
  return {
    ready: ask({ type: 'init', buildDir: BUILD, seedsFile }, 120_000).then((m) => {
      if (m.type !== 'ready') throw new Error(`a fuzz worker did not start: ${m.message || m.stderr || m.type}`)
    }),
    run: (index, seed) => ask({ type: 'case', index, seed }, timeoutMs),
    get dead() {
      return exited
    },
    kill: () => {
      exited = true
      child.kill('SIGKILL')
    },
  }
}

/**
 * Run `cases` fuzz cases (or the `only` case numbers) over `workers` worker processes. Resolves with
 * the counts and every failing case.
 */
async function runFuzz({ cases = 10_000, seed = 1, workers = Math.min(2, os.cpus().length), timeoutMs = 2000, only, save, onProgress } = {}) {
  ensureBuild()
  const corpus = await buildSeeds()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-fuzz-'))
  const seedsFile = path.join(dir, 'seeds.json')
  fs.writeFileSync(seedsFile, JSON.stringify({ ...corpus, seeds: corpus.seeds.map((s) => ({ name: s.name, byteRanges: s.byteRanges, bytes: s.bytes.toString('base64') })) }))
  const indexes = only ?? Array.from({ length: cases }, (_, i) => i)
  const summary = { cases: 0, crashes: 0, hangs: 0, false_valid: 0, max_ms: 0 }
  const failures = []
  const outcomes = {}
  const slowest = { ms: 0 }
  let next = 0
  const record = (r) => {
    const { makeCase } = require('./pdf-fuzz-mutations')
    const c = makeCase(corpus.seeds, seed, r.index)
    const failure = { index: r.index, seed: corpus.seeds[c.seedIndex].name, mutations: c.mutations, ...r }
    failures.push(failure)
    if (save) {
      fs.mkdirSync(save, { recursive: true })
      fs.writeFileSync(path.join(save, `case-${seed}-${r.index}.pdf`), c.bytes)
    }
  }
  const lane = async () => {
    let w = startWorker(seedsFile, timeoutMs)
    await w.ready
    try {
      while (next < indexes.length) {
        const index = indexes[next++]
        let m = await w.run(index, seed)
        if (m.type === 'timeout') {
          // Once more in a fresh worker: a hang repeats, a stall of the shared machine does not.
          w.kill()
          w = startWorker(seedsFile, timeoutMs)
          await w.ready
          m = await w.run(index, seed)
        }
        summary.cases++
        if (m.type === 'timeout') {
          summary.hangs++
          record({ index, hang: true, step: m.step })
        } else if (m.type === 'death') {
          summary.crashes++
          record({ index, crash: { stage: 'worker', message: `the worker died (${m.signal || m.code}): ${String(m.stderr).slice(-500)}` } })
        } else {
          const r = m.result
          summary.max_ms = Math.max(summary.max_ms, Math.round(r.ms))
          if (r.ms > slowest.ms) Object.assign(slowest, { ms: r.ms, index, mutations: r.mutations, seed: corpus.seeds[r.seedIndex].name, timing: r.timing })
          const key = `${r.stages.join(' ')} → ${r.verdict ?? (r.crash ? 'crash' : '?')}`
          outcomes[key] = (outcomes[key] ?? 0) + 1
          if (r.crash) summary.crashes++
          if (r.falseValid) summary.false_valid++
          if (r.crash || r.falseValid) record(r)
        }
        if (w.dead) {
          w = startWorker(seedsFile, timeoutMs)
          await w.ready
        }
        onProgress?.(summary)
      }
    } finally {
      w.kill()
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, workers) }, lane))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return { summary, failures, outcomes, slowest, seeds: corpus.seeds.map((s) => s.name) }
}

async function main() {
  const argv = process.argv.slice(2)
  const opt = (name) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const json = argv.includes('--json')
  const options = {
    cases: Number(opt('--cases') ?? 10_000),
    seed: Number(opt('--seed') ?? 1),
    workers: Number(opt('--workers') ?? Math.min(2, os.cpus().length)),
    timeoutMs: Number(opt('--timeout') ?? 2000),
    save: opt('--save'),
    only: opt('--only')?.split(',').map(Number),
  }
  const log = (s) => process.stdout.write(s + '\n')
  const t0 = Date.now()
  let shown = 0
  const result = await runFuzz({
    ...options,
    onProgress: (s) => {
      if (!json && s.cases - shown >= 500) {
        shown = s.cases
        process.stderr.write(`  ${s.cases} cases, ${s.crashes} crashes, ${s.hangs} hangs, ${s.false_valid} false valid, slowest ${s.max_ms} ms\n`)
      }
    },
  })
  const { summary, failures, outcomes, slowest } = result
  log(`» PDF fuzz: seed ${options.seed}, ${summary.cases} cases over ${options.workers} workers in ${((Date.now() - t0) / 1000).toFixed(1)} s; seeds: ${result.seeds.join(', ')}`)
  for (const [k, n] of Object.entries(outcomes).sort((a, b) => b[1] - a[1])) log(`  ${String(n).padStart(6)}  ${k}`)
  log(`  slowest case: #${slowest.index} (${slowest.seed}, ${(slowest.mutations || []).join('+')}) ${Math.round(slowest.ms)} ms ${JSON.stringify(slowest.timing)}`)
  for (const f of failures.slice(0, 50)) {
    const what = f.hang ? `HANG in ${f.step}` : f.crash ? `CRASH in ${f.crash.stage}: ${f.crash.message}` : `FALSE VALID: ${JSON.stringify(f.falseValid)}`
    log(`  ✗ case ${f.index} (${f.seed}, ${f.mutations.join('+')}): ${what}`)
    if (f.crash?.stack) log(f.crash.stack.replace(/^/gm, '      '))
  }
  log(`  crashes ${summary.crashes}, hangs ${summary.hangs}, false valid ${summary.false_valid}, slowest ${summary.max_ms} ms`)
  if (json) log(JSON.stringify(summary))
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e.stack || e}\n`)
    process.exit(1)
  })
}

module.exports = { runFuzz }
