import { clampToPage, displayHeight, freeSpot, guessPageSize, overlaps, hitTest, pngSize, insidePage, moveByPixels, pixelsToPoints, pointsToPixels, rectAt } from '@/components/field-placer/geometry'

const A4 = { width: 595.28, height: 841.89 }

describe('field placement: image pixels ↔ PDF points (origin bottom-left, y up)', () => {
  it('a box at the top-left corner of the image is at the top of the page in points', () => {
    // Shown 343 px wide (a 375-px phone less the padding): 595.28 / 343 points per pixel.
    const rect = pixelsToPoints({ left: 0, top: 0, width: 343, height: 10 }, A4, 343)
    expect(rect[0]).toBe(0)
    expect(rect[2]).toBeCloseTo(595.28, 2)
    // The box's bottom edge is 10 px down: y = 841.89 − 10 × 595.28 / 343.
    expect(rect[1]).toBeCloseTo(841.89 - (10 * 595.28) / 343, 1)
    expect(rect[3]).toBeCloseTo((10 * 595.28) / 343, 1)
  })

  it('a box at the bottom-left of the image has y = 0', () => {
    const h = displayHeight(A4, 343)
    const rect = pixelsToPoints({ left: 0, top: h - 20, width: 40, height: 20 }, A4, 343)
    expect(rect[1]).toBeCloseTo(0, 1)
  })

  it('points → pixels → points gives the same rectangle, at any display width', () => {
    for (const width of [343, 688, 750]) {
      const rect: [number, number, number, number] = [72, 100, 120, 50]
      const back = pixelsToPoints(pointsToPixels(rect, A4, width), A4, width)
      back.forEach((v, i) => expect(v).toBeCloseTo(rect[i]!, 1))
    }
  })

  it('a landscape page keeps its own proportions', () => {
    const landscape = { width: 841.89, height: 595.28 }
    expect(displayHeight(landscape, 688)).toBeCloseTo((688 * 595.28) / 841.89, 5)
    const box = pointsToPixels([0, 0, 841.89, 595.28], landscape, 688)
    expect(box.width).toBeCloseTo(688, 5)
    expect(box.height).toBeCloseTo(displayHeight(landscape, 688), 5)
    expect(box.top).toBeCloseTo(0, 5)
  })

  it('a new field is centred on the tapped pixel and clamped into the page near an edge', () => {
    const centred = rectAt({ x: 171.5, y: displayHeight(A4, 343) / 2 }, { width: 120, height: 50 }, A4, 343)
    expect(centred[0] + centred[2] / 2).toBeCloseTo(A4.width / 2, 1)
    expect(centred[1] + centred[3] / 2).toBeCloseTo(A4.height / 2, 1)
    const corner = rectAt({ x: 0, y: 0 }, { width: 120, height: 50 }, A4, 343)
    expect(corner).toEqual([0, 791.89, 120, 50])
    expect(insidePage(corner, A4)).toBe(true)
  })

  it('dragging right and down moves the field right and down the page (y decreases), never off the page', () => {
    const start: [number, number, number, number] = [100, 400, 120, 50]
    const moved = moveByPixels(start, 10, 20, A4, 343)
    expect(moved[0]).toBeCloseTo(100 + (10 * A4.width) / 343, 1)
    expect(moved[1]).toBeCloseTo(400 - (20 * A4.width) / 343, 1)
    expect(moved.slice(2)).toEqual([120, 50])
    const far = moveByPixels(start, 10_000, 10_000, A4, 343)
    expect(far).toEqual([A4.width - 120, 0, 120, 50])
    expect(insidePage(far, A4)).toBe(true)
  })

  it('clampToPage keeps a rectangle larger than the page inside it; insidePage rejects one that sticks out', () => {
    expect(clampToPage([-50, -50, 1000, 1000], A4)).toEqual([0, 0, 595.28, 841.89])
    expect(insidePage([500, 10, 120, 50], A4)).toBe(false)
    expect(insidePage([0, 800, 100, 50], A4)).toBe(false)
  })

  it('hitTest finds a tap inside a signature widget and misses one beside it', () => {
    const rect: [number, number, number, number] = [300, 100, 120, 60]
    const box = pointsToPixels(rect, A4, 343)
    expect(hitTest({ x: box.left + 5, y: box.top + 5 }, rect, A4, 343)).toBe(true)
    expect(hitTest({ x: box.left - 5, y: box.top + 5 }, rect, A4, 343)).toBe(false)
  })

  it('a draft page without a reported size: paper size from the image proportions, either orientation; A4 width otherwise', () => {
    expect(guessPageSize(750, 1061)).toEqual({ width: 595.28, height: 841.89 })
    expect(guessPageSize(750, 530)).toEqual({ width: 841.89, height: 595.28 })
    expect(guessPageSize(750, 971)).toEqual({ width: 612, height: 792 })
    expect(guessPageSize(750, 750)).toEqual({ width: 595.28, height: 595.28 })
  })

  it('reads a PNG’s size from its header and refuses what is not a PNG', () => {
    const png = new Uint8Array(24)
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x02, 0xee, 0, 0, 0x04, 0x25])
    expect(pngSize(png)).toEqual({ width: 750, height: 1061 })
    expect(pngSize(Uint8Array.from('{"error":{"code":"PAGE_OUT_OF_RANGE"}}', (ch) => ch.charCodeAt(0)))).toBeUndefined()
  })

  it('a new field goes near the middle of the page, clear of the fields already there', () => {
    const first = freeSpot({ width: 120, height: 50 }, [], A4)
    expect(insidePage(first, A4)).toBe(true)
    expect(Math.abs(first[0] + 60 - A4.width / 2)).toBeLessThan(12)
    const second = freeSpot({ width: 119, height: 119 }, [first], A4)
    expect(overlaps(second, first)).toBe(false)
    expect(insidePage(second, A4)).toBe(true)
    expect(overlaps([0, 0, 10, 10], [10, 0, 10, 10])).toBe(false)
    expect(overlaps([0, 0, 10, 10], [9, 9, 10, 10])).toBe(true)
  })
})
