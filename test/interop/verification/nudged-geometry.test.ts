/**
 * The nudged-geometry attack (issue 11): a revision that looks like a signing revision — it
 * rewrites a page dictionary only to add a widget to `/Annots` — but also moves the page's
 * `/MediaBox`, `/CropBox` or `/Rotate`, an existing widget's `/Rect` or an appearance's `/Matrix`
 * by about a millionth. Difference analysis compares values exactly (as pyHanko does), so each is
 * a disallowed change for the first signature; the same revision without the nudge, and the
 * engine's own second signature, are allowed. Built on LibreOffice's A4 page, whose box is written
 * `595.303937007874 841.889763779528` — the numbers a lossy writer used to round to six decimals.
 * `esign verify` (the compiled CLI) says the document was changed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, dict, type PdfValue } from '../../../cloud-functions/core/pdf/pdf-objects'
import type { IncrementalWriter } from '../../../cloud-functions/core/pdf/incremental-writer'
import type { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { verifyPdf } from '../../../cloud-functions/core/verification/verify-pdf'
import type { VerificationReport } from '../../../cloud-functions/api/verification.types'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { requireTools, tempDir } from '../../support/pdf-tools'
import { addAnnotation, appendRevision, expectAgreesWithPdfsig } from '../../support/pdf-verify-kit'

jest.setTimeout(180_000)

const ROOT = join(__dirname, '../../..')
const CLI = join(ROOT, 'bin/esign.js')
const BUILT = join(ROOT, 'build/cloud-functions/cli/verify-command.js')
const FIXTURES = join(__dirname, '../../fixtures/pdf')

let pki: PdfTestPki
let dir: string
/** labor-libreoffice.pdf with a /CropBox (the MediaBox as written) and /Rotate 90 on page 1, signed there by 张三. */
let signed: Buffer

beforeAll(async () => {
  requireTools('pdfsig')
  const sources = ['cli/verify-command.ts', 'core/verification/difference-analysis.ts', 'core/pdf/object-parser.ts'].map((f) => join(ROOT, 'cloud-functions', f))
  if (!existsSync(BUILT) || sources.some((s) => statSync(BUILT).mtimeMs < statSync(s).mtimeMs)) {
    spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'ignore' })
  }
  if (!existsSync(BUILT)) throw new Error('build/ has no verify-command.js: run "npm run build:server"')
  pki = await createPdfTestPki()
  dir = tempDir('qianyue-nudge-')
  const base = appendRevision(readFileSync(join(FIXTURES, 'labor-libreoffice.pdf')), (reader, writer) => {
    const page = reader.pageRef(0)
    const d = (reader.dictAt(page) as PdfDict).clone()
    // The very array read from the file: written back with its lexemes.
    d.set('CropBox', d.get('MediaBox') as PdfValue).set('Rotate', 90)
    writer.set(page, d)
  })
  signed = await signAs(pki, base, '张三', { placement: { page: 0 } })
  writeFileSync(join(dir, 'root.pem'), pki.rootPem)
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const MILLIONTH = 1e-6
const nudge = (arr: PdfValue, i: number): PdfValue[] => (arr as number[]).map((v, k) => (k === i ? v + MILLIONTH : v))

/** The first signature's widget and its appearance stream. */
function firstWidget(reader: PdfReader): { ref: PdfRef; dict: PdfDict; ap: PdfRef } {
  const field = reader.signatureFields()[0]
  const ref = field.widgets[0] ?? field.ref
  const d = reader.dictAt(ref) as PdfDict
  const ap = (reader.dictAt(d.get('AP')) as PdfDict).get('N') as PdfRef
  return { ref, dict: d, ap }
}

/**
 * What an engine signing revision does to the page (a new, empty signature field whose widget is
 * appended to page 1's /Annots) plus `tweak`, which may change the page dictionary in place.
 */
function widgetRevision(tweak: (page: PdfDict, reader: PdfReader, writer: IncrementalWriter) => void): Buffer {
  return appendRevision(signed, (reader, writer) => {
    const pageRef = reader.pageRef(0)
    const widget = writer.allocate()
    writer.set(widget, dict({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), FT: PdfName.of('Sig'), T: PdfString.text('乙方'), Rect: [0, 0, 0, 0], F: 4, P: pageRef }))
    const page = (reader.dictAt(pageRef) as PdfDict).clone()
    const annots = page.get('Annots')
    if (annots instanceof PdfRef) {
      addAnnotation(reader, writer, pageRef, widget)
    } else {
      page.set('Annots', [...(Array.isArray(annots) ? annots : []), widget])
    }
    tweak(page, reader, writer)
    writer.set(pageRef, page)
    const formRef = reader.catalog().get('AcroForm') as PdfRef
    const form = (reader.dictAt(formRef) as PdfDict).clone()
    form.set('Fields', [...(reader.resolve(form.get('Fields')) as PdfValue[]), widget])
    writer.set(formRef, form)
  })
}

async function judge(name: string, bytes: Buffer): Promise<VerificationReport> {
  const file = join(dir, `${name}.pdf`)
  writeFileSync(file, bytes)
  const r = await verifyPdf(bytes, { trustRoots: [pki.ca.root.certificateDer], now: new Date() })
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
  const sigs = expectAgreesWithPdfsig(file, r.value)
  // pdfsig does no difference analysis: the first signature still verifies byte-wise.
  expect(sigs[0]?.valid).toBe(true)
  return r.value
}

describe('nudged geometry (issue 11): a revision that only seems to add a widget', () => {
  it('control: the same revision without a nudge, and the engine\'s own second signature, are allowed changes', async () => {
    const plain = await judge('control-widget', widgetRevision(() => undefined))
    expect(plain.signatures[0]).toMatchObject({ intact: true, valid: true, modification: 'allowed' })
    const second = await judge('control-second', await signAs(pki, signed, '李四', { placement: { page: 0 }, crossPageSeal: { width: 100, height: 100 } }))
    expect(second.signatures.map((s) => [s.intact, s.valid, s.modification])).toEqual([[true, true, 'allowed'], [true, true, 'none']])
  })

  const attacks: Array<[string, RegExp, string, (page: PdfDict, reader: PdfReader, writer: IncrementalWriter) => void]> = [
    ['/MediaBox', /page 1: \/MediaBox changed/, 'page-content-changed', (page) => void page.set('MediaBox', nudge(page.get('MediaBox') as PdfValue, 2))],
    ['/MediaBox (rounded to six decimals, as the old writer did)', /\/MediaBox changed/, 'page-content-changed', (page) => void page.set('MediaBox', [0, 0, 595.303937, 841.889764])],
    ['/CropBox', /page 1: \/CropBox changed/, 'page-content-changed', (page) => void page.set('CropBox', nudge(page.get('CropBox') as PdfValue, 3))],
    ['/Rotate', /page 1: \/Rotate changed/, 'page-content-changed', (page) => void page.set('Rotate', 90 + MILLIONTH)],
    [
      "the first signature's widget /Rect",
      /field "Signature1": \/Rect changed/,
      'form-field-changed', // the engine writes a field and its widget as one object
      (_page, reader, writer) => {
        const w = firstWidget(reader)
        writer.set(w.ref, w.dict.clone().set('Rect', nudge(w.dict.get('Rect') as PdfValue, 0)))
      },
    ],
    [
      "the first signature's appearance /Matrix",
      /appearance|\/AP/,
      'form-field-changed',
      (_page, reader, writer) => {
        const { ap } = firstWidget(reader)
        const stream = reader.getObject(ap.num) as PdfStream
        const m = stream.dict.get('Matrix')
        expect(Array.isArray(m)).toBe(true) // a stamp on a page turned 90° carries a /Matrix
        const d = stream.dict.clone().set('Matrix', nudge(m as PdfValue, 4))
        d.delete('Length')
        writer.setStream(ap, d, stream.raw())
      },
    ],
  ]

  it.each(attacks)('%s moved by a millionth: a disallowed change for the first signature', async (what, detail, kind, tweak) => {
    const report = await judge(`nudge-${what.replace(/\W+/g, '_')}`, widgetRevision(tweak))
    expect(report.signatures[0]).toMatchObject({ intact: true, valid: true, modification: 'disallowed' })
    expect(report.signatures[0].changes).toContainEqual(expect.objectContaining({ level: 'disallowed', kind, detail: expect.stringMatching(detail) }))
  })

  it('esign verify says the document was changed after the first signature (exit 1) and accepts the control', () => {
    const run = (file: string): { status: number | null; stdout: string } => {
      const r = spawnSync('node', [CLI, 'verify', file, '--trust', 'root.pem'], { cwd: dir, env: { ...process.env, ESIGN_DATA_DIR: join(dir, 'no-data') }, encoding: 'utf8', timeout: 60_000 })
      return { status: r.status, stdout: r.stdout }
    }
    const attacked = run('nudge-_MediaBox.pdf')
    expect(attacked.status).toBe(1)
    expect(attacked.stdout).toMatch(/签署后修改：\s*有不允许的修改/)
    expect(attacked.stdout).toMatch(/page 1: \/MediaBox changed/)
    const control = run('control-second.pdf')
    expect(control.status).toBe(0)
    expect(control.stdout).toMatch(/签署后修改：\s*仅有允许的修改/)
    expect(control.stdout).not.toMatch(/：有不允许的修改/)
  })
})
