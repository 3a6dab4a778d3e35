import type { DocumentView } from '../../api/documents.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { isDocumentId, toView } from './upload-document'
import { documentKey, documentObjectKey } from './records'

/** A document's record, with a download link valid for `linkSeconds`. */
export async function getDocument(
  deps: { objects: ObjectStore; metadata: MetadataStore },
  input: { id: string; linkSeconds?: number },
): Promise<Result<DocumentView>> {
  if (!isDocumentId(input.id)) return err('VALIDATION_FAILED', '文档编号格式不正确（应为 64 位十六进制）', { field: 'id' })
  const item = await deps.metadata.get(documentKey(input.id).pk, documentKey(input.id).sk)
  if (!item) return err('DOCUMENT_NOT_FOUND', '文档不存在')
  const downloadUrl = await deps.objects.presignGet(documentObjectKey(input.id), input.linkSeconds ?? 900)
  return ok({ ...toView(item), downloadUrl })
}

/** A document's bytes. */
export async function getDocumentContent(
  deps: { objects: ObjectStore; metadata: MetadataStore },
  input: { id: string },
): Promise<Result<{ bytes: Uint8Array; fileName: string }>> {
  const doc = await getDocument(deps, { id: input.id })
  if (!doc.ok) return doc
  const bytes = await deps.objects.get(documentObjectKey(input.id))
  if (!bytes) return err('DOCUMENT_NOT_FOUND', '文档内容不存在')
  return ok({ bytes, fileName: doc.value.fileName })
}
