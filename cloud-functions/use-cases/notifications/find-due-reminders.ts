import type { Item } from '../../ports/metadata-store'
import type { NotificationsDeps } from './deps'
import { REMINDER_INDEX } from './records'

/**
 * Items of a due index partition (the reminders by default; `RENEWAL_INDEX` for the renewal
 * schedule) whose due time has passed, oldest first, at most `limit`.
 */
export async function findDueReminders(deps: NotificationsDeps, limit = 100, index: string = REMINDER_INDEX): Promise<Item[]> {
  const now = deps.clock.now().toISOString()
  const due: Item[] = []
  let cursor: string | undefined
  do {
    const page = await deps.metadata.queryIndex(index, { limit: Math.min(limit, 100), cursor })
    for (const item of page.items) {
      if (String(item.gsi1sk).slice(0, now.length) > now) return due // the time part: due at exactly now is due
      due.push(item)
      if (due.length >= limit) return due
    }
    cursor = page.next
  } while (cursor)
  return due
}
