import { err, ok, type Result } from '../../core/shared/result'
import type { Item, MetadataStore } from '../../ports/metadata-store'
import { documentKey } from './records'
import { isDocumentId } from './upload-document'

/** Whether `userId` may read and rename the document: its owner (the parties of contracts that use it, once contracts exist). */
export function canAccessDocument(item: Item, userId: string): boolean {
  return typeof item.ownerId === 'string' && item.ownerId === userId
}

/**
 * The document record `id` if `userId` may access it. A missing record and someone else's
 * document are the same `DOCUMENT_NOT_FOUND` (404): nothing tells another user that the id exists.
 * A malformed id is `VALIDATION_FAILED` for everyone.
 */
export async function findAccessibleDocument(deps: { metadata: MetadataStore }, input: { id: string; userId: string }): Promise<Result<Item>> {
  if (!isDocumentId(input.id)) return err('VALIDATION_FAILED', '文档编号格式不正确（应为 32 位十六进制）', { field: 'id' })
  const { pk, sk } = documentKey(input.id)
  const item = await deps.metadata.get(pk, sk)
  if (!item || !canAccessDocument(item, input.userId)) return err('DOCUMENT_NOT_FOUND', '文档不存在')
  return ok(item)
}
