import type { DocumentView } from '../../api/documents.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { findAccessibleDocument } from './document-access'
import { cleanFileName, toView } from './upload-document'

/**
 * Rename a document (its owner only; `DOCUMENT_NOT_FOUND` for anyone else). Read-modify-write under optimistic concurrency: the write only lands if the
 * record still has the version that was read (or the caller's `expectedVersion`), so two
 * concurrent renames never silently overwrite each other — the loser gets `CONFLICT`.
 */
export async function renameDocument(
  deps: { metadata: MetadataStore },
  input: { id: string; userId: string; fileName: string; expectedVersion?: number },
): Promise<Result<DocumentView>> {
  const found = await findAccessibleDocument(deps, input)
  if (!found.ok) return found
  const name = cleanFileName(input.fileName)
  if (!name.ok) return name
  const current = found.value
  const expectedVersion = input.expectedVersion ?? current.version
  if (expectedVersion !== current.version) return err('CONFLICT', `文档已被修改（当前版本 ${current.version}），请刷新后重试`)
  const { version: _old, ...rest } = current
  const written = await deps.metadata.put({ ...rest, fileName: name.value }, { expectedVersion })
  if (!written.ok) return err('CONFLICT', '文档已被其他请求修改，请刷新后重试')
  return ok(toView({ ...current, fileName: name.value, version: expectedVersion + 1 }))
}
