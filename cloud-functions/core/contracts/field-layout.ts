import { err, ok, type Result } from '../shared/result'
import type { DisplayRect, Field, PageSize, SignedArea } from './contract'

/** Where a field lies: one rectangle, or one strip per page for a cross-page seal (骑缝章). */
export type FieldArea = { fieldId: string; partyId: string; page: number; rect: DisplayRect }

/** Rounding slack for coordinates that come from a client's pixel maths (points). */
const EPSILON = 1e-6

/**
 * The rectangles a field occupies given the pages' displayed sizes. A cross-page seal is cut into
 * `pages.length` strips of `size / n` points at the right edge of every page, at height `y` or
 * vertically centred — the way `prepareDocument` lays out `crossPageSeal`.
 */
export function fieldAreas(f: Field, pages: readonly PageSize[]): FieldArea[] {
  if (f.kind !== 'cross-page-seal') return [{ fieldId: f.fieldId, partyId: f.partyId, page: f.page, rect: f.rect }]
  const strip = f.size / Math.max(1, pages.length)
  return pages.map((p, page) => ({ fieldId: f.fieldId, partyId: f.partyId, page, rect: [p.width - strip, f.y ?? (p.height - f.size) / 2, strip, f.size] as DisplayRect }))
}

/** Whether two rectangles share area (touching edges do not overlap). */
export function rectsOverlap(a: DisplayRect, b: DisplayRect): boolean {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0])
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1])
  return w > EPSILON && h > EPSILON
}

function insidePage(r: DisplayRect, p: PageSize): boolean {
  const [x, y, w, h] = r
  if (![x, y, w, h].every(Number.isFinite) || w <= 0 || h <= 0) return false
  return x >= -EPSILON && y >= -EPSILON && x + w <= p.width + EPSILON && y + h <= p.height + EPSILON
}

/**
 * Checks the fields' placement against the document: every field on an existing page and wholly
 * inside it (`FIELD_OFF_PAGE`), no two fields sharing area (`FIELDS_OVERLAP`), none over a rectangle
 * an earlier signature already covers (`FIELD_OVERLAPS_SIGNED_AREA`). The first problem found is
 * returned, with the field ids in `details`.
 */
export function checkFieldLayout(
  fields: readonly Field[],
  pages: readonly PageSize[],
  signedAreas: readonly SignedArea[] = [],
): Result<FieldArea[]> {
  if (pages.length === 0) return err('CONTRACT_INVALID', '文档没有页面')
  const areas: FieldArea[] = []
  for (const f of fields) {
    if (f.kind === 'cross-page-seal') {
      if (pages.length < 2) return err('CONTRACT_INVALID', '骑缝章需要文档至少有两页', { fieldId: f.fieldId })
      if (!Number.isFinite(f.size) || (f.y !== undefined && !Number.isFinite(f.y)) || f.size <= 0) return err('FIELD_OFF_PAGE', '骑缝章的大小或位置不正确', { fieldId: f.fieldId })
    } else if (!Number.isInteger(f.page) || f.page < 0 || f.page >= pages.length) {
      return err('FIELD_OFF_PAGE', `第 ${Number(f.page) + 1} 页不存在（文档共 ${pages.length} 页）`, { fieldId: f.fieldId, page: f.page })
    }
    for (const a of fieldAreas(f, pages)) {
      if (!insidePage(a.rect, pages[a.page])) {
        return err('FIELD_OFF_PAGE', `签署位置超出了第 ${a.page + 1} 页的范围`, { fieldId: f.fieldId, page: a.page, rect: a.rect, pageSize: pages[a.page] })
      }
      areas.push(a)
    }
  }
  for (let i = 0; i < areas.length; i++) {
    for (let j = i + 1; j < areas.length; j++) {
      const a = areas[i]
      const b = areas[j]
      if (a.page === b.page && a.fieldId !== b.fieldId && rectsOverlap(a.rect, b.rect)) {
        return err('FIELDS_OVERLAP', `第 ${a.page + 1} 页上的两个签署位置重叠`, { fieldIds: [a.fieldId, b.fieldId], page: a.page })
      }
    }
  }
  for (const a of areas) {
    const hit = signedAreas.find((s) => s.page === a.page && rectsOverlap(s.rect, a.rect))
    if (hit) return err('FIELD_OVERLAPS_SIGNED_AREA', `第 ${a.page + 1} 页上的签署位置与已有的签名重叠`, { fieldId: a.fieldId, page: a.page, signedRect: hit.rect })
  }
  return ok(areas)
}
