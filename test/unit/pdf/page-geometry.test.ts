import { appearanceMatrix, displayRectToUser, displaySize, normalizeRotation, type PageGeometry } from '../../../cloud-functions/core/signing/page-geometry'

/** An A4 page whose crop box starts at (10, 20), rotated by `rotation`. */
const page = (rotation: 0 | 90 | 180 | 270): PageGeometry => {
  const box: [number, number, number, number] = [10, 20, 605, 862]
  const turned = rotation === 90 || rotation === 270
  return { box, rotation, width: turned ? 842 : 595, height: turned ? 595 : 842 }
}

/** Applies a PDF matrix [a b c d e f] to a point. */
const apply = (m: number[], [x, y]: [number, number]): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]

describe('page geometry (display space ↔ default user space)', () => {
  it('normalizes /Rotate values, including negative and over-full turns', () => {
    expect([0, 90, -90, 180, 270, 360, 450, -270, 33, undefined].map(normalizeRotation)).toEqual([0, 90, 270, 180, 270, 0, 90, 90, 0, 0])
  })

  it.each([
    // The display rect [20, 30, 100, 50] (bottom-left corner at 20, 30 as seen) in user space:
    [0, [30, 50, 130, 100]],
    // 90° clockwise: the display's bottom-left corner is the box's bottom-right one.
    [90, [605 - 30 - 50, 20 + 20, 605 - 30, 20 + 120]],
    [180, [605 - 120, 862 - 80, 605 - 20, 862 - 30]],
    [270, [10 + 30, 862 - 120, 10 + 80, 862 - 20]],
  ] as const)('maps a display rectangle on a page rotated %i°', (rotation, expected) => {
    expect(displayRectToUser(page(rotation), [20, 30, 100, 50])).toEqual(expected)
  })

  it.each([0, 90, 180, 270] as const)('the appearance matrix for %i° keeps the display x axis pointing right on screen', (rotation) => {
    const m = appearanceMatrix(rotation) ?? [1, 0, 0, 1, 0, 0]
    // The page is shown turned clockwise by `rotation`: turn the matrix's x axis the same way.
    const [x, y] = apply(m, [1, 0])
    const r = (-rotation * Math.PI) / 180
    const shown = [Math.round(x * Math.cos(r) - y * Math.sin(r)), Math.round(x * Math.sin(r) + y * Math.cos(r))]
    expect(shown).toEqual([1, 0])
    expect(displaySize([0, 0, 100, 40], rotation)).toEqual(rotation % 180 ? { width: 40, height: 100 } : { width: 100, height: 40 })
  })
})
