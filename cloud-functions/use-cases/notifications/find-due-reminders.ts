import type { Item } from '../../ports/metadata-store'
import type { NotificationsDeps } from './deps'
import { REMINDER_INDEX } from './records'

/**
 * Reminders whose due time has passed, oldest first, at most `limit`. The reminders issue adds
 * sending (催办) on top; the schedule (EventBridge in AWS, a timer locally) already calls this.
 */
export async function findDueReminders(deps: NotificationsDeps, limit = 100): Promise<Item[]> {
  const now = deps.clock.now().toISOString()
  const due: Item[] = []
  let cursor: string | undefined
  do {
    const page = await deps.metadata.queryIndex(REMINDER_INDEX, { limit: Math.min(limit, 100), cursor })
    for (const item of page.items) {
      if (String(item.gsi1sk).slice(0, now.length) > now) return due // the time part: due at exactly now is due
      due.push(item)
      if (due.length >= limit) return due
    }
    cursor = page.next
  } while (cursor)
  return due
}
