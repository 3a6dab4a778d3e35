import type { PartySealRequest } from '../../api/contracts.types'
import type { MetadataStore } from '../../ports/metadata-store'
import { loadUser } from '../identity/records'
import { requestKey } from '../seals/records'
import { listPartySealRequests, type ContractItem } from './records'

/** 王五 → 王*: the requester's verified name, all but its first character hidden. */
const maskName = (name: string) => {
  const chars = Array.from(name)
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`
}

/**
 * The latest 用印申请 of each company party of the contract (raised when its member's sign answered
 * `awaiting-seal-approval`), by party id, as the contract view shows it. No read at all for a
 * contract without a company signer.
 */
export async function loadPartySealRequests(metadata: MetadataStore, item: ContractItem): Promise<Record<string, PartySealRequest>> {
  if (!item.contract.parties.some((p) => p.kind === 'company' && p.role === 'signer')) return {}
  const out: Record<string, PartySealRequest> = {}
  for (const pointer of await listPartySealRequests(metadata, item.contract.contractId)) {
    const key = requestKey(pointer.companyId, pointer.requestId)
    const request = await metadata.get(key.pk, key.sk)
    if (!request || request.contractId !== item.contract.contractId) continue
    const requester = await loadUser(metadata, String(request.requesterId))
    out[pointer.partyId] = {
      requestId: pointer.requestId,
      status: request.status === 'approved' || request.status === 'rejected' ? request.status : 'pending',
      requesterName: maskName(requester?.person?.name ?? ''),
      requestedAt: String(request.createdAt),
      ...(typeof request.decidedAt === 'string' ? { decidedAt: request.decidedAt } : {}),
    }
  }
  return out
}
