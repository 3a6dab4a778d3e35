import type { UpdateTemplateRequest } from '../../api/templates.types'
import { checkTemplateStructure } from '../../core/templates/template'
import { err, ok, type Result } from '../../core/shared/result'
import { findAccessibleDocument } from '../documents/document-access'
import { pagesOf } from '../contracts/create-contract'
import type { TemplateDeps } from './deps'

/**
 * A template's content as an admin submitted it: the document is theirs (an upload), roles and
 * fields agree, every field and placeholder is on an existing page and inside it. The document's
 * hash, file name and page sizes for the version record.
 */
export async function checkTemplateInput(deps: TemplateDeps, input: UpdateTemplateRequest & { userId: string }): Promise<Result<{ sha256: string; fileName: string; pages: { width: number; height: number }[] }>> {
  const structure = checkTemplateStructure(input)
  if (!structure.ok) return structure
  const doc = await findAccessibleDocument(deps, { id: input.documentId, userId: input.userId })
  if (!doc.ok) return doc
  const sha256 = String(doc.value.sha256)
  const pages = await pagesOf(deps, sha256)
  if (!pages.ok) return pages
  const boxes = [
    ...input.placeholders.map((p) => ({ what: `填写项「${p.key}」`, page: p.page, rect: p.rect })),
    ...input.fields.flatMap((f) => ('rect' in f ? [{ what: `签署位置「${f.fieldId}」`, page: f.page, rect: f.rect }] : [])),
  ]
  for (const b of boxes) {
    const size = pages.value[b.page]
    if (!size) return err('TEMPLATE_INVALID', `${b.what}所在的第 ${b.page + 1} 页不存在`)
    const [x, y, w, h] = b.rect
    if (x < 0 || y < 0 || x + w > size.width + 0.5 || y + h > size.height + 0.5) return err('TEMPLATE_INVALID', `${b.what}超出了第 ${b.page + 1} 页的范围`)
  }
  return ok({ sha256, fileName: String(doc.value.fileName ?? ''), pages: pages.value })
}
