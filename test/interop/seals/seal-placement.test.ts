/**
 * Seals placed by the signing engine, judged by poppler: the vector seal appearance and the
 * generated print-resolution PNG both render (pdftoppm) inside the signature field's rectangle and
 * nowhere else, with pdfsig reporting the signature valid; and the operator path — `esign seal`
 * then `esign sign --seal` — shows the generated seal at the requested position in the signed PDF.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PNG } from 'pngjs'
import { generateSeal } from '../../../cloud-functions/core/seals/generate-seal'
import { drawingToPng } from '../../../cloud-functions/core/seals/rasterise'
import { createSealAppearance } from '../../../cloud-functions/core/seals/seal-pdf'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import type { PdfDict } from '../../../cloud-functions/core/pdf/pdf-objects'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { countRedPixels, pdfsig, qpdfCheck, renderPage, requireTools, run, tempDir } from '../../support/pdf-tools'
import { testSealFont } from '../../support/seal-fixtures'

jest.setTimeout(240_000)

const ROOT = join(__dirname, '../../..')
const FIXTURES = join(ROOT, 'test/fixtures/pdf')
const CLI = join(ROOT, 'bin/esign.js')
const DPI = 144 // 2 px per point
const S = DPI / 72

let pki: PdfTestPki
let dir: string

beforeAll(async () => {
  requireTools('pdftoppm', 'pdfsig', 'qpdf', 'pdffonts')
  pki = await createPdfTestPki()
  dir = tempDir('qianyue-seal-place-')
})
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }))

function pageHeight(pdf: Uint8Array): number {
  const r = PdfReader.open(pdf)
  const box = r.inherited(r.dictAt(r.pageRef(0)) as PdfDict, 'MediaBox') as number[]
  return box[3]! - box[1]!
}

/** Red pixels inside the PDF rectangle [x, y, w, h] (points) and in the rest of the rendered page, and the centroid of the inside ones. */
function redAround(png: PNG, pdfHeight: number, [x, y, w, h]: number[]) {
  const box = [x! * S, (pdfHeight - (y! + h!)) * S, (x! + w!) * S, (pdfHeight - y!) * S] as const
  const inside = countRedPixels(png, ...box)
  const total = countRedPixels(png, 0, 0, png.width, png.height)
  let sx = 0
  let sy = 0
  let n = 0
  for (let py = Math.floor(box[1]); py < Math.ceil(box[3]); py++) {
    for (let px = Math.floor(box[0]); px < Math.ceil(box[2]); px++) {
      const i = (py * png.width + px) * 4
      if (png.data[i]! > 150 && png.data[i + 1]! < 110 && png.data[i + 2]! < 110) {
        sx += px
        sy += py
        n++
      }
    }
  }
  return { inside, outside: total - inside, centroid: [sx / n / S, pdfHeight - sy / n / S] }
}

const SPEC = { kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '合同专用章', code: '3101150012345' } as const

describe('a generated seal placed by the signing engine', () => {
  it('vector appearance: renders at the field rectangle, text in an embedded subset font, signature valid', async () => {
    // Prepare
    const font = testSealFont()
    const drawing = generateSeal(SPEC, font)
    if (!drawing.ok) throw new Error(drawing.error.message)
    const original = readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))
    const rect = [360, 80, 140, 140]

    // Act
    const { signer } = await pki.issue('上海示例信息技术有限公司')
    const { maxCmsSize } = await import('../../../cloud-functions/core/signing/build-cms-signed-data')
    const { signPdf } = await import('../../../cloud-functions/core/signing/sign-pdf')
    const sealed = await signPdf(original, {
      signer,
      tsa: pki.tsa,
      contentsSize: maxCmsSize(await signer.certificateChain(), true),
      signingTime: new Date(),
      signerName: '上海示例信息技术有限公司',
      placement: { page: 0, rect: rect as [number, number, number, number] },
      appearance: createSealAppearance({ drawing: drawing.value, font }),
    })
    const file = join(dir, 'vector.pdf')
    writeFileSync(file, sealed.toBytes())

    // Assess
    expect(pdfsig(file).signatures.map((s) => s.status)).toEqual(['Signature is Valid.'])
    expect(qpdfCheck(file).ok).toBe(true)
    expect(run('pdffonts', [file])).toMatch(/[A-Z]{6}\+NotoSansSC-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
    const png = renderPage(file, 1, DPI, dir)
    const red = redAround(png, pageHeight(original), rect)
    expect(red.inside).toBeGreaterThan(4000)
    expect(red.outside).toBeLessThan(20)
    // The seal is centred in the field.
    expect(Math.abs(red.centroid[0]! - (rect[0]! + rect[2]! / 2))).toBeLessThan(6)
    expect(Math.abs(red.centroid[1]! - (rect[1]! + rect[3]! / 2))).toBeLessThan(6)
  })

  it('print-resolution PNG through the engine’s image appearance: renders inside the field rectangle', async () => {
    const font = testSealFont()
    const drawing = generateSeal(SPEC, font)
    if (!drawing.ok) throw new Error(drawing.error.message)
    const seal = drawingToPng(drawing.value, font, 20)
    const original = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    const rect = [80, 120, 160, 180]
    const signed = await signAs(pki, original, '李四', { placement: { page: 0, rect: rect as [number, number, number, number] }, appearance: { seal } })
    const file = join(dir, 'png.pdf')
    writeFileSync(file, signed)
    expect(pdfsig(file).signatures.map((s) => s.status)).toEqual(['Signature is Valid.'])
    const red = redAround(renderPage(file, 1, DPI, dir), pageHeight(original), rect)
    expect(red.inside).toBeGreaterThan(4000)
    expect(red.outside).toBeLessThan(20)
  })
})

describe('esign seal → esign sign --seal', () => {
  beforeAll(() => {
    const built = join(ROOT, 'build/cloud-functions/cli/seal-command.js')
    const sources = ['cloud-functions/cli/seal-command.ts', 'cloud-functions/cli/commands.ts', 'cloud-functions/core/seals/generate-seal.ts', 'cloud-functions/core/seals/rasterise.ts']
    const stale = !existsSync(built) || sources.some((s) => statSync(join(ROOT, s)).mtimeMs > statSync(built).mtimeMs)
    // Same command as `npm run build:server`; type errors elsewhere in the tree do not block emit.
    if (stale) spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'ignore' })
    if (!existsSync(built)) throw new Error('build/ has no seal-command.js: run "npx tsc -p tsconfig.server.json"')
  })

  const esign = (args: string[]) => spawnSync('node', [CLI, ...args], { cwd: dir, env: { ...process.env, ESIGN_DATA_DIR: join(dir, 'esign-data') }, encoding: 'utf8', timeout: 120_000 })

  it('the generated seal shows at the --rect position of the signed PDF, and the signature is valid', () => {
    // Prepare: the seal, as an operator would draw it.
    const made = esign(['seal', '-o', 'seal.png', '--kind', 'round', '--name', SPEC.companyName, '--type', '合同专用章', '--code', SPEC.code, '--pdf', 'seal.pdf'])
    expect({ status: made.status, stderr: made.stderr }).toEqual({ status: 0, stderr: '' })
    const again = esign(['seal', '-o', 'seal2.png', '--kind', 'round', '--name', SPEC.companyName, '--type', '合同专用章', '--code', SPEC.code])
    expect(again.status).toBe(0)
    expect(readFileSync(join(dir, 'seal.png')).equals(readFileSync(join(dir, 'seal2.png')))).toBe(true)
    expect(readFileSync(join(dir, 'seal.pdf')).subarray(0, 5).toString()).toBe('%PDF-')

    // Act
    const rect = [330, 90, 180, 180]
    const signed = esign(['sign', join(FIXTURES, 'labor-libreoffice.pdf'), '-o', 'signed.pdf', '--signer', '张三', '--seal', 'seal.png', '--page', '1', '--rect', rect.join(',')])

    // Assess
    expect({ status: signed.status, stderr: signed.stderr }).toEqual({ status: 0, stderr: '' })
    const file = join(dir, 'signed.pdf')
    expect(pdfsig(file).signatures.map((s) => s.status)).toEqual(['Signature is Valid.'])
    const red = redAround(renderPage(file, 1, DPI, dir), pageHeight(readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))), rect)
    expect(red.inside).toBeGreaterThan(4000)
    expect(red.outside).toBeLessThan(20)
    // Horizontally centred in the field (the name and date lines sit below the seal).
    expect(Math.abs(red.centroid[0]! - (rect[0]! + rect[2]! / 2))).toBeLessThan(6)
  })

  it('refuses text the seal cannot carry, writing nothing', () => {
    const r = esign(['seal', '-o', 'bad.png', '--kind', 'round', '--name', '甲', '--type', '公章'])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^esign seal: /)
    expect(existsSync(join(dir, 'bad.png'))).toBe(false)
  })
})
