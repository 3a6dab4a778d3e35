/**
 * Inputs made in the test setup by real producers, each started once per file (outputs cached in
 * a temporary directory): LibreOffice (`soffice --headless --convert-to pdf`) converting a Chinese
 * contract and a contract with form controls exported as a PDF form (AcroForm fields), and headless
 * Chromium printing an HTML contract. Each is signed 2 and 10 times in sequence by different signers
 * and judged by pdfsig (every signature valid, the last covering the whole file), qpdf --check and
 * openssl cms -verify; a flipped byte gives `Digest Mismatch.`. On the LibreOffice form, the signer
 * fills LibreOffice's own fields in the signing revision and the values render (pdftoppm, pdftotext).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { PdfDict, PdfRef, PdfString, type PdfValue } from '../../../cloud-functions/core/pdf/pdf-objects'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import {
  assertSignedPdfValid,
  convertWithLibreOffice,
  countDarkPixels,
  pdftotext,
  printWithChromium,
  renderPage,
  requireTools,
  run,
  tamperedStatuses,
  tempDir,
} from '../../support/pdf-tools'

jest.setTimeout(240_000)

const FIXTURES = join(__dirname, '../../fixtures/pdf')

type Produced = { name: string; file: string; producer: RegExp; text: RegExp }

let pki: PdfTestPki
let dir: string
let rootPem: string
let libreContract: string
let libreForm: string
let chrome: string
let produced: Produced[]

beforeAll(async () => {
  requireTools('soffice', 'chromium', 'pdfsig', 'qpdf', 'openssl', 'pdftoppm', 'pdftotext')
  dir = tempDir('qianyue-producers-')
  const [pkiReady] = await Promise.all([
    createPdfTestPki(),
    // One LibreOffice start converts both documents; the form export option is harmless for the
    // document without controls.
    Promise.resolve().then(() => {
      ;[libreContract, libreForm] = convertWithLibreOffice([join(FIXTURES, 'contract-zh.fodt'), join(FIXTURES, 'contract-form.fodt')], dir, { formFields: true })
      chrome = printWithChromium(join(FIXTURES, 'service-contract.html'), join(dir, 'service-contract.pdf'), dir)
    }),
  ])
  pki = pkiReady
  rootPem = pki.writeRoot(dir)
  produced = [
    { name: 'LibreOffice Chinese contract', file: libreContract, producer: /^Producer:\s+LibreOffice/m, text: /设备采购合同/ },
    { name: 'LibreOffice form', file: libreForm, producer: /^Producer:\s+LibreOffice/m, text: /技术服务合同/ },
    { name: 'Chromium print-to-pdf', file: chrome, producer: /^Producer:\s+Skia\/PDF/m, text: /软件服务协议/ },
  ]
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** qpdf's view of the AcroForm: field name → [type, value]. */
function qpdfFields(file: string): { hasAcroForm: boolean; fields: Map<string, { type: string; value: string; checkbox: boolean }> } {
  const json = JSON.parse(run('qpdf', ['--json', '--json-key=acroform', file])) as {
    acroform: { hasacroform: boolean; fields: Array<{ fullname: string; fieldtype: string; value: string; ischeckbox: boolean }> }
  }
  return {
    hasAcroForm: json.acroform.hasacroform,
    fields: new Map(json.acroform.fields.map((f) => [f.fullname, { type: f.fieldtype, value: f.value, checkbox: f.ischeckbox }])),
  }
}

/** The widget rectangle of a field (merged field/widget, as LibreOffice writes them) and its page height. */
function fieldRect(pdf: Uint8Array, name: string): { rect: number[]; pageHeight: number } {
  const r = PdfReader.open(pdf)
  const form = r.dictAt(r.catalog().get('AcroForm')) as PdfDict
  for (const f of r.resolve(form.get('Fields')) as PdfValue[]) {
    const d = r.dictAt(f) as PdfDict
    const t = d.get('T')
    if (t instanceof PdfString && t.toText() === name) {
      const rect = (r.resolve(d.get('Rect')) as number[]).map(Number)
      const page = r.dictAt(d.get('P') as PdfRef) as PdfDict
      const box = r.inherited(page, 'MediaBox') as number[]
      return { rect, pageHeight: box[3] - box[1] }
    }
  }
  throw new Error(`no field ${name}`)
}

const slug = (s: string): string => s.replace(/\W+/g, '_')

describe('PDFs made by real producers in the test setup', () => {
  it('are what they claim: LibreOffice and Chromium output with Chinese text; the LibreOffice form has AcroForm fields', () => {
    for (const p of produced) {
      expect({ name: p.name, producer: p.producer.test(run('pdfinfo', [p.file])) }).toEqual({ name: p.name, producer: true })
      expect(pdftotext(p.file)).toMatch(p.text)
    }
    const form = qpdfFields(libreForm)
    expect(form.hasAcroForm).toBe(true)
    expect([...form.fields.entries()].map(([n, f]) => [n, f.type, f.checkbox])).toEqual([
      ['party_b_name', '/Tx', false],
      ['sign_date', '/Tx', false],
      ['agree', '/Btn', true],
    ])
    // LibreOffice's AcroForm sits inline in the catalog and asks viewers to regenerate appearances.
    const r = PdfReader.open(readFileSync(libreForm))
    expect(r.catalog().get('AcroForm')).toBeInstanceOf(PdfDict)
    expect((r.catalog().get('AcroForm') as PdfDict).get('NeedAppearances')).toBe(true)
  })

  it('signs each twice: both valid, the last covers the file, openssl accepts both, a flipped byte is a Digest Mismatch', async () => {
    for (const p of produced) {
      const original = readFileSync(p.file)
      const once = await signAs(pki, original, '张三', { placement: { page: 'last' } })
      const twice = await signAs(pki, once, '李四 Li Si', { placement: { page: 0 } })
      expect(Buffer.compare(once.subarray(0, original.length), original)).toBe(0)
      expect(Buffer.compare(twice.subarray(0, once.length), once)).toBe(0)
      const out = join(dir, `${slug(p.name)}-2.pdf`)
      writeFileSync(out, twice)
      assertSignedPdfValid(out, { expected: 2, caFile: rootPem, dir, label: `${p.name} ×2` })
      expect(tamperedStatuses(twice, Math.floor(Math.min(400, original.length / 3)), dir, p.name)).toEqual(['Digest Mismatch.', 'Digest Mismatch.'])
    }
  })

  it('signs each ten times in sequence as different signers', async () => {
    for (const p of produced) {
      let pdf: Buffer = readFileSync(p.file)
      for (let i = 1; i <= 10; i++) {
        const next = await signAs(pki, pdf, `签署人${i}`, i % 2 === 0 ? { placement: { page: 'last' } } : {})
        expect(Buffer.compare(next.subarray(0, pdf.length), pdf)).toBe(0)
        pdf = next
      }
      const out = join(dir, `${slug(p.name)}-10.pdf`)
      writeFileSync(out, pdf)
      assertSignedPdfValid(out, { expected: 10, caFile: rootPem, dir, label: `${p.name} ×10` })
      expect(tamperedStatuses(pdf, 300, dir, `${p.name}-10`)).toEqual(Array(10).fill('Digest Mismatch.'))
    }
  })

  it('fills the LibreOffice form fields in the signing revision; the values render and survive a second signature', async () => {
    const original = readFileSync(libreForm)
    const values = { party_b_name: '李四', sign_date: '2027年3月18日', agree: true }
    const filled = await signAs(pki, original, '李四', { placement: { page: 0, rect: [380, 80, 150, 90] }, appearance: { fieldValues: values } })
    const signedBoth = await signAs(pki, filled, '上海示例信息技术有限公司', { placement: { page: 0, rect: [200, 80, 150, 90] } })
    const file = join(dir, 'form-filled.pdf')
    writeFileSync(file, signedBoth)
    assertSignedPdfValid(file, { expected: 2, caFile: rootPem, dir, label: 'LibreOffice form filled' })

    // The values are in the first signer's revision (covered by its signature), as qpdf reads them.
    const firstRevision = join(dir, 'form-first-revision.pdf')
    writeFileSync(firstRevision, filled)
    for (const f of [firstRevision, file]) {
      const fields = qpdfFields(f).fields
      expect(fields.get('party_b_name')?.value).toBe('u:李四')
      expect(fields.get('sign_date')?.value).toBe('u:2027年3月18日')
      expect(fields.get('agree')?.value).toBe('/Yes')
    }
    // A viewer must not regenerate (and so change) the signed appearances.
    const r = PdfReader.open(signedBoth)
    expect((r.dictAt(r.catalog().get('AcroForm')) as PdfDict).get('NeedAppearances')).not.toBe(true)
    expect(r.signatureFields().map((f) => f.value !== undefined)).toEqual([true, true]) // beside LibreOffice's three fields

    // Rendered: ink inside each filled widget where the unsigned page had none, and the text extracts.
    const dpi = 144
    const k = dpi / 72
    const before = renderPage(libreForm, 1, dpi, dir)
    const after = renderPage(file, 1, dpi, dir)
    for (const name of ['party_b_name', 'sign_date', 'agree']) {
      const { rect, pageHeight } = fieldRect(signedBoth, name)
      const box = [rect[0] * k + 2, (pageHeight - rect[3]) * k + 2, rect[2] * k - 2, (pageHeight - rect[1]) * k - 2] as const
      const inkBefore = countDarkPixels(before, ...box)
      const inkAfter = countDarkPixels(after, ...box)
      expect({ name, grew: inkAfter > inkBefore + 15 }).toEqual({ name, grew: true })
    }
    const text = pdftotext(file, 1)
    expect(text).toMatch(/李四/)
    expect(text).toMatch(/2027年3月18日/)
  })
})
