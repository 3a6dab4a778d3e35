import { err, ok, type Result } from '../../core/shared/result'
import { documentObjectKey } from '../documents/records'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { appendEvidence } from '../evidence/append-evidence'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'
import { revisionObjectKey } from './records'
import { completeContract } from './sign-contract'

/**
 * The contract's PDF for its sender or a party: `current` — the newest revision (the completion
 * revision once completed; before sending, the upload), or `original` — the file as uploaded.
 * A completed contract without its completion revision (the process died between recording the
 * last signature and the LTV step, or that step failed) gets it now, before the file is served.
 */
export async function getContractPdf(
  deps: ContractDeps,
  input: { userId: string; contractId: string; version: 'current' | 'original'; request?: EvidenceContext },
): Promise<Result<{ bytes: Uint8Array; fileName: string; sha256: string }>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  let item = found.value
  if (item.contract.status === 'completed' && !item.finalSha256 && input.version === 'current') item = await completeContract(deps, item)
  const c = item.contract
  const current = item.finalSha256 ?? c.document.latestSha256
  const sha256 = input.version === 'original' || !current ? c.document.originalSha256 : current
  const bytes = await deps.objects.get(sha256 === c.document.originalSha256 ? documentObjectKey(sha256) : revisionObjectKey(c.contractId, sha256))
  if (!bytes) return err('DOCUMENT_NOT_FOUND', '合同文件不存在')
  // Drafts are the sender's own working copy; from sending on, each download is evidence.
  if (c.status !== 'draft') {
    const recorded = await appendEvidence(deps, { event: { type: 'document.downloaded', data: { contractId: c.contractId, documentHash: sha256, version: input.version } }, at: deps.clock.now(), context: input.request ?? { actor: `user:${input.userId}` } })
    if (!recorded.ok) return recorded
  }
  const suffix = input.version === 'original' ? '（原件）' : c.status === 'completed' ? '（已签署）' : ''
  return ok({ bytes, sha256, fileName: `${c.title}${suffix}.pdf` })
}
