#!/usr/bin/env node
'use strict'
/**
 * npm run judge:pyhanko [-- --judge PATH] [--keep] [--only TEXT] [--flow]
 *
 * pyHanko as an independent judge of the signing engine (issue 11). Not part of `npm test` (a clone
 * outside the team has no ../shared): run it by hand before every stop that touches the incremental
 * writer or the verifier, and put its table in the closing note.
 *
 * For every PDF in test/fixtures/pdf, plus documents made here by LibreOffice (a Chinese contract, a
 * 201-page contract, a PDF form) and Chromium: `esign sign` as 张三, `esign sign` again as 李四 of a
 * company with the company seal (`esign seal`) and a 骑缝章 (--cross-page-seal), `esign ltv`, then the
 * judge with `esign ca root` as the only trust root. Also a prepared document (send-time fields) with a
 * certification signature (DocMDP P=2) whose fields are filled and signed, then `esign ltv`.
 *
 * Passes when every one of our signatures is intact, valid and trusted with `bottom_line: true` and a
 * modification level of FORM_FILLING or better, the document time-stamp is intact, valid and trusted,
 * and a signature made by another tool (po-presigned.pdf) stays intact and valid with no disallowed
 * change. `esign verify --json` must agree on every file (intact, valid, no disallowed change).
 * Known limitation of pyHanko 0.20.1 (judges/README.md): it throws IndirectObjectExpected on
 * LibreOffice's form once it has a second signature; that row says so and does not fail the run.
 *
 * Then completed contracts of each shape made through the HTTP flow of the local server (issue 14,
 * scripts/contract-flow-shapes.js): two persons in sequence, a company (with a 骑缝章 field) and a
 * person in parallel, mixed groups (A, then B and C, then D) — every signature (each earlier one
 * included) intact, valid, trusted, `bottom_line: true`, FORM_FILLING or better, and the completion
 * document time-stamp; esign verify must agree.
 *
 * --keep leaves the files in the temp folder; --only TEXT judges only the inputs whose name contains
 * TEXT ("HTTP flow" for the contract shapes); --flow judges only the HTTP-flow contracts.
 * Judge: --judge PATH, else $PYHANKO_VALIDATE, else ../shared/judges/pyhanko-validate (beside the
 * checkout). Its Python dependencies: see that folder's README (one apt-get line).
 * Uses the compiled server (build/, compiled here when stale) and the CLI as `node bin/esign.js`.
 * Exit 0 all passed; 1 any failure; 2 the judge or a tool is missing.
 */
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { root, ensureServerBuild } = require('./ensure-deps')
const { makeContractShapes } = require('./contract-flow-shapes')

const argv = process.argv.slice(2)
const opt = (name) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
const judge = path.resolve(opt('--judge') || process.env.PYHANKO_VALIDATE || path.join(root, '..', 'shared', 'judges', 'pyhanko-validate'))
const keep = argv.includes('--keep')
/** Only the contracts made through the HTTP flow (no LibreOffice / Chromium inputs). */
const flowOnly = argv.includes('--flow')
const FIXTURES = path.join(root, 'test', 'fixtures', 'pdf')
const CLI = path.join(root, 'bin', 'esign.js')
const BUILD = path.join(root, 'build', 'cloud-functions')
const OK_LEVELS = new Set(['NONE', 'LTA_UPDATES', 'FORM_FILLING'])

if (!fs.existsSync(judge)) {
  process.stderr.write(`judge:pyhanko: no judge at ${judge} (give --judge PATH or set PYHANKO_VALIDATE)\n`)
  process.exit(2)
}
for (const tool of ['soffice', 'chromium']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    process.stderr.write(`judge:pyhanko: ${tool} is missing (scripts/ensure-system-deps.sh installs it)\n`)
    process.exit(2)
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-pyhanko-'))
const dataDir = path.join(work, 'esign-data')
const env = { ...process.env, ESIGN_DATA_DIR: dataDir }

function sh(cmd, args, o = {}) {
  const r = spawnSync(cmd, args, { cwd: work, env: o.env ?? env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: o.timeout ?? 600_000 })
  if (r.status !== 0 && !o.allowFail) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stderr}${r.stdout}`)
  return r
}
const esign = (...args) => sh(process.execPath, [CLI, ...args])

/** A LibreOffice-made contract of `pages` A4 pages (HTML import; page breaks between pages). */
function longContractHtml(pages) {
  const page = (i) =>
    `<h2>第 ${i} 页 — 设备维护服务合同</h2>` +
    '<p>甲方与乙方经友好协商，就设备维护服务事宜达成如下条款，双方共同遵守。'.repeat(6) +
    '</p>'
  const body = Array.from({ length: pages }, (_, i) => page(i + 1)).join('<p style="page-break-before: always"></p>')
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>维护合同</title></head><body>${body}</body></html>`
}

function libreOffice(inputs, o = {}) {
  const filter = o.formFields ? 'pdf:writer_pdf_Export:{"ExportFormFields":{"type":"boolean","value":"true"}}' : 'pdf:writer_pdf_Export'
  const profile = 'file://' + path.join(work, 'lo-profile')
  sh('soffice', ['--headless', '--norestore', `-env:UserInstallation=${profile}`, ...(o.html ? ['--infilter=HTML (StarWriter)'] : []), '--convert-to', filter, '--outdir', work, ...inputs])
  return inputs.map((f) => path.join(work, path.basename(f).replace(/\.[^.]+$/, '.pdf')))
}

/** One JSON object per signature / document time-stamp, as the judge prints them. */
function runJudge(file, rootPem) {
  const r = sh(judge, [file, rootPem], { allowFail: true, timeout: 900_000 })
  if (r.status !== 0) return { lines: [], error: `judge exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}` }
  const lines = r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l))
  return { lines, error: undefined }
}

/**
 * Our own verifier on the same file (`esign verify --json`): every signature intact and valid, and
 * no disallowed change after any of them. Returns a problem or undefined.
 */
function ownVerdict(file, rootPem) {
  const r = sh(process.execPath, [CLI, 'verify', file, '--json', '--trust', rootPem], { allowFail: true })
  let report
  try {
    report = JSON.parse(r.stdout)
  } catch {
    return `esign verify printed no report (exit ${r.status})`
  }
  const bad = report.signatures.filter((s) => !s.intact || !s.valid || s.modification === 'disallowed')
  return bad.length ? `esign verify: ${bad.map((s) => `${s.field} ${s.intact && s.valid ? 'modified (disallowed)' : 'not intact/valid'}`).join(', ')}` : undefined
}

/**
 * Judges one finished file. `foreign`: field names signed before we touched the file (another tool).
 * Returns table rows and whether everything holds.
 */
function verdict(name, lines, o) {
  const rows = []
  let pass = true
  const fail = (why) => {
    pass = false
    return why
  }
  const ours = lines.filter((l) => l.type === 'signature' && !o.foreign.has(l.field))
  const dts = lines.filter((l) => l.type === 'doc_timestamp')
  for (const l of lines) {
    const problems = []
    const foreign = o.foreign.has(l.field)
    if (l.error) problems.push(fail(`error: ${l.error}`))
    if (!l.intact) problems.push(fail('not intact'))
    if (!l.valid) problems.push(fail('not valid'))
    if (!foreign && !l.trusted) problems.push(fail('not trusted'))
    if (!foreign && !l.bottom_line) problems.push(fail('bottom_line false'))
    if (l.type === 'signature' && !OK_LEVELS.has(l.modification_level)) problems.push(fail(`modification ${l.modification_level}`))
    if (l.diff_problem) problems.push(fail(`diff: ${l.diff_problem}`))
    rows.push({
      file: name,
      field: l.field,
      type: foreign ? 'signature (other tool)' : l.type,
      checks: `${l.intact ? 'intact' : 'BROKEN'} ${l.valid ? 'valid' : 'INVALID'} ${l.trusted ? 'trusted' : 'untrusted'}`,
      coverage: l.coverage,
      modification: l.modification_level ?? '-',
      bottom_line: String(l.bottom_line),
      result: problems.length ? `FAIL (${problems.join('; ')})` : 'ok',
    })
  }
  const want = o.expectSignatures
  if (ours.length !== want) rows.push({ file: name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: fail(`FAIL (${ours.length} of our signatures judged, expected ${want})`) })
  if (dts.length !== 1) rows.push({ file: name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: fail(`FAIL (${dts.length} document time-stamps, expected 1)`) })
  return { rows, pass }
}

/**
 * A prepared document (send-time fields for two signers, a text and a date field; with `checkbox` also a checkbox),
 * certified by the platform (DocMDP P=2, invisible), then each signer fills values and signs their
 * field (the second with the company seal; with `crossPageSeal` its field was prepared with 骑缝章
 * strip widgets), then `esign ltv`. Returns the final file.
 */
async function certifiedPrepared(input, seal, o) {
  const [{ prepareDocument }, { loadOrCreateLocalCa }, { maxCmsSize }, { signPdf }, { createSignatureAppearance }, { loadNotoSansSc }] = [
    require(path.join(BUILD, 'core/signing/prepare-document')),
    require(path.join(BUILD, 'adapters/local/local-ca-store')),
    require(path.join(BUILD, 'core/signing/build-cms-signed-data')),
    require(path.join(BUILD, 'core/signing/sign-pdf')),
    require(path.join(BUILD, 'core/signing/signature-appearance')),
    require(path.join(BUILD, 'adapters/local/noto-sans-sc-font')),
  ]
  const clock = { now: () => new Date() }
  const ca = await loadOrCreateLocalCa(dataDir, clock)
  const font = loadNotoSansSc()
  const sign = async (pdf, name, o) => {
    const { signer } = await ca.issueEventCertificate({ name, org: o.org })
    const contentsSize = maxCmsSize(await signer.certificateChain(), true, ca.tsaCertificatesSize)
    const sealed = await signPdf(pdf, { signer, tsa: ca.tsa, contentsSize, signingTime: clock.now(), signerName: name, ...o.sign })
    return Buffer.from(sealed.toBytes())
  }
  const { bytes: prepared } = await prepareDocument(fs.readFileSync(input), {
    signers: [
      { fieldName: '甲方签章', page: 'last', rect: [90, 200, 150, 90] },
      { fieldName: '乙方签章', page: 'last', rect: [330, 200, 150, 90], ...(o.crossPageSeal ? { crossPageSeal: { width: 100, height: 100 } } : {}) },
    ],
    fields: [
      { name: '乙方身份证号', type: 'text', page: 0, rect: [90, 100, 200, 20] },
      { name: '签署日期', type: 'date', page: 0, rect: [300, 100, 120, 20] },
      ...(o.checkbox ? [{ name: '同意条款', type: 'checkbox', page: 0, rect: [440, 100, 16, 16] }] : []),
    ],
  })
  const certified = await sign(Buffer.from(prepared), '签约平台', { sign: { fieldName: 'Platform', certify: { permissions: 2 } } })
  const stamp = (name, values, sealPng) => createSignatureAppearance({ signerName: name, dateText: '2026-12-04 10:00', font, seal: sealPng, fieldValues: values })
  const first = await sign(certified, '张三', { sign: { fieldName: '甲方签章', placement: { page: 'last' }, appearance: stamp('张三', { 签署日期: '2026-12-04', ...(o.checkbox ? { 同意条款: true } : {}) }) } })
  const second = await sign(first, '李四', {
    org: '北京某某科技有限公司',
    sign: { fieldName: '乙方签章', placement: { page: 'last' }, appearance: stamp('李四', { 乙方身份证号: '110101********1234' }, seal) },
  })
  const tag = `prepared-certified${o.crossPageSeal ? '-strips' : ''}${o.checkbox ? '-checkbox' : ''}`
  const signedFile = path.join(work, `${tag}-2.pdf`)
  fs.writeFileSync(signedFile, second)
  const out = path.join(work, `${tag}-ltv.pdf`)
  esign('ltv', signedFile, '-o', out)
  return out
}

async function main() {
  process.stderr.write('» compiling the server if needed…\n')
  ensureServerBuild()
  process.stderr.write(`» working in ${work}\n`)
  esign('ca', 'init')
  const rootPem = path.join(work, 'root.pem')
  fs.writeFileSync(rootPem, esign('ca', 'root').stdout)
  const sealFile = path.join(work, 'company-seal.png')
  esign('seal', '-o', sealFile, '--kind', 'round', '--name', '北京某某科技有限公司', '--type', '合同专用章')

  const rows = []
  let allPass = true
  const only = opt('--only')
  if (!flowOnly) {
    process.stderr.write('» making LibreOffice and Chromium documents…\n')
    const longHtml = path.join(work, 'contract-201-pages.html')
    fs.writeFileSync(longHtml, longContractHtml(201))
    const [loContract] = libreOffice([path.join(FIXTURES, 'contract-zh.fodt')])
    const [loLong] = libreOffice([longHtml], { html: true })
    const formCopy = path.join(work, 'lo-form.fodt')
    fs.copyFileSync(path.join(FIXTURES, 'contract-form.fodt'), formCopy)
    const [loForm] = libreOffice([formCopy], { formFields: true })
    const chrome = path.join(work, 'service-contract-chromium.pdf')
    sh('chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${path.join(work, 'chromium-profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${chrome}`, 'file://' + path.join(FIXTURES, 'service-contract.html'),
    ])

    const allInputs = [
      ...fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pdf')).sort().map((f) => ({ name: f, file: path.join(FIXTURES, f) })),
      { name: 'LibreOffice contract-zh', file: loContract },
      { name: 'LibreOffice 201 pages', file: loLong },
      { name: 'Chromium service-contract', file: chrome },
      { name: 'LibreOffice form (lo-form)', file: loForm, knownCrash: true },
    ]
    const inputs = allInputs.filter((i) => !opt('--only') || i.name.includes(opt('--only')))

    for (const input of inputs) {
      process.stderr.write(`» ${input.name}: sign, sign with seal + 骑缝章, ltv, judge\n`)
      const base = path.join(work, input.name.replace(/[^\w.-]+/g, '_').replace(/\.pdf$/, ''))
      const foreign = new Set(runJudge(input.file, rootPem).lines.map((l) => l.field))
      try {
        esign('sign', input.file, '-o', `${base}-1.pdf`, '--signer', '张三')
        esign('sign', `${base}-1.pdf`, '-o', `${base}-2.pdf`, '--signer', '李四', '--org', '北京某某科技有限公司', '--seal', sealFile, '--cross-page-seal')
        esign('ltv', `${base}-2.pdf`, '-o', `${base}-ltv.pdf`)
      } catch (e) {
        allPass = false
        rows.push({ file: input.name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: `FAIL (${e.message.split('\n')[0]})` })
        continue
      }
      const { lines, error } = runJudge(`${base}-ltv.pdf`, rootPem)
      const crashed = error || lines.some((l) => l.error && /IndirectObjectExpected/.test(l.error))
      if (input.knownCrash && crashed) {
        rows.push({ file: input.name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: 'not judged: pyHanko 0.20.1 throws IndirectObjectExpected on this LibreOffice form (judges/README.md)' })
        continue
      }
      if (error) {
        allPass = false
        rows.push({ file: input.name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: `FAIL (${error})` })
        continue
      }
      const v = verdict(input.name, lines, { foreign, expectSignatures: 2 })
      const own = ownVerdict(`${base}-ltv.pdf`, rootPem)
      if (own) {
        v.pass = false
        v.rows.push({ file: input.name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: `FAIL (${own})` })
      }
      rows.push(...v.rows)
      allPass = allPass && v.pass
    }

    for (const variant of [
      { name: 'prepared + certified (labor-libreoffice)', crossPageSeal: false },
      // pyHanko 0.20.1 whitelists appearance updates only on a signature field itself, not on its widget
      // kids (SigFieldModificationRule): the pre-created 骑缝章 strips of a prepared field are
      // "unexplained xrefs" to it, though DocMDP P=2 permits signing (ISO 32000-1 §12.8.2.2). Shown, not counted.
      { name: 'prepared + certified, 骑缝章 field (labor-libreoffice)', crossPageSeal: true, knownLimitation: true },
      // A filled checkbox has /AP /N << /Yes … /Off … >> (direct: poppler reads an indirect /N as the
      // stream itself); pyHanko 0.20.1 then throws IndirectObjectExpected analysing any later revision
      // (_allow_in_place_appearance_update) — the same crash as on LibreOffice's form. Shown, not counted.
      { name: 'prepared + certified, checkbox (labor-libreoffice)', checkbox: true, knownLimitation: true },
    ]) {
      if (only && !variant.name.includes(only)) continue
      process.stderr.write(`» ${variant.name}: certification (DocMDP P=2), fields filled and signed, ltv\n`)
      try {
        const file = await certifiedPrepared(path.join(FIXTURES, 'labor-libreoffice.pdf'), fs.readFileSync(sealFile), variant)
        const { lines, error } = runJudge(file, rootPem)
        if (error) throw new Error(error)
        const v = verdict(variant.name, lines, { foreign: new Set(), expectSignatures: 3 })
        const cert = lines.find((l) => l.field === 'Platform')
        if (!cert || cert.docmdp_ok !== true) {
          v.pass = false
          v.rows.push({ file: variant.name, field: 'Platform', type: 'certification', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: 'FAIL (docmdp_ok is not true)' })
        }
        if (variant.knownLimitation) {
          for (const r of v.rows) r.result = `${r.result === 'ok' ? 'ok' : 'known pyHanko limitation, not counted: ' + r.result}`
        } else allPass = allPass && v.pass
        rows.push(...v.rows)
        // Our own verifier must accept every variant, the pyHanko limitations included.
        const own = ownVerdict(file, rootPem)
        if (own) {
          allPass = false
          rows.push({ file: variant.name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: `FAIL (${own})` })
        }
      } catch (e) {
        if (!variant.knownLimitation) allPass = false
        rows.push({ file: variant.name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: `FAIL (${e.message.split('\n')[0]})` })
      }
    }
  }

  // Completed contracts of each shape, made through the HTTP flow of the local server (issue 14).
  if (!only || 'HTTP flow'.includes(only) || only.startsWith('HTTP flow')) {
    process.stderr.write('» HTTP flow: two in sequence, company + person in parallel (骑缝章), mixed groups\n')
    try {
      const flowData = path.join(work, 'flow-data')
      const shapes = await makeContractShapes(BUILD, flowData, path.join(FIXTURES, 'labor-libreoffice.pdf'))
      const flowRoot = path.join(work, 'flow-root.pem')
      fs.writeFileSync(flowRoot, sh(process.execPath, [CLI, 'ca', 'root'], { env: { ...env, ESIGN_DATA_DIR: flowData } }).stdout)
      for (const shape of shapes) {
        const { lines, error } = runJudge(shape.file, flowRoot)
        if (error) throw new Error(`${shape.name}: ${error}`)
        const v = verdict(shape.name, lines, { foreign: new Set(), expectSignatures: shape.signatures })
        const own = ownVerdict(shape.file, flowRoot)
        if (own) {
          v.pass = false
          v.rows.push({ file: shape.name, field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: `FAIL (${own})` })
        }
        if (shape.knownLimitation) {
          for (const r of v.rows) if (!/esign verify/.test(r.result)) r.result = r.result === 'ok' ? 'ok' : `known pyHanko limitation, not counted: ${r.result}`
          // Our own verifier must accept it all the same.
          allPass = allPass && !own
        } else allPass = allPass && v.pass
        rows.push(...v.rows)
      }
    } catch (e) {
      allPass = false
      rows.push({ file: 'HTTP flow', field: '-', type: '-', checks: '-', coverage: '-', modification: '-', bottom_line: '-', result: `FAIL (${e.message.split('\n')[0]})` })
    }
  }

  const cols = ['file', 'field', 'type', 'checks', 'coverage', 'modification', 'bottom_line', 'result']
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]))
  const line = (r) => cols.map((c) => String(r[c]).padEnd(width[c])).join('  ').trimEnd()
  process.stdout.write('\n' + line(Object.fromEntries(cols.map((c) => [c, c]))) + '\n')
  process.stdout.write(cols.map((c) => '-'.repeat(width[c])).join('  ') + '\n')
  for (const r of rows) process.stdout.write(line(r) + '\n')
  process.stdout.write(`\npyHanko judge: ${allPass ? 'PASS' : 'FAIL'} (${path.relative(root, judge) || judge})\n`)
  if (!keep) fs.rmSync(work, { recursive: true, force: true })
  else process.stdout.write(`files kept in ${work}\n`)
  process.exit(allPass ? 0 : 1)
}

main().catch((e) => {
  process.stderr.write(`judge:pyhanko: ${e && e.stack ? e.stack : e}\n`)
  process.exit(1)
})
