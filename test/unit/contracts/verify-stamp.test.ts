/**
 * The QR code put on every page at send time (core/signing/verify-stamp.ts): decoded back with jsQR
 * from each page as pdftoppm renders it (plain, rotated and cropped pages), it gives the contract's
 * verify URL; the stamp is added before any signature, so the signed contract still verifies
 * (pdfsig and the engine's own verifier).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import jsQR from 'jsqr'
import { concatTransformationMatrix, degrees, PDFDocument, StandardFonts } from 'pdf-lib'
import { TrueTypeFont } from '../../../cloud-functions/core/pdf/truetype-font'
import { prepareDocument } from '../../../cloud-functions/core/signing/prepare-document'
import { verifyPdf } from '../../../cloud-functions/core/verification/verify-pdf'
import { contractVerifyUrl } from '../../../cloud-functions/use-cases/contracts/send-contract'
import { createPdfTestPki } from '../../support/pdf-signing-ca'
import { cjkFont, signAs } from '../../support/pdf-sign-helpers'
import { pdfsig, pdftotext, renderPage, run, requireTools, tempDir } from '../../support/pdf-tools'

jest.setTimeout(120_000)

async function threePages(): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const specs: Array<{ rotate: number; crop?: [number, number, number, number] }> = [{ rotate: 0 }, { rotate: 90, crop: [50, 60, 545, 780] }, { rotate: 180 }]
  for (const [i, p] of specs.entries()) {
    const page = doc.addPage([595, 842])
    // Content that leaves the graphics state changed (an unbalanced cm): the stamp must not move with it.
    page.pushOperators(concatTransformationMatrix(0.5, 0, 0, 0.5, 200, 300))
    page.drawText(`Page ${i + 1}`, { x: 80, y: 700, size: 14, font })
    page.setRotation(degrees(p.rotate))
    if (p.crop) page.setCropBox(p.crop[0], p.crop[1], p.crop[2] - p.crop[0], p.crop[3] - p.crop[1])
  }
  return doc.save({ useObjectStreams: false })
}

const decode = (png: { width: number; height: number; data: Buffer }): string | undefined =>
  jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)?.data

describe('QR code to the verify page on every page', () => {
  beforeAll(() => requireTools('pdftoppm', 'pdfsig'))

  it('decodes to the contract verify URL on each page, and the contract signed afterwards verifies', async () => {
    const url = contractVerifyUrl('https://qianyue.example.cn/', 'ct_01HXYZ')
    expect(url).toBe('https://qianyue.example.cn/#/packages/verification/pages/index?contract=ct_01HXYZ')
    const prepared = (await prepareDocument(await threePages(), { signers: [{ fieldName: 'qy_sig_a', page: 0, rect: [300, 100, 160, 80] }], stamp: { url, label: '合同编号 ct_01HXYZ' } }, TrueTypeFont.parse(cjkFont()))).bytes
    const dir = tempDir('qianyue-qr-')
    const file = join(dir, 'prepared.pdf')
    writeFileSync(file, prepared)
    for (const page of [1, 2, 3]) {
      expect(decode(renderPage(file, page, 150, dir))).toBe(url)
      // The label is real text in the CJK font, embedded.
      expect(pdftotext(file, page)).toContain('合同编号 ct_01HXYZ')
    }
    expect(run('pdffonts', [file])).toMatch(/QYVRFY\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes/)

    // Without a stamp no QR code is there (the decoder is not fooled by the page text).
    const plain = join(dir, 'plain.pdf')
    writeFileSync(plain, (await prepareDocument(await threePages(), { signers: [{ fieldName: 'qy_sig_a', page: 0, rect: [300, 100, 160, 80] }] })).bytes)
    expect(decode(renderPage(plain, 1, 150, dir))).toBeUndefined()

    const pki = await createPdfTestPki()
    const signed = await signAs(pki, prepared, '张三', { fieldName: 'qy_sig_a' })
    const signedFile = join(dir, 'signed.pdf')
    writeFileSync(signedFile, signed)
    const sigs = pdfsig(signedFile).signatures
    expect(sigs).toHaveLength(1)
    expect(sigs[0]!.valid).toBe(true)
    const report = await verifyPdf(signed, { trustRoots: [pki.ca.root.certificateDer], now: new Date() })
    if (!report.ok) throw new Error(report.error.message)
    expect(report.value.verdict).toBe('valid')
    // The code is still readable on the signed file.
    expect(decode(renderPage(signedFile, 3, 150, dir))).toBe(url)
  })
})
