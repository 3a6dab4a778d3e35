import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { InlineCpuWork } from '../../cloud-functions/adapters/cpu/inline-cpu-work'
import { PiscinaCpuWork } from '../../cloud-functions/adapters/cpu/piscina-cpu-work'
import { loadNotoSansSc } from '../../cloud-functions/adapters/local/noto-sans-sc-font'
import { HANDWRITING_LIMITS } from '../../cloud-functions/core/seals/handwriting'
import { loadSealFont } from '../../cloud-functions/runtime/services'
import { sampleStrokes } from '../support/seal-fixtures'
import { maxCmsSize } from '../../cloud-functions/core/signing/build-cms-signed-data'
import type { Signer } from '../../cloud-functions/ports/signer'
import { createPdfTestPki } from '../support/pdf-signing-ca'
import { pdfsig, tempDir } from '../support/pdf-tools'

/**
 * The worker-pool adapter against the inline one: the same task gives the same bytes on a worker
 * thread (the compiled build/ worker, as the server loads it), page images included; a task past its time is stopped
 * and answered UNAVAILABLE; a full queue is UNAVAILABLE instead of an ever longer wait, except for
 * the tasks that cannot answer "busy" (signing, preparing, LTV, PDF images), which wait for a slot.
 */
jest.setTimeout(120_000)

const WORKER = path.resolve(__dirname, '../../build/cloud-functions/adapters/cpu/cpu-worker.js')
const inline = new InlineCpuWork({ sealFont: loadSealFont, textFont: loadNotoSansSc })
const pools: PiscinaCpuWork[] = []
const pool = (options: Partial<ConstructorParameters<typeof PiscinaCpuWork>[0]> = {}) => {
  if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} is missing: npm run build:server (npm test builds it)`)
  const p = new PiscinaCpuWork({ workerFile: WORKER, threads: 1, maxQueue: 4, ...options })
  pools.push(p)
  return p
}
afterAll(async () => Promise.all([...pools.map((p) => p.close()), inline.close()]))

const L = HANDWRITING_LIMITS
const maximal = {
  width: L.maxSide,
  height: L.maxArea / L.maxSide,
  strokes: Array.from({ length: 3 }, (_, k) => Array.from({ length: L.maxPointsPerStroke }, (_, i) => ({ x: (i / (L.maxPointsPerStroke - 1)) * (L.maxSide - 1), y: 200 + k * 200 + (i % 2 ? 6 : -6), t: i * 16 }))),
}

it('handwriting and a seal drawn on a worker are byte-identical to the inline result', async () => {
  const workers = pool()
  const input = { width: 320, height: 200, strokes: sampleStrokes() }
  expect(await workers.handwritingPng(input, 10, true)).toEqual(await inline.handwritingPng(input, 10, true))
  const spec = { kind: 'personal-square' as const, name: '张三' }
  expect(await workers.sealPng(spec, 8)).toEqual(await inline.sealPng(spec, 8))
})

it('a page image rendered on a worker (PDFium loaded once per thread) is byte-identical to the inline one; its refusals pass through', async () => {
  const workers = pool()
  const pdf = fs.readFileSync(path.resolve(__dirname, '../fixtures/pdf/labor-libreoffice.pdf'))
  const onWorker = await workers.renderPage(pdf, 0, 400)
  expect(onWorker).toMatchObject({ ok: true, value: { width: 400, height: 566, pageCount: 2 } })
  expect(onWorker).toEqual(await inline.renderPage(pdf, 0, 400))
  expect(await workers.renderPage(pdf, 1, 300)).toEqual(await inline.renderPage(pdf, 1, 300)) // the thread's PDFium again
  expect(await workers.renderPage(pdf, 2, 400)).toMatchObject({ ok: false, error: { code: 'PAGE_OUT_OF_RANGE' } })
  expect(await workers.renderPage(new Uint8Array([1, 2, 3]), 0, 400)).toMatchObject({ ok: false, error: { code: 'NOT_A_PDF' } })
})

const small = { width: 320, height: 200, strokes: [[{ x: 10, y: 10 }, { x: 100, y: 100 }]] }

it('a task past its time is stopped and answered UNAVAILABLE; the pool keeps working', async () => {
  const workers = pool({ taskTimeoutMs: 1000 })
  expect((await workers.handwritingPng(small, 10, true)).ok).toBe(true)
  const late = await workers.handwritingPng(maximal, 10, true)
  expect(late).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
  expect((await workers.handwritingPng(small, 10, true)).ok).toBe(true)
})

it('a full queue answers UNAVAILABLE at once instead of queueing without end', async () => {
  const workers = pool({ maxQueue: 1 })
  expect((await workers.handwritingPng(small, 10, true)).ok).toBe(true) // a started thread
  const results = await Promise.all(Array.from({ length: 4 }, () => workers.handwritingPng(maximal, 10, true)))
  const codes = results.map((r) => (r.ok ? 'ok' : r.error.code))
  expect(codes.filter((c) => c === 'ok').length).toBeGreaterThanOrEqual(1)
  expect(codes).toContain('UNAVAILABLE')
})

it('past a full queue, a task whose caller cannot be answered "busy" (here a seal image made ready for PDF pages) waits for a slot and completes', async () => {
  const workers = pool({ maxQueue: 1 })
  const png = (await inline.sealPng({ kind: 'personal-square', name: '张三' }, 8)) as { ok: true; value: { png: Uint8Array } }
  const expected = await inline.pdfImage(png.value.png)
  // Eight at once on one thread with a queue of one: before, six of them threw "the CPU worker pool is full".
  const results = await Promise.all(Array.from({ length: 8 }, () => workers.pdfImage(png.value.png)))
  for (const r of results) expect(Buffer.from(r).equals(Buffer.from(expected))).toBe(true)
})

describe('the asset folder (ESIGN_ASSET_DIR, the Lambda layer)', () => {
  const FILES: Array<[string, string]> = [
    ['@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf', 'fonts/NotoSansSC_400Regular.ttf'],
    ['@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf', 'fonts/NotoSansSC_700Bold.ttf'],
    ['@hyzyla/pdfium/dist/pdfium.wasm', 'pdfium.wasm'],
  ]
  /** An asset folder laid out as scripts/build-asset-layer.js lays out the layer; `cut` keeps only that many bytes of each file. */
  const assetFolder = (cut?: number): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-assets-'))
    for (const [from, to] of FILES) {
      fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true })
      const bytes = fs.readFileSync(require.resolve(from))
      fs.writeFileSync(path.join(dir, to), cut === undefined ? bytes : bytes.subarray(0, cut))
    }
    return dir
  }
  const pdf = fs.readFileSync(path.resolve(__dirname, '../fixtures/pdf/labor-libreoffice.pdf'))
  const spec = { kind: 'personal-square' as const, name: '张三' }

  it('worker threads read the fonts and PDFium from the asset folder: a full copy gives the inline bytes', async () => {
    const workers = pool({ assetDir: assetFolder() })
    expect(await workers.sealPng(spec, 8)).toEqual(await inline.sealPng(spec, 8))
    expect(await workers.renderPage(pdf, 0, 300)).toEqual(await inline.renderPage(pdf, 0, 300))
  })

  it('worker threads do not fall back to node_modules: truncated files in the asset folder make the tasks fail', async () => {
    const workers = pool({ assetDir: assetFolder(4096) })
    await expect(workers.sealPng(spec, 8)).rejects.toThrow()
    await expect(workers.renderPage(pdf, 0, 300)).rejects.toThrow()
  })
})

describe('signing on a worker: the key answers on the main thread', () => {
  it.each([
    ['a key held in this process signs the bytes in one step (signData), time-stamped in the same round trip', 'data', true],
    ['a digest-only key (KMS) signs the digest', 'digest', true],
    ['without a TSA, signData alone', 'data', false],
  ] as const)('%s; pdfsig finds the signature valid', async (_label, kind, withTsa) => {
    const pki = await createPdfTestPki()
    const workers = pool()
    const pdf = new Uint8Array(fs.readFileSync(path.resolve(__dirname, '../fixtures/pdf/labor-libreoffice.pdf')))
    const dir = tempDir()
    try {
      const { signer: inner } = await pki.issue(`签署人${kind}`)
      const calls = { sign: 0, signData: 0, timestamp: 0 }
      const counting: Signer = {
        keyAlgorithm: inner.keyAlgorithm,
        certificateChain: () => inner.certificateChain(),
        sign: (digest) => (calls.sign++, inner.sign(digest)),
        ...(kind === 'data' ? { signData: (data: Uint8Array) => (calls.signData++, inner.signData!(data)) } : {}),
      }
      const tsa = { timestamp: (data: Uint8Array) => (calls.timestamp++, pki.tsa.timestamp(data)) }
      const contentsSize = maxCmsSize(await counting.certificateChain(), withTsa, pki.tsaCertificatesSize)
      const signed = await workers.signPdf(pdf, { contentsSize, signingTime: new Date(), signerName: `签署人${kind}` }, { signer: counting, ...(withTsa ? { tsa } : {}) })
      if (!signed.ok) throw new Error(signed.error.message)
      expect(calls).toEqual({ sign: kind === 'digest' ? 1 : 0, signData: kind === 'data' ? 1 : 0, timestamp: withTsa ? 1 : 0 })
      const file = path.join(dir, 'signed.pdf')
      fs.writeFileSync(file, signed.value)
      const { signatures, stdout } = pdfsig(file)
      expect(signatures.map((s) => [s.valid, s.totalDocumentSigned])).toEqual([[true, true]])
      expect(stdout).toContain('Signature Validation: Signature is Valid.')
      // The signature time-stamp attribute (id-aa-signatureTimeStampToken, DER 06 0B 2A864886F70D010910020E) is in /Contents exactly when a TSA was given.
      expect(Buffer.from(signed.value).toString('latin1').toLowerCase().includes('060b2a864886f70d010910020e')).toBe(withTsa)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

it('its threads run the given nice steps below the event loop (Linux keeps one nice value per thread); the event loop keeps its own', async () => {
  const base = os.getPriority()
  const niceOfThreads = () =>
    fs.readdirSync('/proc/self/task').map((tid) => {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      return { tid: Number(tid), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) }
    })
  const before = new Set(niceOfThreads().map((t) => t.tid))
  const workers = pool({ threads: 2, niceness: 7 })
  // Two tasks at once: both threads start.
  await Promise.all([workers.handwritingPng(small, 4, false), workers.handwritingPng(small, 4, false)])
  const started = niceOfThreads().filter((t) => !before.has(t.tid) && t.nice !== base)
  expect(started.length).toBeGreaterThanOrEqual(1)
  expect(started.map((t) => t.nice)).toEqual(started.map(() => Math.min(19, base + 7)))
  expect(niceOfThreads().find((t) => t.tid === process.pid)?.nice).toBe(base)
})
