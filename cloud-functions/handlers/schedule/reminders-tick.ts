import { getContainer } from '../../runtime/bootstrap'
import { withContractServices } from '../../runtime/services'
import { expireContracts } from '../../use-cases/contracts/expire-contracts'
import { runDueRenewals } from '../../use-cases/notifications/run-due-renewals'
import { sendDueReminders } from '../../use-cases/notifications/send-due-reminders'

/** The scheduled tick (EventBridge every minute in AWS; an in-process timer in the local server). */
export async function handler(): Promise<{ due: number }> {
  const deps = await getContainer()
  return runRemindersTick(deps)
}

export async function runRemindersTick(deps: Awaited<ReturnType<typeof getContainer>>): Promise<{ due: number; expired: number; renewals: number }> {
  const services = await withContractServices(deps)
  // Contracts past their deadline end as `expired` (their parties are told); then the due reminders go.
  const { expired } = await expireContracts(services)
  const reminders = await sendDueReminders(services)
  const due = reminders.sent + reminders.dropped + reminders.failed
  // The renewal schedule: validity notices (到期提醒) and long-term certificate renewals.
  const renewals = await runDueRenewals(services)
  const renewalCount = renewals.sent + renewals.renewed + renewals.dropped + renewals.failed
  deps.logger.info({ due, ...reminders, expired: expired.length, renewals }, 'reminders tick')
  return { due, expired: expired.length, renewals: renewalCount }
}
