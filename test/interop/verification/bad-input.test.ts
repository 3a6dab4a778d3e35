/**
 * Hostile input never crashes or hangs the verifier: each file gives a clear "cannot be read" error
 * (exit 2) or an invalid verdict, within 2 s.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { VerificationReport } from '../../../cloud-functions/api/verification.types'
import { PdfDict, PdfRef, PdfString } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { verifyPdf } from '../../../cloud-functions/core/verification/verify-pdf'
import { makePdf } from '../../support/local-app'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { requireTools, tempDir } from '../../support/pdf-tools'
import { appendRevision, expectAgreesWithPdfsig, minimalObjects, rawPdf } from '../../support/pdf-verify-kit'

jest.setTimeout(60_000)

let pki: PdfTestPki
let signed: Buffer
let dir: string
beforeAll(async () => {
  requireTools('pdfsig')
  dir = tempDir('qianyue-bad-input-')
  pki = await createPdfTestPki()
  signed = await signAs(pki, await makePdf('Bad input'), '张三')
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** pdfsig judges the same file: whatever it calls valid must be intact here, whatever it rejects not valid. */
function agreeWithPdfsig(name: string, bytes: Uint8Array, report: VerificationReport): void {
  const file = join(dir, `${name.replace(/\W+/g, '_')}.pdf`)
  writeFileSync(file, bytes)
  expectAgreesWithPdfsig(file, report)
}

/** Runs the verifier with a 2 s budget; returns 'unreadable', 'invalid' or 'valid'. */
async function outcome(bytes: Uint8Array): Promise<{ verdict: 'unreadable' | 'invalid' | 'valid'; message: string; ms: number; report?: VerificationReport }> {
  const t0 = performance.now()
  const r = await verifyPdf(bytes, { trustRoots: [pki.ca.root.certificateDer], now: new Date() })
  const ms = performance.now() - t0
  expect(ms).toBeLessThan(2000)
  if (!r.ok) return { verdict: 'unreadable', message: r.error.message, ms }
  const msg = [...r.value.problems, ...r.value.signatures.flatMap((s) => s.problems)].map((p) => p.message).join('; ')
  return { verdict: r.value.valid ? 'valid' : 'invalid', message: msg, ms, report: r.value }
}

/** The signed file with its signature dictionary's /ByteRange or /Contents rewritten in place (same length). */
function patchSignature(find: RegExp, replace: (m: string) => string): Buffer {
  const text = signed.toString('latin1')
  const m = find.exec(text)
  if (!m) throw new Error(`pattern ${find} not found`)
  const rep = replace(m[0])
  if (rep.length !== m[0].length) throw new Error('patch must keep the length')
  return Buffer.from(text.slice(0, m.index) + rep + text.slice(m.index + m[0].length), 'latin1')
}

describe('hostile structure', () => {
  it('reference loops (an object that is its own reference, a field whose kid is itself, a page tree that contains itself)', async () => {
    const o = minimalObjects()
    o[1] = '<</Type /Catalog /Pages 2 0 R /AcroForm <</Fields [6 0 R]>> /Names 7 0 R>>'
    o[2] = '<</Type /Pages /Kids [3 0 R 2 0 R] /Count 2>>'
    o[6] = '<</FT /Sig /T (loop) /Kids [6 0 R] /Parent 6 0 R /V 8 0 R>>'
    o[7] = '7 0 R'
    o[8] = '<</Type /Sig /ByteRange [0 10 20 10] /Contents <3080>>>'
    const r = await outcome(rawPdf(o))
    expect(r.verdict).not.toBe('valid')
  })

  it('a /Prev cycle (a section that is its own predecessor, two sections pointing at each other)', async () => {
    const base = rawPdf(minimalObjects())
    const text = base.toString('latin1')
    const xrefAt = text.lastIndexOf('\nxref\n') + 1
    const selfLoop = text.replace('/Root 1 0 R>>', `/Root 1 0 R /Prev ${xrefAt}>>`)
    expect((await outcome(Buffer.from(selfLoop, 'latin1'))).message).toMatch(/no signatures/) // readable, the cycle is cut
    const looped = appendRevision(base, (reader, writer) => writer.set(reader.rootRef, reader.catalog().clone()))
    const t2 = looped.toString('latin1')
    const second = t2.lastIndexOf('\nxref\n') + 1
    const mutual = t2.slice(0, xrefAt) + t2.slice(xrefAt, second).replace('/Root 1 0 R>>', `/Root 1 0 R /Prev ${second}>>`) + t2.slice(second)
    const r = await outcome(Buffer.from(mutual, 'latin1'))
    expect(r.verdict).not.toBe('valid')
  })

  it('a huge /Length', async () => {
    const o = minimalObjects()
    o[4] = '<</Length 999999999999999>>stream\nBT ET\nendstream'
    // The stream is found by its endstream keyword; the signature over the file is still judged.
    const signedHuge = await signAs(pki, rawPdf(o), '张三')
    expect((await outcome(signedHuge)).verdict).toBe('valid')
    const o2 = minimalObjects()
    o2[4] = '<</Length 99999999999999999999999>>stream\nBT ET'
    expect((await outcome(rawPdf(o2))).verdict).not.toBe('valid')
  })

  it('deep nesting (100 000 nested arrays; deeply nested BER in /Contents)', async () => {
    const o = minimalObjects()
    o[1] = `<</Type /Catalog /Pages 2 0 R /Deep ${'['.repeat(100_000)}${']'.repeat(100_000)}>>`
    expect((await outcome(rawPdf(o))).verdict).not.toBe('valid')
    const deepBer = '2480'.repeat(1000) + '0000'.repeat(1000)
    const patched = patchSignature(/\/Contents <[0-9a-f]+>/, (m) => `/Contents <${deepBer.padEnd(m.length - 12, '0')}>`)
    const r = await outcome(patched)
    expect(r.verdict).toBe('invalid')
    expect(r.message).toMatch(/CMS|nesting/)
  })

  it('an xref stream with zero field widths and a giant /Index, and a zlib bomb as an object stream', async () => {
    const data = deflateSync(Buffer.alloc(0))
    const o: Record<number, string | Buffer> = minimalObjects()
    o[6] = Buffer.concat([Buffer.from(`<</Type /XRef /Size 7 /W [0 0 0] /Index [0 999999999999] /Filter /FlateDecode /Length ${data.length}>>stream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')])
    const text = rawPdf(o).toString('latin1')
    const xrefStm = text.indexOf('6 0 obj')
    const viaStream = text.replace(/startxref\n\d+/, `startxref\n${xrefStm}`)
    expect((await outcome(Buffer.from(viaStream, 'latin1'))).verdict).not.toBe('valid')
    const bomb = deflateSync(Buffer.alloc(300 * 1024 * 1024))
    const o2: Record<number, string | Buffer> = minimalObjects()
    o2[6] = Buffer.concat([Buffer.from(`<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length}>>stream\n`, 'latin1'), bomb, Buffer.from('\nendstream', 'latin1')])
    o2[1] = '<</Type /Catalog /Pages 2 0 R /AcroForm 9 0 R>>'
    expect((await outcome(rawPdf(o2))).verdict).not.toBe('valid')
  })

  it('ten thousand %%EOF markers', async () => {
    const spam = Buffer.from('%%EOF\n'.repeat(10_000), 'latin1')
    const r = await outcome(Buffer.concat([signed, spam]))
    expect(r.verdict).toBe('invalid')
  })
})

describe('hostile byte ranges and CMS', () => {
  const br = /\/ByteRange \[0 \d+ \d+ \d+\] */
  const cases: Array<[string, (m: string) => string]> = [
    ['overlapping parts', (m) => `/ByteRange [0 900 500 100]`.padEnd(m.length, ' ')],
    ['out of the file', (m) => `/ByteRange [0 900 1000 99999999]`.padEnd(m.length, ' ')],
    ['not starting at 0', (m) => `/ByteRange [5 900 1000 100]`.padEnd(m.length, ' ')],
    ['astronomically large', (m) => `/ByteRange [0 1 2 99999999999999999999]`.padEnd(m.length, ' ')],
    ['fractional', (m) => `/ByteRange [0 1.5 2 3]`.padEnd(m.length, ' ')],
  ]
  it.each(cases)('ByteRange %s → invalid (pdfsig agrees it is not valid)', async (name, replace) => {
    const bytes = patchSignature(br, replace)
    const r = await outcome(bytes)
    expect(r.verdict).toBe('invalid')
    expect(r.message).toMatch(/ByteRange/)
    agreeWithPdfsig(`br-${name}`, bytes, r.report!)
  })

  it.each([
    ['random garbage', () => Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919) % 256)).toString('hex')],
    ['a truncated CMS', () => /\/Contents <([0-9a-f]+)>/.exec(signed.toString('latin1'))![1].slice(0, 400)],
    ['indefinite lengths that never end', () => '3080'.repeat(300)],
    ['a length larger than the data', () => '3084ffffffff' + '00'.repeat(100)],
  ])('CMS %s → invalid, with a clear reason (pdfsig agrees it is not valid)', async (name, hex) => {
    const bytes = patchSignature(/\/Contents <[0-9a-f]+>/, (m) => `/Contents <${hex().padEnd(m.length - 12, '0')}>`)
    const r = await outcome(bytes)
    expect(r.verdict).toBe('invalid')
    expect(r.message).toMatch(/CMS|SignedData|signature/)
    agreeWithPdfsig(`cms-${name}`, bytes, r.report!)
  })
})

describe('not a PDF → a clear error (exit 2), never a crash', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['text', Buffer.from('hello, not a pdf')],
    ['header only', Buffer.from('%PDF-1.7\n' + 'A'.repeat(5000))],
    ['truncated', () => signed.subarray(0, Math.floor(signed.length / 2))],
    ['xref pointing nowhere', () => Buffer.from(signed.toString('latin1').replace(/startxref\n(\d+)\n%%EOF\n$/, 'startxref\n99999999\n%%EOF\n'), 'latin1')],
  ] as Array<[string, Buffer | (() => Buffer)]>)('%s', async (_name, input) => {
    const bytes = typeof input === 'function' ? input() : input
    const r = await outcome(bytes)
    expect(r.verdict).not.toBe('valid')
    if (r.verdict === 'unreadable') expect(r.message.length).toBeGreaterThan(5)
  })

  it('an encrypted signed file is refused as unreadable', async () => {
    const update = appendRevision(signed, (reader, writer) => {
      const d = writer.allocate()
      writer.set(d, new PdfDict([['Filter', new PdfString(Buffer.from('Standard'))]]))
      void reader
    }).toString('latin1')
    const at = update.lastIndexOf('trailer\n<<') + 'trailer\n<<'.length
    const encryptRef = new PdfRef(PdfReader.open(signed).size, 0)
    const enc = Buffer.from(update.slice(0, at) + `/Encrypt ${encryptRef} ` + update.slice(at), 'latin1')
    const r = await outcome(enc)
    expect(r.verdict).toBe('unreadable')
    expect(r.message).toMatch(/encrypted/)
  })
})
