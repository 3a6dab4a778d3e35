import { getContainer } from '../../runtime/bootstrap'
import { findDueReminders } from '../../use-cases/notifications/find-due-reminders'

/** The scheduled tick (EventBridge every minute in AWS; an in-process timer in the local server). */
export async function handler(): Promise<{ due: number }> {
  const deps = await getContainer()
  return runRemindersTick(deps)
}

export async function runRemindersTick(deps: Awaited<ReturnType<typeof getContainer>>): Promise<{ due: number }> {
  const due = await findDueReminders(deps)
  deps.logger.info({ due: due.length }, 'reminders tick')
  return { due: due.length }
}
