'use strict'
/**
 * One worker process of the PDF fuzzer (scripts/bench-fuzz.js; forked with an IPC channel). Runs each
 * case through what the product does with an uploaded PDF, with the compiled core (build/) and the
 * same CPU-task code the server's worker pool runs (adapters/cpu/cpu-task.ts):
 *
 * 1. upload: `inspectPdfUpload`, then the structure check (`check-pdf`);
 * 2. if stored: the layout (`layout`, placing fields), page 1 rendered by PDFium (`render-page`),
 *    preparation at send (`prepare`: a signer's field, a date field, the verify stamp) and signing of
 *    the prepared file (`sign`, as sign-contract.ts calls it), then the signed file verified;
 * 3. always: verification of the mutated file (`verify`, what POST /api/verify and `esign verify` do).
 *
 * A typed result (ok or a `Result` error, or a `PdfFormatError` where the product maps it) is fine; any
 * other exception is a crash. `false_valid`: a signature reported intact whose signed bytes are not
 * bytes a signer signed (the seeds' signed ranges, hashed when the run starts).
 */
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { makeCase } = require('./pdf-fuzz-mutations')

let ctx

async function init({ buildDir, seedsFile }) {
  const B = (p) => require(path.join(buildDir, p))
  const { runCpuTask } = B('adapters/cpu/cpu-task')
  const { inspectPdfUpload } = B('core/documents/inspect-pdf-upload')
  const { PdfFormatError } = B('core/pdf/pdf-errors')
  const { DEFAULT_PAGE_RENDER_LIMITS, loadPdfium, renderPdfPage } = B('adapters/pdfium/pdfium-page-renderer')
  const { loadNotoSansSc } = B('adapters/local/noto-sans-sc-font')
  const { maxCmsSize } = B('core/signing/build-cms-signed-data')
  const { createCaHierarchy } = B('core/pki/create-ca-hierarchy')
  const { issueEventCertificate } = B('core/pki/issue-event-certificate')
  const { InProcessTsa } = B('adapters/local/in-process-tsa')
  const saved = JSON.parse(fs.readFileSync(seedsFile, 'utf8'))
  const seeds = saved.seeds.map((s) => ({ ...s, bytes: Buffer.from(s.bytes, 'base64') }))
  const now = new Date()
  const baseUrl = 'https://esign.fuzz.invalid'
  const ca = await createCaHierarchy({ now, baseUrl })
  const tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: { now: () => new Date() } })
  const { signer } = await issueEventCertificate({ name: '模糊测试', issuer: ca.issuing, baseUrl, now, singleUse: false })
  const contentsSize = maxCmsSize(await signer.certificateChain(), true)
  const pdfium = await loadPdfium()
  const font = loadNotoSansSc()
  const env = {
    sealFont: () => {
      throw new Error('not used')
    },
    textFont: () => font,
    renderPage: (request) => renderPdfPage(pdfium, request, DEFAULT_PAGE_RENDER_LIMITS),
  }
  ctx = {
    runCpuTask,
    inspectPdfUpload,
    PdfFormatError,
    env,
    seeds,
    signer,
    tsa,
    contentsSize,
    trustRoots: [Buffer.from(saved.rootDer, 'base64'), ca.root.certificateDer],
    signedHashes: new Set(saved.signedHashes),
  }
  // Warm up (lazy modules, the JIT, PDFium's first document) on an unmutated seed, so that the first case's time is its own.
  const warm = await runCase(-1, 0, seeds[0].bytes)
  if (warm.crash) throw new Error(`the unmutated seed ${seeds[0].name} crashes the ${warm.crash.stage} step: ${warm.crash.message}`)
}

const isResult = (r) => r !== null && typeof r === 'object' && typeof r.ok === 'boolean'

/** The SHA-256 of the bytes a byte range covers, or undefined when it does not fit the file. */
function coveredHash(bytes, br) {
  if (!Array.isArray(br) || br.length % 2) return undefined
  const h = crypto.createHash('sha256')
  for (let i = 0; i < br.length; i += 2) {
    const [at, len] = [br[i], br[i + 1]]
    if (!Number.isSafeInteger(at) || !Number.isSafeInteger(len) || at < 0 || len < 0 || at + len > bytes.length) return undefined
    h.update(bytes.subarray(at, at + len))
  }
  return h.digest('hex')
}

/** Signatures the report calls intact although the bytes they cover are not bytes anybody signed. */
function falseIntact(bytes, report, known) {
  const out = []
  for (const s of report.signatures) {
    if (!s.intact) continue
    const h = coveredHash(bytes, s.byteRange)
    if (!h || !known.has(h)) out.push({ field: s.field, byteRange: s.byteRange, valid: s.valid })
  }
  return out
}

async function runCase(index, seed, original) {
  const c = original ? { bytes: original, seedIndex: 0, mutations: [] } : makeCase(ctx.seeds, seed, index)
  const bytes = c.bytes
  const t0 = process.hrtime.bigint()
  const out = { index, seedIndex: c.seedIndex, mutations: c.mutations, stages: [], timing: {} }
  let stage = 'upload'
  const task = async (t) => {
    process.send({ type: 'step', op: t.op })
    const s0 = process.hrtime.bigint()
    const r = await ctx.runCpuTask(t, ctx.env)
    out.timing[t.op] = Math.round(Number(process.hrtime.bigint() - s0) / 1e6)
    return r
  }
  try {
    // 1. Upload.
    const u0 = process.hrtime.bigint()
    const facts = ctx.inspectPdfUpload(bytes)
    out.timing.inspect = Math.round(Number(process.hrtime.bigint() - u0) / 1e6)
    if (!isResult(facts)) throw new Error('inspectPdfUpload did not answer a Result')
    let stored = false
    if (facts.ok) {
      stage = 'check-pdf'
      const structure = await task({ op: 'check-pdf', bytes })
      if (!isResult(structure)) throw new Error('check-pdf did not answer a Result')
      stored = structure.ok
    }
    out.stages.push(stored ? 'stored' : 'refused')
    if (stored) {
      // 2. Placing fields, page images, send, sign.
      stage = 'layout'
      const layout = await task({ op: 'layout', bytes })
      if (!isResult(layout)) throw new Error('layout did not answer a Result')
      if (layout.ok) {
        stage = 'render'
        const image = await task({ op: 'render-page', bytes, pageIndex: 0, width: 300 })
        if (!isResult(image)) throw new Error('render-page did not answer a Result')
        out.stages.push(image.ok ? 'rendered' : `render:${image.error.code}`)
        const first = layout.value.pages[0]
        // sendContract's field checks want the fields on the page, clear of existing signatures.
        const placeable = first && first.width >= 120 && first.height >= 120 && !layout.value.signedAreas.some((a) => a.page === 0)
        if (placeable) {
          stage = 'prepare'
          const prepared = await task({
            op: 'prepare',
            bytes,
            options: {
              signers: [{ fieldName: 'signer-fuzz', page: 0, rect: [10, 10, 80, 40], ...(layout.value.pages.length > 1 ? { crossPageSeal: { width: 20, height: 40 } } : {}) }],
              fields: [{ name: 'field-date', type: 'date', page: 0, rect: [10, 60, 80, 20] }],
              stamp: { url: 'https://esign.fuzz.invalid/#/v?contract=x', label: '合同编号 fuzz' },
            },
          })
          if (!isResult(prepared)) throw new Error('prepare did not answer a Result')
          if (!prepared.ok) out.stages.push(`prepare:${prepared.error.code}`)
          else {
          stage = 'sign'
          const signed = await task({
            op: 'sign',
            pdf: prepared.value,
            request: {
              contentsSize: ctx.contentsSize,
              signingTime: new Date(),
              signerName: '模糊测试',
              reason: '签署《模糊测试》',
              fieldName: 'signer-fuzz',
              repairBrokenXref: false,
              appearance: { signerName: '模糊测试', dateText: '2026-12-04 10:00', fieldValues: { 'field-date': '2026-12-04' } },
            },
            keyAlgorithm: ctx.signer.keyAlgorithm,
            hasTsa: true,
            keys: { signer: ctx.signer, tsa: ctx.tsa },
          })
          if (!isResult(signed)) throw new Error('sign did not answer a Result')
          out.stages.push(signed.ok ? 'signed' : `sign:${signed.error.code}`)
          }
        }
      } else out.stages.push(`layout:${layout.error.code}`)
    }
    // 3. Verification of the file as uploaded.
    stage = 'verify'
    const report = await task({ op: 'verify', bytes, trustRoots: ctx.trustRoots, now: new Date() })
    if (!isResult(report)) throw new Error('verify did not answer a Result')
    if (report.ok) {
      out.verdict = report.value.verdict
      const wrong = falseIntact(bytes, report.value, ctx.signedHashes)
      if (wrong.length) out.falseValid = wrong
    } else out.verdict = report.error.code
  } catch (e) {
    // Layout, prepare and sign map PdfFormatError and PdfSyntaxError to NOT_A_PDF; an exception anywhere reaches the handler as a 500.
    out.crash = { stage, name: e && e.name, message: String((e && e.message) || e).slice(0, 300), stack: String((e && e.stack) || '').split('\n').slice(0, 6).join('\n') }
  }
  out.totalMs = Number(process.hrtime.bigint() - t0) / 1e6
  // Each step is its own request in the product (upload, layout, page image, send, sign, verify): the slowest one counts.
  out.ms = Math.max(0, ...Object.values(out.timing))
  return out
}

process.on('message', (msg) => {
  if (msg.type === 'init') {
    init(msg).then(
      () => process.send({ type: 'ready' }),
      (e) => process.send({ type: 'init-failed', message: String((e && e.stack) || e) }),
    )
  } else if (msg.type === 'case') {
    runCase(msg.index, msg.seed).then((r) => process.send({ type: 'result', result: r }))
  }
})
