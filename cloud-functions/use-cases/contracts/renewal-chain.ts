import type { RenewalLink } from '../../api/contracts.types'
import type { MetadataStore } from '../../ports/metadata-store'
import { canSee, type Caller } from './contract-view'
import { loadContractItem, type ContractItem } from './records'

/** How far the chain is followed each way (each step is one read). */
const MAX_STEPS = 20

const link = (item: ContractItem, current: boolean): RenewalLink => ({
  contractId: item.contract.contractId,
  title: item.contract.title,
  status: item.contract.status,
  ...(item.contract.validUntil ? { validUntil: item.contract.validUntil } : {}),
  createdAt: item.contract.createdAt,
  current,
})

/**
 * The renewal chain (续签链) `item` is in, oldest first: the contracts it renews (`renewedFrom`,
 * back) and those that renew it (`renewedBy`, forward), at most {@link MAX_STEPS} each way, only
 * those the caller may see (a contract they are not in is left out, and the chain stops there).
 */
export async function loadRenewalChain(metadata: MetadataStore, item: ContractItem, caller: Caller): Promise<RenewalLink[]> {
  const before: RenewalLink[] = []
  const seen = new Set([item.contract.contractId])
  let back = item.renewedFrom
  for (let i = 0; back && i < MAX_STEPS && !seen.has(back); i++) {
    seen.add(back)
    const previous = await loadContractItem(metadata, back)
    if (!previous || !canSee(previous, caller)) break
    before.unshift(link(previous, false))
    back = previous.renewedFrom
  }
  const after: RenewalLink[] = []
  let forward = item.renewedBy
  for (let i = 0; forward && i < MAX_STEPS && !seen.has(forward); i++) {
    seen.add(forward)
    const next = await loadContractItem(metadata, forward)
    if (!next || !canSee(next, caller)) break
    after.push(link(next, false))
    forward = next.renewedBy
  }
  return [...before, link(item, true), ...after]
}
