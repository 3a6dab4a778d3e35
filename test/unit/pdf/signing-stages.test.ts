import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TrueTypeFont } from '../../../cloud-functions/core/pdf/truetype-font'
import { IncrementalWriter } from '../../../cloud-functions/core/pdf/incremental-writer'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { maxCmsSize } from '../../../cloud-functions/core/signing/build-cms-signed-data'
import { digestDocument } from '../../../cloud-functions/core/signing/digest-document'
import { SignatureTooLargeError, embedSignature } from '../../../cloud-functions/core/signing/embed-signature'
import { prepareSignature } from '../../../cloud-functions/core/signing/prepare-signature'
import { deserializePrepared, serializePrepared } from '../../../cloud-functions/core/signing/prepared-document'
import { openForSigning } from '../../../cloud-functions/core/signing/repair-document'
import { signDocumentDigest } from '../../../cloud-functions/core/signing/sign-document-digest'
import { PdfFormatError } from '../../../cloud-functions/core/pdf/pdf-errors'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { cjkFont, signAs } from '../../support/pdf-sign-helpers'

const FIXTURES = join(__dirname, '../../fixtures/pdf')
const fixture = (n: string): Buffer => readFileSync(join(FIXTURES, n))
let pki: PdfTestPki
beforeAll(async () => {
  pki = await createPdfTestPki()
})

describe('staged signing: prepare → digest → sign → embed', () => {
  it('can be interrupted after prepare (stored as JSON) and finished in a later call', async () => {
    const pdf = fixture('po-chrome.pdf')
    const { signer } = await pki.issue('张三')
    const contentsSize = maxCmsSize(await signer.certificateChain(), true)
    const prepared = await prepareSignature(pdf, { contentsSize, signingTime: new Date('2026-11-30T02:00:00Z'), signerName: '张三' })
    const stored = JSON.parse(JSON.stringify(serializePrepared(prepared)))
    // … later, e.g. after the signer confirmed on the phone:
    const resumed = deserializePrepared(pdf, stored)
    const digest = digestDocument(resumed)
    const [, a, b, c] = resumed.byteRange.toArray()
    const whole = Buffer.concat([pdf, resumed.appended])
    expect(a + (b - a) + c).toBe(whole.length)
    expect(whole.subarray(a, b).toString('latin1')).toMatch(/^<0+>$/)
    expect(b - a - 2).toBe(contentsSize * 2)
    expect(Buffer.from(digest.value)).toEqual(createHash('sha256').update(whole.subarray(0, a)).update(whole.subarray(b)).digest())
    const sealed = embedSignature(await signDocumentDigest(digest, { signer, tsa: pki.tsa }))
    const out = Buffer.from(sealed.toBytes())
    expect(out.length).toBe(whole.length)
    expect(Buffer.compare(out.subarray(0, a), whole.subarray(0, a))).toBe(0)
    expect(Buffer.compare(out.subarray(b), whole.subarray(b))).toBe(0)
    expect(out.subarray(a, a + 3).toString('latin1')).toBe('<30') // DER SEQUENCE
    expect(out.toString('latin1')).toMatch(/\/SubFilter \/ETSI\.CAdES\.detached/)
    expect(out.toString('latin1')).toMatch(/\/M \(D:20261130020000Z\)/)
  })

  it('refuses a CMS larger than the reserved /Contents', async () => {
    const prepared = await prepareSignature(fixture('po-chrome.pdf'), { contentsSize: 16, signingTime: new Date() })
    const digest = digestDocument(prepared)
    expect(() => embedSignature({ digest, cms: new Uint8Array(17) })).toThrow(SignatureTooLargeError)
  })

  it('names new fields uniquely and refuses to sign an already signed field', async () => {
    const one = await signAs(pki, fixture('po-presigned.pdf'), 'A')
    const two = await signAs(pki, one, 'B')
    const names = PdfReader.open(two).signatureFields().map((f) => f.name)
    expect(new Set(names).size).toBe(3)
    await expect(signAs(pki, two, 'C', { fieldName: names[1] })).rejects.toThrow(/already signed/)
  })

  it('repairs an unsigned broken-xref file once, and refuses a signed broken one', async () => {
    const gs = fixture('labor-ghostscript.pdf')
    const nl = gs.indexOf(0x0a) + 1
    const broken = Buffer.concat([gs.subarray(0, nl), Buffer.from('%x\n'), gs.subarray(nl)])
    const repaired = await openForSigning(broken)
    expect(repaired.repaired).toBe(true)
    expect(repaired.reader.pageCount()).toBe(2)
    const ps = fixture('po-presigned.pdf')
    const signedBroken = Buffer.concat([ps.subarray(0, nl), Buffer.from('%x\n'), ps.subarray(nl)])
    await expect(openForSigning(signedBroken)).rejects.toMatchObject({ code: 'SIGNED_AND_BROKEN' })
    await expect(openForSigning(signedBroken)).rejects.toBeInstanceOf(PdfFormatError)
  })
})

describe('TrueTypeFont subset', () => {
  it('embeds only the used glyphs of a 10 MB CJK font', () => {
    const font = TrueTypeFont.parse(cjkFont())
    expect(font.postscriptName).toBe('NotoSansSC-Regular')
    const subset = font.subset()
    subset.use('签署人：张三 2026-11-30')
    expect(subset.encode('张三')).toMatch(/^<[0-9a-f]{8}>$/)
    const reader = PdfReader.open(fixture('po-chrome.pdf'))
    const w = new IncrementalWriter(reader)
    subset.embed(w)
    const { appended } = w.build()
    expect(appended.length).toBeLessThan(30_000)
    expect(Buffer.from(appended).toString('latin1')).toMatch(/\/CIDToGIDMap \/Identity/)
  })
})

describe('TrueTypeFont through a FontSource', () => {
  it('reads only the tables and glyphs it needs, and encodes the same glyphs as the in-memory font', () => {
    const bytes = cjkFont()
    let read = 0
    const viaSource = TrueTypeFont.fromSource({
      read(offset, length) {
        read += length
        return bytes.subarray(offset, offset + length)
      },
    })
    const a = viaSource.subset()
    const b = TrueTypeFont.parse(bytes).subset()
    a.use('签署人：王五')
    b.use('签署人：王五')
    expect(a.encode('王五')).toBe(b.encode('王五'))
    expect(read).toBeLessThan(bytes.length / 10)
  })
})
