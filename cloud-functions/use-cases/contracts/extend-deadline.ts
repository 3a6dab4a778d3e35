import type { ContractView } from '../../api/contracts.types'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { applyCommand } from '../../core/contracts/apply-command'
import { reminderRulesOf } from '../../core/contracts/reminder-schedule'
import { whoseTurn } from '../../core/contracts/signing-turn'
import { err, ok, type Result } from '../../core/shared/result'
import { rescheduleDeadlineReminders } from '../notifications/schedule-reminders'
import { commitTransition } from './commit-transition'
import { toContractView } from './contract-view'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'

/**
 * 延期: the sender moves a sent contract's deadline later before it passes. The signing links follow
 * (they work while the contract is live, which now lasts longer), and so does the "24 h before the
 * deadline" reminder of each party whose turn it is.
 */
export async function extendDeadline(deps: ContractDeps, input: { userId: string; contractId: string; deadline: string; request?: EvidenceContext }): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await findContract(deps.metadata, input.contractId, caller)
    if (!found.ok) return found
    const item = found.value
    const now = deps.clock.now()
    const t = applyCommand(item.contract, { type: 'extend-deadline', by: input.userId, deadline: input.deadline }, now)
    if (!t.ok) return t
    const committed = await commitTransition(deps, item, { contract: t.value.contract }, t.value.events, now, [], { context: input.request ?? { actor: `user:${input.userId}` } })
    if (!committed.ok) continue
    const c = committed.value.contract
    deps.logger.info({ userId: input.userId, contractId: c.contractId }, 'contract deadline extended')
    await rescheduleDeadlineReminders(deps.metadata, { contractId: c.contractId, partyIds: whoseTurn(c), now, deadline: c.deadline, beforeDeadlineHours: reminderRulesOf(c).beforeDeadlineHours })
    return ok(toContractView(committed.value, caller, now))
  }
  return err('CONFLICT', '合同正在被修改，请稍后重试')
}
