import { err, ok, type Result } from '../../core/shared/result'
import type { CpuWork } from '../../ports/cpu-work'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { findAccessibleDocument } from './document-access'
import { documentObjectKey, documentPageImageObjectKey } from './records'

export type DocumentPageImageDeps = { metadata: MetadataStore; objects: ObjectStore; cpu: Pick<CpuWork, 'renderPage'> }
export type DocumentPageImage = { png: Uint8Array; sha256: string; cached: boolean }

/** Page images are made in widths of whole hundreds (at most 2,000), as the contracts' page images. */
const WIDTH_STEP = 100

/**
 * One page (0-based) of the stored document with SHA-256 `sha256` as a PNG about `width` pixels
 * wide. Rendered once on the CPU pool and kept under `documentPageImageObjectKey`: the bytes never
 * change, so later requests are served from the store. Callers check access first.
 */
export async function renderDocumentPage(deps: DocumentPageImageDeps, input: { sha256: string; page: number; width: number }): Promise<Result<DocumentPageImage>> {
  const width = Math.min(2000, Math.ceil(input.width / WIDTH_STEP) * WIDTH_STEP)
  const key = documentPageImageObjectKey(input.sha256, input.page, width)
  const cached = await deps.objects.get(key)
  if (cached) return ok({ png: cached, sha256: input.sha256, cached: true })
  const pdf = await deps.objects.get(documentObjectKey(input.sha256))
  if (!pdf) return err('DOCUMENT_NOT_FOUND', '文档内容不存在')
  const image = await deps.cpu.renderPage(pdf, input.page, width)
  if (!image.ok) return image
  await deps.objects.put(key, image.value.png, { contentType: 'image/png' })
  return ok({ png: image.value.png, sha256: input.sha256, cached: false })
}

/** A page image of an uploaded document for its uploader (the template editor before the template exists); `DOCUMENT_NOT_FOUND` for anyone else. */
export async function getDocumentPageImage(deps: DocumentPageImageDeps, input: { userId: string; id: string; page: number; width: number }): Promise<Result<DocumentPageImage>> {
  const doc = await findAccessibleDocument(deps, { id: input.id, userId: input.userId })
  if (!doc.ok) return doc
  return renderDocumentPage(deps, { sha256: String(doc.value.sha256), page: input.page, width: input.width })
}
