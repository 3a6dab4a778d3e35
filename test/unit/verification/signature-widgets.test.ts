/**
 * What "tap a seal" needs from the verification report (点击电子印章查看数字证书): per signature,
 * where it shows (page, rectangle in display space — crop box and rotation applied — including the
 * strips of a 骑缝章) and the signer certificate's subject CN / O, issuer CN, serial and validity.
 * Judged on PDFs signed here by the engine, against what the signer asked for and what Node's
 * X509Certificate reads from the certificate.
 */
import { createHash, X509Certificate } from 'node:crypto'
import { degrees, PDFDocument, StandardFonts } from 'pdf-lib'
import { prepareDocument } from '../../../cloud-functions/core/signing/prepare-document'
import { verifyPdf } from '../../../cloud-functions/core/verification/verify-pdf'
import type { SignatureWidgetView, VerificationReport } from '../../../cloud-functions/api/verification.types'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'

jest.setTimeout(60_000)

/** Page 1 plain A4; page 2 /Rotate 90 with a crop box; page 3 /Rotate 180 with a crop box off the origin. */
async function threePages(): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const specs: Array<{ rotate: number; crop?: [number, number, number, number] }> = [{ rotate: 0 }, { rotate: 90, crop: [50, 60, 545, 780] }, { rotate: 180, crop: [20, 30, 520, 830] }]
  for (const [i, p] of specs.entries()) {
    const page = doc.addPage([595, 842])
    page.drawText(`Page ${i + 1}`, { x: 80, y: 700, size: 14, font })
    page.setRotation(degrees(p.rotate))
    if (p.crop) page.setCropBox(p.crop[0], p.crop[1], p.crop[2] - p.crop[0], p.crop[3] - p.crop[1])
  }
  return doc.save({ useObjectStreams: false })
}

/** The displayed size of the pages above: the crop box, turned for 90°. */
const DISPLAYED = [
  { pageWidth: 595, pageHeight: 842 },
  { pageWidth: 720, pageHeight: 495 },
  { pageWidth: 500, pageHeight: 800 },
]

const near = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 2))
}

describe('verification report: widget locations and certificate details per signature', () => {
  let pki: PdfTestPki
  beforeAll(async () => {
    pki = await createPdfTestPki()
  })
  const verify = async (bytes: Uint8Array): Promise<VerificationReport> => {
    const r = await verifyPdf(bytes, { trustRoots: [pki.ca.root.certificateDer], now: new Date() })
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }
  it('gives the stamp and every 骑缝章 strip with page and display rectangle, on rotated and cropped pages', async () => {
    const input = await threePages()
    // Signer 1: stamp on the rotated page 2 at a display rectangle, with a cross-page seal over all pages.
    const once = await signAs(pki, input, '张三', { placement: { page: 1, rect: [100, 50, 150, 90] }, crossPageSeal: { width: 120, height: 120 } })
    // Signer 2 (for a company): stamp on the 180°-rotated page 3; signer 3: invisible.
    const twice = await signAs(pki, once, '李四', { placement: { page: 2, rect: [30, 600, 160, 100] } })
    const thrice = await signAs(pki, twice, '王五', {})
    const report = await verify(thrice)
    expect(report.verdict).toBe('valid')
    const [first, second, third] = report.signatures

    const stamp = (w: SignatureWidgetView[]) => w.filter((x) => !x.crossPageStrip)
    const strips = (w: SignatureWidgetView[]) => w.filter((x) => x.crossPageStrip)
    expect(stamp(first!.widgets)).toHaveLength(1)
    expect(stamp(first!.widgets)[0]).toMatchObject({ page: 1, ...DISPLAYED[1] })
    near(stamp(first!.widgets)[0]!.rect, [100, 50, 150, 90])
    // One strip per page at the right edge of the page as displayed, vertically centred, 120 / 3 pt wide.
    expect(strips(first!.widgets).map((s) => s.page)).toEqual([0, 1, 2])
    for (const s of strips(first!.widgets)) {
      const { pageWidth, pageHeight } = DISPLAYED[s.page]!
      expect(s).toMatchObject({ pageWidth, pageHeight })
      near(s.rect, [pageWidth - 40, (pageHeight - 120) / 2, 40, 120])
    }

    expect(second!.widgets).toHaveLength(1)
    expect(second!.widgets[0]).toMatchObject({ page: 2, crossPageStrip: false, ...DISPLAYED[2] })
    near(second!.widgets[0]!.rect, [30, 600, 160, 100])
    expect(third!.widgets).toEqual([])
  })

  it('a field prepared at send time reports the rectangle it was prepared with', async () => {
    const prepared = await prepareDocument(await threePages(), { signers: [{ fieldName: 'signer-1', page: 1, rect: [400, 300, 150, 90] }] })
    const signed = await signAs(pki, prepared.bytes, '张三', { fieldName: 'signer-1', placement: { page: 1 } })
    const [signature] = (await verify(signed)).signatures.filter((s) => s.field === 'signer-1')
    expect(signature!.widgets).toHaveLength(1)
    expect(signature!.widgets[0]).toMatchObject({ page: 1, crossPageStrip: false, ...DISPLAYED[1] })
    near(signature!.widgets[0]!.rect, [400, 300, 150, 90])
  })

  it("gives the signer certificate's subject CN and O, issuer CN, serial (hex) and validity as in the certificate", async () => {
    const issued = await pki.issue('赵六', '上海示例信息技术有限公司')
    const signed = await signAs(pki, await threePages(), '赵六', { signer: issued.signer, placement: { page: 0, rect: [400, 40, 150, 90] } })
    const [signature] = (await verify(signed)).signatures
    const x509 = new X509Certificate(Buffer.from(issued.certificateDer))
    // The report describes the certificate that signed (its SHA-256), as Node reads that certificate.
    expect(signature!.certificate!.sha256).toBe(createHash('sha256').update(issued.certificateDer).digest('hex'))
    expect(signature!.certificate).toMatchObject({
      commonName: '赵六',
      organization: '上海示例信息技术有限公司',
      issuerCommonName: 'Qianyue Test Signing CA 1',
      notBefore: new Date(x509.validFrom).toISOString(),
      notAfter: new Date(x509.validTo).toISOString(),
    })
    expect(signature!.certificate!.serialNumber.toUpperCase()).toBe(x509.serialNumber.toUpperCase())
    // A signer without an organisation has none; the chain's certificates carry the same details.
    const [plain] = (await verify(await signAs(pki, await threePages(), '钱七', {}))).signatures
    expect(plain!.certificate).toMatchObject({ commonName: '钱七', organization: null, issuerCommonName: 'Qianyue Test Signing CA 1' })
    expect(plain!.chain.at(-1)).toMatchObject({ commonName: 'Qianyue Test Root CA', issuerCommonName: 'Qianyue Test Root CA' })
  })
})
