import type { Item } from '../../ports/metadata-store'
import type { NotificationsDeps } from './deps'
import { REMINDER_INDEX, reminderIndexPartitions } from './records'

/**
 * Items of a due index (the reminders by default: every shard of it, merged; `RENEWAL_INDEX` for
 * the renewal schedule) whose due time has passed, oldest first, at most `limit`.
 */
export async function findDueReminders(deps: NotificationsDeps, limit = 100, index: string = REMINDER_INDEX): Promise<Item[]> {
  const now = deps.clock.now().toISOString()
  const partitions = index === REMINDER_INDEX ? reminderIndexPartitions() : [index]
  const found = await Promise.all(partitions.map((p) => dueIn(deps, p, now, limit)))
  if (found.length === 1) return found[0]!
  const sort = (i: Item) => String(i.gsi1sk)
  return found.flat().sort((a, b) => (sort(a) < sort(b) ? -1 : sort(a) > sort(b) ? 1 : 0)).slice(0, limit)
}

/** The due items of one index partition, oldest first, at most `limit`. */
async function dueIn(deps: NotificationsDeps, partition: string, now: string, limit: number): Promise<Item[]> {
  const due: Item[] = []
  let cursor: string | undefined
  do {
    const page = await deps.metadata.queryIndex(partition, { limit: Math.min(limit, 100), cursor })
    for (const item of page.items) {
      if (String(item.gsi1sk).slice(0, now.length) > now) return due // the time part: due at exactly now is due
      due.push(item)
      if (due.length >= limit) return due
    }
    cursor = page.next
  } while (cursor)
  return due
}
