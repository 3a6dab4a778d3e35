import { getContainer } from '../../runtime/bootstrap'
import { withContractServices } from '../../runtime/services'
import { expireContracts } from '../../use-cases/contracts/expire-contracts'
import { findDueReminders } from '../../use-cases/notifications/find-due-reminders'

/** The scheduled tick (EventBridge every minute in AWS; an in-process timer in the local server). */
export async function handler(): Promise<{ due: number }> {
  const deps = await getContainer()
  return runRemindersTick(deps)
}

export async function runRemindersTick(deps: Awaited<ReturnType<typeof getContainer>>): Promise<{ due: number; expired: number }> {
  const due = await findDueReminders(deps)
  // Contracts past their deadline end as `expired` (their parties are told).
  const { expired } = await expireContracts(await withContractServices(deps))
  deps.logger.info({ due: due.length, expired: expired.length }, 'reminders tick')
  return { due: due.length, expired: expired.length }
}
