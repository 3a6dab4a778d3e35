import { getContainer } from '../../runtime/bootstrap'
import { withContractServices } from '../../runtime/services'
import { expireContracts } from '../../use-cases/contracts/expire-contracts'
import { sendDueReminders } from '../../use-cases/notifications/send-due-reminders'

/** The scheduled tick (EventBridge every minute in AWS; an in-process timer in the local server). */
export async function handler(): Promise<{ due: number }> {
  const deps = await getContainer()
  return runRemindersTick(deps)
}

export async function runRemindersTick(deps: Awaited<ReturnType<typeof getContainer>>): Promise<{ due: number; expired: number }> {
  const services = await withContractServices(deps)
  // Contracts past their deadline end as `expired` (their parties are told); then the due reminders go.
  const { expired } = await expireContracts(services)
  const reminders = await sendDueReminders(services)
  const due = reminders.sent + reminders.dropped + reminders.failed
  deps.logger.info({ due, ...reminders, expired: expired.length }, 'reminders tick')
  return { due, expired: expired.length }
}
