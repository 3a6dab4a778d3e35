import type { ContractView } from '../../api/contracts.types'
import { ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { toContractView } from './contract-view'
import { findContract, loadCaller } from './find-contract'
import { loadPartySealRequests } from './load-party-seal-requests'
import { archiveKey } from './records'
import { loadRenewalChain } from './renewal-chain'

/** The contract's detail for its sender or one of its parties (`CONTRACT_NOT_FOUND` for anyone else), with the company parties' 用印申请 and its renewal chain (续签链). */
export async function getContract(deps: { metadata: MetadataStore; clock: Clock }, input: { userId: string; contractId: string }): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const archived = archiveKey(input.userId, input.contractId)
  const mark = await deps.metadata.get(archived.pk, archived.sk)
  const renewalChain = found.value.renewedFrom || found.value.renewedBy ? await loadRenewalChain(deps.metadata, found.value, caller) : undefined
  return ok(toContractView(found.value, caller, deps.clock.now(), { archived: !!mark, sealRequests: await loadPartySealRequests(deps.metadata, found.value), ...(renewalChain ? { renewalChain } : {}) }))
}
