import type { DocumentView } from '../../api/documents.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { findAccessibleDocument } from './document-access'
import { toView } from './upload-document'
import { documentObjectKey } from './records'

/** A document's record, with a download link valid for `linkSeconds`; `DOCUMENT_NOT_FOUND` unless `userId` may access it. */
export async function getDocument(
  deps: { objects: ObjectStore; metadata: MetadataStore },
  input: { id: string; userId: string; linkSeconds?: number },
): Promise<Result<DocumentView>> {
  const item = await findAccessibleDocument(deps, input)
  if (!item.ok) return item
  const downloadUrl = await deps.objects.presignGet(documentObjectKey(String(item.value.sha256)), input.linkSeconds ?? 900)
  return ok({ ...toView(item.value), downloadUrl })
}

/** A document's bytes; `DOCUMENT_NOT_FOUND` unless `userId` may access it. */
export async function getDocumentContent(
  deps: { objects: ObjectStore; metadata: MetadataStore },
  input: { id: string; userId: string },
): Promise<Result<{ bytes: Uint8Array; fileName: string }>> {
  const item = await findAccessibleDocument(deps, input)
  if (!item.ok) return item
  const bytes = await deps.objects.get(documentObjectKey(String(item.value.sha256)))
  if (!bytes) return err('DOCUMENT_NOT_FOUND', '文档内容不存在')
  return ok({ bytes, fileName: String(item.value.fileName) })
}
