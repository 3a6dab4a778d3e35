/**
 * checkFieldLayout against an independent oracle: on integer coordinates, two rectangles share area
 * iff they cover a common unit cell, and a rectangle is on its page iff every cell it covers is.
 * Random fields on random pages; the verdict must match the oracle's.
 */
import fc from 'fast-check'
import type { DisplayRect, Field, PageSize } from '../../../cloud-functions/core/contracts/contract'
import { checkFieldLayout } from '../../../cloud-functions/core/contracts/field-layout'

const page = fc.record({ width: fc.integer({ min: 4, max: 30 }), height: fc.integer({ min: 4, max: 30 }) })
const rect = fc.tuple(fc.integer({ min: -3, max: 30 }), fc.integer({ min: -3, max: 30 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))

function oracle(fields: Array<{ page: number; rect: DisplayRect }>, pages: PageSize[]): 'ok' | 'FIELD_OFF_PAGE' | 'FIELDS_OVERLAP' {
  for (const f of fields) {
    const [x, y, w, h] = f.rect
    if (f.page >= pages.length || x < 0 || y < 0 || x + w > pages[f.page].width || y + h > pages[f.page].height) return 'FIELD_OFF_PAGE'
  }
  const seen = new Set<string>()
  for (const f of fields) {
    const [x, y, w, h] = f.rect
    for (let i = x; i < x + w; i++) {
      for (let j = y; j < y + h; j++) {
        const cell = `${f.page}:${i}:${j}`
        if (seen.has(cell)) return 'FIELDS_OVERLAP'
        seen.add(cell)
      }
    }
  }
  return 'ok'
}

describe('checkFieldLayout — property', () => {
  it('accepts exactly the layouts the unit-cell oracle accepts', () => {
    fc.assert(
      fc.property(fc.array(page, { minLength: 1, maxLength: 3 }), fc.array(fc.record({ page: fc.nat({ max: 3 }), rect }), { maxLength: 6 }), (pages, placed) => {
        // Prepare
        const fields: Field[] = placed.map((p, i) => ({ fieldId: `f${i}`, partyId: 'A', kind: 'signature', page: p.page, rect: p.rect }))

        // Act
        const r = checkFieldLayout(fields, pages)

        // Assess
        expect(r.ok ? 'ok' : r.error.code).toBe(oracle(placed, pages))
      }),
      { numRuns: 2000 },
    )
  })
})
