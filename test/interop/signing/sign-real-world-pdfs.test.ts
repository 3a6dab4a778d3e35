/**
 * Judged by independent tools: files from real producers (LibreOffice, Chromium, Ghostscript, qpdf
 * object streams and linearization, a file pre-signed by pdfsig/NSS, and a broken-xref file) are
 * signed 2 and 10 times in sequence by different signers; pdfsig must report every signature
 * valid (the last "Total document signed"), qpdf --check must be clean, openssl cms -verify must
 * accept every CMS against the platform root, and earlier bytes must never change.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { extractSignatures, opensslVerify, pdfsig, qpdfCheck, requireTools, run, tempDir } from '../../support/pdf-tools'

jest.setTimeout(180_000)

const FIXTURES = join(__dirname, '../../fixtures/pdf')

type Input = { name: string; file: string; presigned: number; repaired?: boolean; xrefStyle?: 'table' | 'stream' }

let pki: PdfTestPki
let dir: string
let rootPem: string
const inputs: Input[] = []

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf', 'openssl', 'gs')
  dir = tempDir()
  pki = await createPdfTestPki()
  rootPem = pki.writeRoot(dir)
  const fx = (n: string): string => {
    const p = join(dir, n)
    copyFileSync(join(FIXTURES, n), p)
    return p
  }
  const libre = fx('labor-libreoffice.pdf')
  const chrome = fx('po-chrome.pdf')
  inputs.push({ name: 'LibreOffice (Chinese contract)', file: libre, presigned: 0, xrefStyle: 'table' })
  inputs.push({ name: 'Chromium --print-to-pdf', file: chrome, presigned: 0, xrefStyle: 'table' })
  inputs.push({ name: 'qpdf --linearize (fixture)', file: fx('labor-linearized.pdf'), presigned: 0 })
  inputs.push({ name: 'qpdf object streams (fixture)', file: fx('po-objstm.pdf'), presigned: 0, xrefStyle: 'stream' })
  inputs.push({ name: 'pre-signed by pdfsig (NSS)', file: fx('po-presigned.pdf'), presigned: 1 })
  // Producers run here (cheap ones).
  const gsOut = join(dir, 'gs.pdf')
  run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pdfwrite', '-o', gsOut, libre])
  inputs.push({ name: 'Ghostscript pdfwrite', file: gsOut, presigned: 0 })
  const objstm = join(dir, 'objstm.pdf')
  run('qpdf', ['--object-streams=generate', libre, objstm])
  inputs.push({ name: 'qpdf --object-streams=generate', file: objstm, presigned: 0, xrefStyle: 'stream' })
  const lin = join(dir, 'linearized.pdf')
  run('qpdf', ['--linearize', chrome, lin])
  inputs.push({ name: 'qpdf --linearize', file: lin, presigned: 0 })
  // Broken xref: every offset shifted by a comment inserted after the header; tail intact.
  const good = readFileSync(gsOut)
  const nl = good.indexOf(0x0a) + 1
  const broken = Buffer.concat([good.subarray(0, nl), Buffer.from('%shifted-by-a-broken-tool\n'), good.subarray(nl)])
  const brokenFile = join(dir, 'broken-xref.pdf')
  writeFileSync(brokenFile, broken)
  inputs.push({ name: 'broken xref (repaired once)', file: brokenFile, presigned: 0, repaired: true })
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** pdfsig: all valid, last covers the file; qpdf clean; openssl verifies each of our CMSs. */
function judge(file: string, expectedCount: number, foreign: number, label: string): void {
  const bytes = readFileSync(file)
  const { signatures, stdout } = pdfsig(file)
  expect({ label, count: signatures.length }).toEqual({ label, count: expectedCount })
  signatures.forEach((s, i) => {
    if (!s.valid) throw new Error(`${label}: signature #${i + 1} (${s.fieldName}) is "${s.status}"\n${stdout}`)
  })
  const last = signatures[signatures.length - 1]
  expect(last.totalDocumentSigned).toBe(true)
  expect(last.ranges[3]).toBe(bytes.length)
  const q = qpdfCheck(file)
  if (!q.ok) throw new Error(`${label}: qpdf --check is not clean (exit ${q.status}):\n${q.output}`)
  // File order = signing order; the other tool's (BER) signatures come first and pdfsig judged them.
  const sigs = extractSignatures(bytes)
  expect(sigs.length).toBe(expectedCount)
  sigs.slice(foreign).forEach((s, i) => {
    const r = opensslVerify(dir, s, rootPem, `${label.replace(/\W+/g, '_')}-${i}`)
    if (!r.ok) throw new Error(`${label}: openssl cms -verify rejected our signature #${i + 1}:\n${r.output}`)
  })
}

describe('signing real-world PDFs, judged by pdfsig, qpdf and openssl', () => {
  it('signs every producer\'s file twice; earlier bytes stay a prefix; a flipped byte is a Digest Mismatch', async () => {
    for (const input of inputs) {
      const original = readFileSync(input.file)
      const label = `${input.name} ×2`
      const once = await signAs(pki, original, '张三')
      const twice = await signAs(pki, once, '李四 Li Si')
      if (!input.repaired) expect(Buffer.compare(once.subarray(0, original.length), original)).toBe(0)
      expect(Buffer.compare(twice.subarray(0, once.length), once)).toBe(0)
      const out = join(dir, `${input.name.replace(/\W+/g, '_')}-2.pdf`)
      writeFileSync(out, twice)
      judge(out, input.presigned + 2, input.presigned, label)
      if (input.xrefStyle) expect(PdfReader.open(twice).xrefStyle).toBe(input.xrefStyle)

      // Tamper: one byte inside the first signed range of every signature.
      const tampered = Buffer.from(twice)
      const at = Math.floor(Math.min(400, original.length / 3))
      tampered[at] = tampered[at] ^ 0x01
      const tf = join(dir, `${input.name.replace(/\W+/g, '_')}-tampered.pdf`)
      writeFileSync(tf, tampered)
      const t = pdfsig(tf)
      expect(t.signatures.length).toBeGreaterThan(0)
      for (const s of t.signatures) expect(s.status).toBe('Digest Mismatch.')
    }
  })

  it('signs every producer\'s file ten times in sequence as different signers', async () => {
    for (const input of inputs) {
      let pdf: Buffer = readFileSync(input.file)
      const label = `${input.name} ×10`
      for (let i = 1; i <= 10; i++) {
        const next = await signAs(pki, pdf, `签署人${i}`, i % 3 === 0 ? { placement: { page: 'last' } } : {})
        if (!(input.repaired && i === 1)) expect(Buffer.compare(next.subarray(0, pdf.length), pdf)).toBe(0)
        pdf = next
      }
      const out = join(dir, `${input.name.replace(/\W+/g, '_')}-10.pdf`)
      writeFileSync(out, pdf)
      judge(out, input.presigned + 10, input.presigned, label)
      const names = pdfsig(out).signatures.map((s) => s.fieldName)
      expect(new Set(names).size).toBe(names.length)
    }
  })
})
