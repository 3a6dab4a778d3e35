import type { ContractView } from '../../api/contracts.types'
import { ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { toContractView } from './contract-view'
import { findContract, loadCaller } from './find-contract'
import { setArchived } from './records'

/**
 * Archive (归档) a contract for the caller only — it leaves their default lists and appears under
 * `archived=true` — or take it back out. For its sender or a party; doing it twice changes nothing.
 */
export async function archiveContract(deps: { metadata: MetadataStore; clock: Clock }, input: { userId: string; contractId: string; archived: boolean }): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const now = deps.clock.now()
  await setArchived(deps.metadata, input.userId, input.contractId, input.archived, now)
  return ok(toContractView(found.value, caller, now, { archived: input.archived }))
}
