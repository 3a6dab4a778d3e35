import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { documentObjectKey } from '../documents/records'
import { findContract, loadCaller } from './find-contract'
import { revisionObjectKey } from './records'

/**
 * The contract's PDF for its sender or a party: `current` — the newest revision (the completion
 * revision once completed; before sending, the upload), or `original` — the file as uploaded.
 */
export async function getContractPdf(
  deps: { metadata: MetadataStore; objects: ObjectStore },
  input: { userId: string; contractId: string; version: 'current' | 'original' },
): Promise<Result<{ bytes: Uint8Array; fileName: string; sha256: string }>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const item = found.value
  const c = item.contract
  const current = item.finalSha256 ?? c.document.latestSha256
  const sha256 = input.version === 'original' || !current ? c.document.originalSha256 : current
  const bytes = await deps.objects.get(sha256 === c.document.originalSha256 ? documentObjectKey(sha256) : revisionObjectKey(c.contractId, sha256))
  if (!bytes) return err('DOCUMENT_NOT_FOUND', '合同文件不存在')
  const suffix = input.version === 'original' ? '（原件）' : c.status === 'completed' ? '（已签署）' : ''
  return ok({ bytes, sha256, fileName: `${c.title}${suffix}.pdf` })
}
