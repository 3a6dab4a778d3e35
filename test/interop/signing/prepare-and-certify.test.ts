/**
 * Send-time preparation and the signing flow on top of it: one full rewrite adds an empty
 * signature field per signer (one with cross-page seal widgets), plus text/date/checkbox fields;
 * the platform certifies (DocMDP P=2); each signer fills its values and signs its own field in one
 * incremental revision. A file that is already signed is never rewritten.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { prepareDocument } from '../../../cloud-functions/core/signing/prepare-document'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { PdfDict, PdfName, PdfRef, PdfString } from '../../../cloud-functions/core/pdf/pdf-objects'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { countRedPixels, extractSignatures, opensslVerify, pdfsig, qpdfCheck, renderPage, requireTools, tempDir } from '../../support/pdf-tools'

jest.setTimeout(120_000)
const FIXTURES = join(__dirname, '../../fixtures/pdf')

let pki: PdfTestPki
let dir: string
beforeAll(async () => {
  requireTools('pdfsig', 'qpdf', 'openssl', 'pdftoppm')
  pki = await createPdfTestPki()
  dir = tempDir()
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function fieldValue(pdf: Uint8Array, name: string): unknown {
  const r = PdfReader.open(pdf)
  const form = r.dictAt(r.catalog().get('AcroForm')) as PdfDict
  for (const f of r.resolve(form.get('Fields')) as PdfRef[]) {
    const d = r.dictAt(f) as PdfDict
    const t = d.get('T')
    if (t instanceof PdfString && t.toText() === name) {
      const v = d.get('V')
      return v instanceof PdfString ? v.toText() : v instanceof PdfName ? v.name : v instanceof PdfRef ? 'ref' : v
    }
  }
  return undefined
}

describe('prepareDocument + certification + signing into prepared fields', () => {
  it('prepares once, certifies with DocMDP P=2, then each signer fills values and signs its field', async () => {
    const original = readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))
    const { bytes: prepared, rewritten } = await prepareDocument(original, {
      signers: [
        { fieldName: '甲方签章', page: 'last', rect: [90, 620, 150, 90] },
        { fieldName: '乙方签字', page: 'last', rect: [330, 620, 150, 90], crossPageSeal: { width: 100, height: 100 } },
      ],
      fields: [
        { name: '乙方身份证号', type: 'text', page: 0, rect: [90, 100, 200, 20] },
        { name: '签署日期', type: 'date', page: 0, rect: [300, 100, 120, 20] },
        { name: '同意条款', type: 'checkbox', page: 0, rect: [440, 100, 16, 16] },
      ],
    })
    expect(rewritten).toBe(true)
    const pr = PdfReader.open(prepared)
    expect(pr.sections.length).toBe(1) // one full rewrite: a single revision
    expect(pr.signatureFields().map((f) => f.name).sort()).toEqual(['乙方签字', '甲方签章'])
    expect(pr.signatureFields().every((f) => f.value === undefined)).toBe(true)
    expect((pr.dictAt(pr.catalog().get('AcroForm')) as PdfDict).has('NeedAppearances')).toBe(false)

    // Platform certification (invisible field), first signature.
    const certified = await signAs(pki, prepared, 'Qianyue Platform', { fieldName: 'Platform', certify: { permissions: 2 } })
    const cr = PdfReader.open(certified)
    const perms = cr.dictAt(cr.catalog().get('Perms')) as PdfDict
    expect(perms.get('DocMDP')).toBeInstanceOf(PdfRef)

    const s1 = await signAs(pki, certified, '张三', {
      fieldName: '甲方签章',
      appearance: { fieldValues: { 签署日期: '2026-11-30', 同意条款: true } },
      placement: { page: 'last' },
    })
    const s2 = await signAs(pki, s1, '李四', {
      fieldName: '乙方签字',
      appearance: { fieldValues: { 乙方身份证号: '110101********1234' } },
      placement: { page: 'last' },
    })
    expect(Buffer.compare(s2.subarray(0, certified.length), certified)).toBe(0)
    const file = join(dir, 'prepared-signed.pdf')
    writeFileSync(file, s2)

    const sigs = pdfsig(file).signatures
    // pdfsig lists signatures in AcroForm order (prepared fields first).
    expect(sigs.map((s) => s.fieldName).sort()).toEqual(['Platform', '乙方签字', '甲方签章'])
    expect(sigs.every((s) => s.valid)).toBe(true)
    expect(sigs.filter((s) => s.totalDocumentSigned).map((s) => s.fieldName)).toEqual(['乙方签字'])
    expect(qpdfCheck(file).ok).toBe(true)
    const root = pki.writeRoot(dir)
    extractSignatures(s2).forEach((s, i) => expect(opensslVerify(dir, s, root, `prep-${i}`).ok).toBe(true))

    expect(fieldValue(s2, '签署日期')).toBe('2026-11-30')
    expect(fieldValue(s2, '同意条款')).toBe('Yes')
    expect(fieldValue(s2, '乙方身份证号')).toBe('110101********1234')
    // The certification signature's dictionary carries the DocMDP transform with P=2.
    expect(s2.toString('latin1')).toMatch(/\/TransformMethod \/DocMDP\/TransformParams <<\/Type \/TransformParams\/P 2/)

    // The cross-page strips of 乙方签字 (pre-created at send time) are painted on both pages.
    for (const page of [1, 2]) {
      const png = renderPage(file, page, 72, dir)
      expect(countRedPixels(png, png.width - 51, 0, png.width, png.height)).toBeGreaterThan(50)
    }
  })

  it('never rewrites an already signed file: fields are appended and the earlier signature stays valid', async () => {
    const presigned = readFileSync(join(FIXTURES, 'po-presigned.pdf'))
    const { bytes, rewritten } = await prepareDocument(presigned, {
      signers: [{ fieldName: 'buyer', page: 0, rect: [400, 80, 150, 90] }],
    })
    expect(rewritten).toBe(false)
    expect(Buffer.compare(Buffer.from(bytes).subarray(0, presigned.length), presigned)).toBe(0)
    const signed = await signAs(pki, bytes, '赵六', { fieldName: 'buyer', placement: { page: 0 } })
    const file = join(dir, 'presigned-prepared.pdf')
    writeFileSync(file, signed)
    const sigs = pdfsig(file).signatures
    expect(sigs.length).toBe(2)
    expect(sigs.every((s) => s.valid)).toBe(true)
    expect(qpdfCheck(file).ok).toBe(true)
  })

  it('refuses duplicate field names and a certification after an existing signature', async () => {
    const pdf = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    await expect(
      prepareDocument(pdf, { signers: [{ fieldName: 'a', page: 0, rect: [0, 0, 10, 10] }, { fieldName: 'a', page: 0, rect: [0, 0, 10, 10] }] }),
    ).rejects.toThrow(/used twice/)
    const presigned = readFileSync(join(FIXTURES, 'po-presigned.pdf'))
    await expect(signAs(pki, presigned, 'X', { certify: { permissions: 2 } })).rejects.toThrow(/first signature/)
  })
})
