import type { BatchPreview, BatchPreviewItem } from '../../api/contracts.types'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { needsFilling, NEEDS_FILLING_MESSAGE } from './batch-fields'
import type { ContractDeps } from './deps'
import { loadContractItem } from './records'
import { viewContract } from './view-contract'

/**
 * `POST /api/contracts/batch-sign/preview`: the chosen contracts as the batch page shows them. Each
 * is opened as the signer opens one (`viewContract`: the party bound to the account, `viewed`
 * recorded), then judged: the caller's turn to sign, and no field they must fill (those are signed
 * one by one). A ready item carries the party and the prepared document's hash the batch intent
 * names. A contract the caller may not see is `CONTRACT_NOT_FOUND` in its item.
 */
export async function previewBatchSign(deps: ContractDeps, input: { userId: string; contractIds: readonly string[]; request?: EvidenceContext }): Promise<BatchPreview> {
  const items: BatchPreviewItem[] = []
  for (const contractId of input.contractIds) {
    const viewed = await viewContract(deps, { userId: input.userId, contractId, ...(input.request ? { request: input.request } : {}) })
    if (!viewed.ok) {
      items.push({ contractId, ready: false, error: { code: viewed.error.code, message: viewed.error.message } })
      continue
    }
    const v = viewed.value
    const party = v.parties.find((p) => p.partyId === v.me.partyId)
    const base: BatchPreviewItem = {
      contractId,
      title: v.title,
      senderName: v.senderCompanyName ?? v.senderName,
      deadline: v.deadline,
      ready: false,
      ...(party ? { signerId: party.partyId, partyKind: party.kind, ...(party.companyId ? { companyId: party.companyId } : {}) } : {}),
      ...(v.document.preparedSha256 ? { documentHash: v.document.preparedSha256 } : {}),
    }
    if (!party || party.role !== 'signer') items.push({ ...base, error: { code: 'FORBIDDEN', message: '您不是该合同的签署方' } })
    else if (v.status !== 'sent') items.push({ ...base, error: { code: 'CONTRACT_CLOSED', message: '合同已结束，不能签署' } })
    else if (!v.me.canSign) items.push({ ...base, error: { code: 'NOT_YOUR_TURN', message: '还未轮到您签署，或您已签署' } })
    else {
      const item = await loadContractItem(deps.metadata, contractId)
      if (item && needsFilling(item.contract, party.partyId)) items.push({ ...base, error: { code: 'FIELD_VALUE_INVALID', message: NEEDS_FILLING_MESSAGE } })
      else items.push({ ...base, ready: true })
    }
  }
  return { items }
}
