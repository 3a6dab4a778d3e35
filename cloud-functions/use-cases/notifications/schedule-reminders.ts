import { reminderTimes } from '../../core/contracts/reminder-schedule'
import type { MetadataStore } from '../../ports/metadata-store'
import { reminderIndexKey, reminderKey } from './records'

/**
 * Puts a party's automatic reminders in the due index when they are notified (their turn came):
 * 1, 3 and 7 days after, and 24 hours before the deadline, quiet hours deferred to 08:00 Shanghai.
 * The tick finds them by due time (no scan of the contracts) and drops those no longer relevant.
 */
export async function scheduleReminders(metadata: MetadataStore, input: { contractId: string; partyId: string; notifiedAt: string; deadline: string }): Promise<void> {
  for (const r of reminderTimes(new Date(input.notifiedAt), new Date(input.deadline))) {
    await metadata.put({
      ...reminderKey(input.contractId, input.partyId, r.slot),
      ...reminderIndexKey(r.dueAt, input.contractId, input.partyId, r.slot),
      type: 'reminder',
      contractId: input.contractId,
      partyId: input.partyId,
      slot: r.slot,
      attempts: 0,
      expiresAt: Math.floor(Date.parse(input.deadline) / 1000) + 86400,
    })
  }
}
