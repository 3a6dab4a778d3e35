/**
 * Golden images for every seal kind and for handwriting (pixel comparison with a small tolerance;
 * regenerate with UPDATE_SEAL_GOLDEN=1), determinism to the byte, and an independent judge:
 * the vector PDF form rendered by poppler's pdftoppm matches our own rasteriser.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { generateSeal, type SealSpec } from '../../../cloud-functions/core/seals/generate-seal'
import { renderHandwriting } from '../../../cloud-functions/core/seals/handwriting'
import { drawingToPng } from '../../../cloud-functions/core/seals/rasterise'
import { drawingToPdf } from '../../../cloud-functions/core/seals/seal-pdf'
import { requireTools, run, tempDir } from '../../support/pdf-tools'
import { compareGolden, diffRatio, overWhite, sampleStrokes, testSealFont } from '../../support/seal-fixtures'

jest.setTimeout(60_000)

const PX_PER_MM = 8

const CASES: Array<[string, SealSpec]> = [
  ['round-gongzhang', { kind: 'company-round', companyName: '北京示例科技有限公司', sealType: '公章' }],
  ['round-contract-with-code', { kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '合同专用章', code: '3101150012345' }],
  ['round-finance-40-chars', { kind: 'company-round', companyName: '中华人民共和国某某省某某市某某区某某街道某某社区某某有限责任公司分公', sealType: '财务专用章', code: '1234567890123' }],
  ['round-two-chars', { kind: 'company-round', companyName: '腾讯', sealType: '公章' }],
  ['oval-finance', { kind: 'company-oval', companyName: '上海示例信息技术有限公司', sealType: '财务专用章', code: '3101150012345' }],
  ['personal-2x2', { kind: 'personal-square', name: '张三' }],
  ['personal-2x3', { kind: 'personal-square', name: '欧阳娜娜', layout: '2x3' }],
  ['legal-representative', { kind: 'legal-representative', name: '李四' }],
]

describe('seal generator golden images', () => {
  it.each(CASES)('%s matches its golden image', (name, spec) => {
    // Prepare
    const font = testSealFont()

    // Act
    const drawing = generateSeal(spec, font)
    if (!drawing.ok) throw new Error(drawing.error.message)
    const png = drawingToPng(drawing.value, font, PX_PER_MM)

    // Assess
    expect(compareGolden(name, png)).toBeLessThan(0.0005)
  })

  it('handwriting strokes match their golden image', () => {
    const drawing = renderHandwriting({ width: 320, height: 200, strokes: sampleStrokes() })
    if (!drawing.ok) throw new Error(drawing.error.message)
    expect(compareGolden('handwriting', drawingToPng(drawing.value, undefined, 10))).toBeLessThan(0.0005)
  })

  it('is deterministic: the same spec gives the same PNG and PDF bytes', () => {
    const font = testSealFont()
    const spec = CASES[1]![1]
    const a = generateSeal(spec, font)
    const b = generateSeal(spec, font)
    if (!a.ok || !b.ok) throw new Error('generation failed')
    expect(Buffer.from(drawingToPng(a.value, font, PX_PER_MM)).equals(Buffer.from(drawingToPng(b.value, font, PX_PER_MM)))).toBe(true)
    expect(Buffer.from(drawingToPdf(a.value, font)).equals(Buffer.from(drawingToPdf(b.value, font)))).toBe(true)
  })

  it('a golden comparison notices a different seal (the tolerance is not blind)', () => {
    const font = testSealFont()
    // Same size class would be needed for a comparison: draw the 合同专用章 spec with another code instead.
    const changed = generateSeal({ kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '合同专用章', code: '9999999999999' }, font)
    if (!changed.ok) throw new Error(changed.error.message)
    const golden = overWhite(PNG.sync.read(readFileSync(join(__dirname, '../../fixtures/seals/round-contract-with-code.png'))))
    const ratio = diffRatio(overWhite(PNG.sync.read(Buffer.from(drawingToPng(changed.value, font, PX_PER_MM)))), golden)
    expect(ratio).toBeGreaterThan(0.002)
  })
})

describe('vector form judged by pdftoppm', () => {
  let dir: string
  beforeAll(() => {
    requireTools('pdftoppm', 'pdffonts')
    dir = tempDir('qianyue-seal-')
  })
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }))

  it.each(CASES.filter(([name]) => ['round-contract-with-code', 'oval-finance', 'personal-2x3', 'legal-representative'].includes(name)))(
    '%s: the one-page vector PDF renders like the PNG preview, with the subset CJK font embedded',
    (name, spec) => {
      const font = testSealFont()
      const drawing = generateSeal(spec, font)
      if (!drawing.ok) throw new Error(drawing.error.message)
      const file = join(dir, `${name}.pdf`)
      writeFileSync(file, drawingToPdf(drawing.value, font, 0))
      run('pdftoppm', ['-r', String(PX_PER_MM * 25.4), '-png', '-singlefile', file, join(dir, name)])
      const rendered = PNG.sync.read(readFileSync(join(dir, `${name}.png`)))
      const ours = overWhite(PNG.sync.read(Buffer.from(drawingToPng(drawing.value, font, PX_PER_MM))))
      // pdftoppm may round the page size by one pixel: compare the common area.
      const w = Math.min(rendered.width, ours.width)
      const h = Math.min(rendered.height, ours.height)
      expect(Math.abs(rendered.width - ours.width)).toBeLessThanOrEqual(1)
      expect(Math.abs(rendered.height - ours.height)).toBeLessThanOrEqual(1)
      expect(diffRatio(cropTo(rendered, w, h), cropTo(ours, w, h))).toBeLessThan(0.01)
      expect(run('pdffonts', [file])).toMatch(/[A-Z]{6}\+NotoSansSC-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
    },
  )
})

function cropTo(png: PNG, w: number, h: number): PNG {
  const out = new PNG({ width: w, height: h })
  for (let y = 0; y < h; y++) png.data.copy(out.data, y * w * 4, y * png.width * 4, y * png.width * 4 + w * 4)
  return out
}
