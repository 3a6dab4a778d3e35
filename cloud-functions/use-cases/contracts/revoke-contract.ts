import type { ContractView } from '../../api/contracts.types'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { applyCommand } from '../../core/contracts/apply-command'
import { err, ok, type Result } from '../../core/shared/result'
import { commitTransition } from './commit-transition'
import { toContractView } from './contract-view'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'
import { notifyParties } from './notify-parties'

/** The sender revokes (撤销) a sent contract before it completes, or one waiting for approval, with a reason; every party of a sent one is told. */
export async function revokeContract(deps: ContractDeps, input: { userId: string; contractId: string; reason: string; request?: EvidenceContext }): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await findContract(deps.metadata, input.contractId, caller)
    if (!found.ok) return found
    const item = found.value
    const now = deps.clock.now()
    const t = applyCommand(item.contract, { type: 'revoke', by: input.userId, reason: input.reason }, now)
    if (!t.ok) return t
    const committed = await commitTransition(deps, item, { contract: t.value.contract }, t.value.events, now, [], { context: input.request ?? { actor: `user:${input.userId}` } })
    if (!committed.ok) continue
    deps.logger.info({ userId: input.userId, contractId: input.contractId }, 'contract revoked')
    // A contract still waiting for approval (审批中) never reached the parties: nothing to tell them.
    if (item.contract.status === 'sent') await notifyParties(deps, committed.value, t.value.events)
    return ok(toContractView(committed.value, caller, now))
  }
  return err('CONFLICT', '合同正在被修改，请稍后重试')
}
