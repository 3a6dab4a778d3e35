import type { ReminderRules } from '../../core/contracts/contract'
import { deferQuietHours, reminderTimes } from '../../core/contracts/reminder-schedule'
import type { MetadataStore, TransactOperation } from '../../ports/metadata-store'
import { reminderIndexKey, reminderKey } from './records'

/** Whose reminders, from when, until when, by which rules. */
export type ReminderInput = { contractId: string; partyId: string; notifiedAt: string; deadline: string; rules: ReminderRules }

/**
 * Puts a party's automatic reminders in the due index when they are notified (their turn came):
 * 1, 3 and 7 days after, and 24 hours before the deadline, quiet hours deferred to 08:00 Shanghai.
 * The tick finds them by due time (no scan of the contracts) and drops those no longer relevant.
 * One write for all of a party's reminders (one commit, not one per reminder).
 */
export async function scheduleReminders(metadata: MetadataStore, input: ReminderInput): Promise<void> {
  const puts = reminderOperations(input)
  if (puts.length > 0) await metadata.transact(puts)
}

/**
 * The writes of {@link scheduleReminders} (at most six: five days after, one before the deadline),
 * for a caller that commits them with its own: the signing link that tells the party
 * (`notify-parties.ts`), so notifying a party is one commit.
 */
export function reminderOperations(input: ReminderInput): TransactOperation[] {
  return reminderTimes(new Date(input.notifiedAt), new Date(input.deadline), input.rules).map((r) => ({
    put: {
      ...reminderKey(input.contractId, input.partyId, r.slot),
      ...reminderIndexKey(r.dueAt, input.contractId, input.partyId, r.slot),
      type: 'reminder',
      contractId: input.contractId,
      partyId: input.partyId,
      slot: r.slot,
      attempts: 0,
      expiresAt: Math.floor(Date.parse(input.deadline) / 1000) + 86400,
    },
  }))
}

/**
 * After a deadline extension: the "24 h before the deadline" reminder of each party whose turn it
 * is moves to the new deadline (the same item, so the old time is replaced), if still ahead.
 */
export async function rescheduleDeadlineReminders(metadata: MetadataStore, input: { contractId: string; partyIds: readonly string[]; now: Date; deadline: string; beforeDeadlineHours: number | undefined }): Promise<void> {
  if (input.beforeDeadlineHours === undefined) return
  const at = deferQuietHours(new Date(Date.parse(input.deadline) - input.beforeDeadlineHours * 3_600_000))
  if (at <= input.now || at.getTime() >= Date.parse(input.deadline)) return
  for (const partyId of input.partyIds) {
    await metadata.put({
      ...reminderKey(input.contractId, partyId, 'deadline'),
      ...reminderIndexKey(at, input.contractId, partyId, 'deadline'),
      type: 'reminder',
      contractId: input.contractId,
      partyId,
      slot: 'deadline',
      attempts: 0,
      expiresAt: Math.floor(Date.parse(input.deadline) / 1000) + 86400,
    })
  }
}
