import { applyCommand } from '../../core/contracts/apply-command'
import { commitTransition } from './commit-transition'
import type { ContractDeps } from './deps'
import { notifyParties } from './notify-parties'
import { listExpiredContracts, loadContractItem } from './records'

/**
 * The scheduled tick's part for contracts: every sent contract whose deadline has passed becomes
 * `expired` (at most `limit` per tick), and its parties are told. A contract that changed meanwhile
 * (signed at the last second) is left for the state machine to decide on the next tick.
 */
export async function expireContracts(deps: ContractDeps, limit = 100): Promise<{ expired: string[] }> {
  const now = deps.clock.now()
  const expired: string[] = []
  for (const contractId of await listExpiredContracts(deps.metadata, now, limit)) {
    const item = await loadContractItem(deps.metadata, contractId)
    if (!item) continue
    const t = applyCommand(item.contract, { type: 'expire' }, now)
    if (!t.ok) continue
    const committed = await commitTransition(deps, item, { contract: t.value.contract }, t.value.events, now)
    if (!committed.ok) continue
    expired.push(contractId)
    await notifyParties(deps, committed.value, t.value.events)
  }
  if (expired.length) deps.logger.info({ expired: expired.length }, 'contracts expired')
  return { expired }
}
