/**
 * Byte-faithful rewrites (issue 11), judged by an independent reader: for every fixture and every
 * producer made in the setup (LibreOffice contract and form, Chromium), and for every kind of
 * revision the engine writes — signature, seal, 骑缝章 (cross-page seal), prepared fields, filled
 * fields, certification (DocMDP P=2), DSS + document time-stamp — qpdf lists the objects whose
 * cross-reference entry the revision changed (`qpdf --show-xref` before and after), and `qpdf --json`
 * shows each one's previous and new version. Only the keys that kind of revision means to change may
 * differ (arrays such as `/Annots` and `/Fields` only by appending); every other value — numbers
 * compared by the lexeme qpdf prints, e.g. LibreOffice's `595.303937007874` — must be exactly as before.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { InProcessTsa } from '../../../cloud-functions/adapters/local/in-process-tsa'
import { addLtv } from '../../../cloud-functions/core/signing/add-ltv'
import { prepareDocument } from '../../../cloud-functions/core/signing/prepare-document'
import { IncrementalWriter } from '../../../cloud-functions/core/pdf/incremental-writer'
import { PdfDict, PdfName, dict } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { convertWithLibreOffice, printWithChromium, requireTools, run, tempDir } from '../../support/pdf-tools'
import { rawPdf } from '../../support/pdf-verify-kit'

jest.setTimeout(600_000)

const FIXTURES = join(__dirname, '../../fixtures/pdf')

/** What each kind of revision means to change, per role of a rewritten object (dictionary keys). */
type Intent = { page?: string[]; catalog?: string[]; acroform?: string[]; field?: string[] }
const SIGN: Intent = { page: ['/Annots'], catalog: ['/AcroForm'], acroform: ['/Fields', '/SigFlags'] }
const INTENTS = {
  signature: SIGN,
  seal: SIGN,
  'cross-page seal': SIGN,
  'prepared fields': { page: ['/Annots'], catalog: ['/AcroForm'], acroform: ['/Fields', '/NeedAppearances', '/DA', '/DR'] },
  certification: { page: ['/Annots'], catalog: ['/AcroForm', '/Perms'], acroform: ['/Fields', '/SigFlags'] },
  'filled fields + signature': { field: ['/V', '/AP', '/AS'], acroform: ['/SigFlags', '/NeedAppearances'] },
  'DSS + document time-stamp': { page: ['/Annots'], catalog: ['/AcroForm', '/DSS'], acroform: ['/Fields', '/SigFlags'] },
} satisfies Record<string, Intent>
type Kind = keyof typeof INTENTS
/** Keys whose array value may only grow at the end. */
const APPEND_ONLY = new Set(['/Annots', '/Fields'])

type Json = null | boolean | string | Json[] | { [k: string]: Json }

/**
 * Parses qpdf's JSON keeping every number as the text qpdf printed (`#595.303937007874`), so a
 * number written another way (`595.303937`, `1` for `1.0`) is a difference.
 */
function parseKeepingNumbers(text: string): Json {
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === '"') {
      let j = i + 1
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1)
      i = j + 1
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i
      while (j < text.length && /[-+0-9.eE]/.test(text[j])) j++
      out += JSON.stringify('#' + text.slice(i, j))
      i = j
    } else {
      out += c
      i++
    }
  }
  return JSON.parse(out) as Json
}

type QpdfObject = { value?: Json; stream?: { dict: Record<string, Json> } }

/** `qpdf --json`: the trailer and objects `nums` ("N G") as qpdf reads them (latest revision), by "N G". */
function qpdfObjects(file: string, nums: string[]): Map<string, QpdfObject> {
  const select = ['trailer', ...nums.map((n) => n.replace(' ', ','))].map((o) => `--json-object=${o}`)
  const json = parseKeepingNumbers(run('qpdf', ['--json', '--json-key=qpdf', ...select, file])) as { qpdf: [unknown, Record<string, QpdfObject>] }
  const out = new Map<string, QpdfObject>()
  for (const [k, v] of Object.entries(json.qpdf[1])) out.set(k === 'trailer' ? 'trailer' : k.replace(/^obj:(\d+) (\d+) R$/, '$1 $2'), v)
  return out
}

/** `qpdf --show-xref`: "N G" → how the cross-reference data locates it. */
function qpdfXref(file: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of run('qpdf', ['--show-xref', file]).split('\n')) {
    const m = /^(\d+)\/(\d+): (.*)$/.exec(line)
    if (m) out.set(`${m[1]} ${m[2]}`, m[3])
  }
  return out
}

const same = (a: Json | undefined, b: Json | undefined): boolean => JSON.stringify(a) === JSON.stringify(b)
const isDict = (v: Json | undefined): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

let dir: string
let pki: PdfTestPki
let seal: Buffer
let step = 0

/**
 * Writes `before` and `after` and checks every object `after`'s revision rewrote against `kind`'s
 * intent. Returns how many existing objects it rewrote.
 */
function expectFaithful(label: string, kind: Kind, before: Uint8Array, after: Uint8Array): number {
  const intent: Intent = INTENTS[kind]
  const fb = join(dir, `${++step}-before.pdf`)
  const fa = join(dir, `${step}-after.pdf`)
  writeFileSync(fb, before)
  writeFileSync(fa, after)
  expect(Buffer.compare(Buffer.from(after).subarray(0, before.length), Buffer.from(before))).toBe(0)
  const xb = qpdfXref(fb)
  const xa = qpdfXref(fa)
  const changed = [...xb.keys()].filter((num) => xa.get(num) !== xb.get(num))
  const trailer = qpdfObjects(fa, []).get('trailer')?.value as Record<string, Json>
  const rootRef = String(trailer['/Root']).replace(/ R$/, '')
  const ob = qpdfObjects(fb, changed)
  const oa = qpdfObjects(fa, [...changed, rootRef])
  const catalog = oa.get(rootRef)?.value as Record<string, Json>
  const acroFormRef = typeof catalog['/AcroForm'] === 'string' ? (catalog['/AcroForm'] as string).replace(/ R$/, '') : undefined
  const problems: string[] = []
  let rewritten = 0
  for (const num of changed) {
    rewritten++
    const o = ob.get(num) as QpdfObject
    const n = oa.get(num) as QpdfObject
    const what = `${label} / ${kind}: object ${num}`
    if (o.stream || n.stream) {
      problems.push(`${what} is a stream and was rewritten`)
      continue
    }
    if (Array.isArray(o.value)) {
      // An indirect /Annots or /Fields array: only appended to.
      const ov = o.value
      const nv = n.value
      if (!Array.isArray(nv) || !same(ov, nv.slice(0, ov.length))) problems.push(`${what}: array changed other than by appending: ${JSON.stringify(ov)} → ${JSON.stringify(nv)}`)
      continue
    }
    const od = o.value as Record<string, Json>
    const nd = n.value as Record<string, Json>
    if (!od || !nd || typeof od !== 'object' || typeof nd !== 'object') {
      problems.push(`${what}: ${JSON.stringify(o.value)} → ${JSON.stringify(n.value)}`)
      continue
    }
    const role: keyof Intent | undefined =
      num === rootRef ? 'catalog' : num === acroFormRef ? 'acroform' : od['/Type'] === '/Page' ? 'page' : od['/FT'] !== undefined || od['/Subtype'] === '/Widget' ? 'field' : undefined
    if (!role) {
      problems.push(`${what} (${JSON.stringify(od['/Type'] ?? od['/Subtype'] ?? '?')}) should not have been rewritten`)
      continue
    }
    checkDict(what, role, od, nd)
  }

  function checkDict(what: string, role: keyof Intent, od: Record<string, Json>, nd: Record<string, Json>): void {
    const allowed = new Set(intent[role] ?? [])
    for (const key of new Set([...Object.keys(od), ...Object.keys(nd)])) {
      if (same(od[key], nd[key])) continue
      const ov = od[key]
      const nv = nd[key]
      if (role === 'catalog' && key === '/AcroForm' && isDict(ov) && isDict(nv)) {
        checkDict(`${what} /AcroForm (in the catalog)`, 'acroform', ov, nv) // an inline form: judged key by key
      } else if (!allowed.has(key)) {
        problems.push(`${what} (${role}): ${key} changed: ${JSON.stringify(ov)} → ${JSON.stringify(nv)}`)
      } else if (APPEND_ONLY.has(key) && Array.isArray(ov)) {
        if (!Array.isArray(nv) || !same(ov, nv.slice(0, ov.length))) problems.push(`${what} (${role}): ${key} changed other than by appending`)
      }
    }
    // Dictionary order: the keys both versions have stay in the same order.
    const common = Object.keys(od).filter((k) => k in nd)
    if (!same(common, Object.keys(nd).filter((k) => k in od))) problems.push(`${what} (${role}): keys reordered`)
  }
  expect(problems).toEqual([])
  return rewritten
}

type Source = { name: string; pdf: Buffer; fieldValues?: Record<string, string | boolean> }
let sources: Source[]

beforeAll(async () => {
  requireTools('qpdf', 'soffice', 'chromium')
  dir = tempDir('qianyue-fidelity-')
  pki = await createPdfTestPki()
  seal = readFileSync(join(FIXTURES, 'seal.png'))
  const [libreContract, libreForm] = convertWithLibreOffice([join(FIXTURES, 'contract-zh.fodt'), join(FIXTURES, 'contract-form.fodt')], dir, { formFields: true })
  const chrome = printWithChromium(join(FIXTURES, 'service-contract.html'), join(dir, 'service-contract.pdf'), dir)
  const fixtures = ['labor-libreoffice.pdf', 'labor-ghostscript.pdf', 'labor-linearized.pdf', 'po-chrome.pdf', 'po-objstm.pdf', 'po-presigned.pdf']
  sources = [
    ...fixtures.map((f) => ({ name: f, pdf: readFileSync(join(FIXTURES, f)) })),
    { name: 'LibreOffice contract (setup)', pdf: readFileSync(libreContract) },
    { name: 'LibreOffice form (setup)', pdf: readFileSync(libreForm), fieldValues: { party_b_name: '李四', sign_date: '2026-11-30', agree: true } },
    { name: 'Chromium print (setup)', pdf: readFileSync(chrome) },
  ]
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const ltv = async (pdf: Buffer): Promise<Buffer> =>
  Buffer.from((await addLtv(pdf, { validationData: async () => ({ certificates: [], ocspResponses: [], crls: [] }), timestampDigest: (d) => (pki.tsa as InProcessTsa).timestampDigest(d) })).toBytes())

describe('objects rewritten by an incremental revision keep every value they do not mean to change (qpdf)', () => {
  it('a rewritten dictionary keeps odd lexemes, hex and literal strings, #-escaped names and key order', () => {
    const page =
      '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595.303937007874 842.0] /CropBox [.5 -0.0 595.30 +842] /UserUnit 1.000 ' +
      '/A#42 /N#61me#20Two /Lit (a\\051b\\\\c\\nd) /Hex <4A4b> /Arr [1.50 (x\\)) <00FF> /x#2Fy] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>>'
    const ops = 'BT /F1 24 Tf 72 720 Td (Contract) Tj ET'
    const pdf = rawPdf({
      1: '<</Type /Catalog /Pages 2 0 R>>',
      2: '<</Type /Pages /Kids [3 0 R] /Count 1>>',
      3: page,
      4: `<</Length ${ops.length}>>stream\n${ops}\nendstream`,
      5: '<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>',
    })
    const reader = PdfReader.open(pdf)
    const w = new IncrementalWriter(reader)
    const annot = w.allocate()
    w.set(annot, dict({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), Rect: [0, 0, 0, 0] }))
    w.set(reader.pageRef(0), (reader.dictAt(reader.pageRef(0)) as PdfDict).clone().set('Annots', [annot]))
    const after = Buffer.concat([pdf, w.build().appended])
    // Byte for byte, the old entries are written as they were, in their order, /Annots appended.
    expect(after.subarray(pdf.length).toString('latin1')).toContain(
      '<</Type /Page/Parent 2 0 R/MediaBox [0 0 595.303937007874 842.0]/CropBox [.5 -0.0 595.30 +842]/UserUnit 1.000' +
        '/A#42 /N#61me#20Two/Lit (a\\051b\\\\c\\nd)/Hex <4A4b>/Arr [1.50 (x\\)) <00FF> /x#2Fy]/Contents 4 0 R/Resources <</Font <</F1 5 0 R>>>>/Annots [6 0 R]>>',
    )
    expect(expectFaithful('hand-written page', 'signature', pdf, after)).toBe(1)
  })

  it('for every fixture and producer: signature, seal, 骑缝章, DSS + document time-stamp', async () => {
    for (const s of sources) {
      const s1 = await signAs(pki, s.pdf, '张三', { placement: { page: 'last' } })
      expect({ name: s.name, rewritten: expectFaithful(s.name, 'signature', s.pdf, s1) > 0 }).toEqual({ name: s.name, rewritten: true })
      const s2 = await signAs(pki, s1, '北京某某科技有限公司', { placement: { page: 0 }, appearance: { seal } })
      expectFaithful(s.name, 'seal', s1, s2)
      const s3 = await signAs(pki, s2, '王五', { placement: { page: 'last' }, appearance: { seal }, crossPageSeal: { width: 100, height: 100 } })
      expect(expectFaithful(s.name, 'cross-page seal', s2, s3)).toBeGreaterThanOrEqual(PdfReader.open(s.pdf).pageCount())
      expectFaithful(s.name, 'DSS + document time-stamp', s3, await ltv(s3))
    }
  })

  it('for every fixture and producer: prepared fields on a signed file, then filled fields with a signature', async () => {
    for (const s of sources) {
      const signed = await signAs(pki, s.pdf, '张三', { placement: { page: 0 } })
      const { bytes: prepared, rewritten } = await prepareDocument(signed, {
        signers: [{ fieldName: '乙方签字', page: 'last', rect: [330, 200, 150, 90], crossPageSeal: { width: 100, height: 100 } }],
        fields: [
          { name: '乙方身份证号', type: 'text', page: 0, rect: [90, 100, 200, 20] },
          { name: '同意条款', type: 'checkbox', page: 0, rect: [440, 100, 16, 16] },
        ],
      })
      expect(rewritten).toBe(false)
      expectFaithful(s.name, 'prepared fields', signed, Buffer.from(prepared))
      const filled = await signAs(pki, Buffer.from(prepared), '李四', {
        fieldName: '乙方签字',
        placement: { page: 'last' },
        appearance: { seal, fieldValues: { 乙方身份证号: '110101********1234', 同意条款: true, ...(s.fieldValues ?? {}) } },
      })
      expect(expectFaithful(s.name, 'filled fields + signature', Buffer.from(prepared), filled)).toBeGreaterThan(2)
    }
  })

  it('for every fixture and producer (unsigned ones): certification (DocMDP P=2) on a prepared document, then filled fields and DSS', async () => {
    for (const s of sources.filter((x) => !PdfReader.open(x.pdf).hasSignatures())) {
      const { bytes: prepared } = await prepareDocument(s.pdf, {
        signers: [{ fieldName: '甲方签章', page: 'last', rect: [90, 200, 150, 90] }],
        fields: [{ name: '签署日期', type: 'date', page: 0, rect: [300, 100, 120, 20] }],
      })
      const certified = await signAs(pki, Buffer.from(prepared), 'Qianyue Platform', { fieldName: 'Platform', certify: { permissions: 2 } })
      expectFaithful(s.name, 'certification', Buffer.from(prepared), certified)
      const filled = await signAs(pki, certified, '张三', { fieldName: '甲方签章', placement: { page: 'last' }, appearance: { fieldValues: { 签署日期: '2026-11-30', ...(s.fieldValues ?? {}) } } })
      expectFaithful(s.name, 'filled fields + signature', certified, filled)
      expectFaithful(s.name, 'DSS + document time-stamp', filled, await ltv(filled))
    }
  })
})
