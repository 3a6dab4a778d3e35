import type { DocumentView } from '../../api/documents.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { cleanFileName, isDocumentId, toView } from './upload-document'
import { documentKey } from './records'

/**
 * Rename a document. Read-modify-write under optimistic concurrency: the write only lands if the
 * record still has the version that was read (or the caller's `expectedVersion`), so two
 * concurrent renames never silently overwrite each other — the loser gets `CONFLICT`.
 */
export async function renameDocument(
  deps: { metadata: MetadataStore },
  input: { id: string; fileName: string; expectedVersion?: number },
): Promise<Result<DocumentView>> {
  if (!isDocumentId(input.id)) return err('VALIDATION_FAILED', '文档编号格式不正确（应为 64 位十六进制）', { field: 'id' })
  const name = cleanFileName(input.fileName)
  if (!name.ok) return name
  const { pk, sk } = documentKey(input.id)
  const current = await deps.metadata.get(pk, sk)
  if (!current) return err('DOCUMENT_NOT_FOUND', '文档不存在')
  const expectedVersion = input.expectedVersion ?? current.version
  if (expectedVersion !== current.version) return err('CONFLICT', `文档已被修改（当前版本 ${current.version}），请刷新后重试`)
  const { version: _old, ...rest } = current
  const written = await deps.metadata.put({ ...rest, fileName: name.value }, { expectedVersion })
  if (!written.ok) return err('CONFLICT', '文档已被其他请求修改，请刷新后重试')
  return ok(toView({ ...current, fileName: name.value, version: expectedVersion + 1 }))
}
