/** Index partition holding scheduled reminders, sorted by due time (`gsi1sk` = ISO time + id). */
export const REMINDER_INDEX = 'REMINDER#DUE'

/**
 * One automatic reminder to one party of one contract (`slot`: `d1`, `d3`, `d7`, `deadline`), in
 * {@link REMINDER_INDEX} at its due time. A tick claims it by a conditional write on its version
 * (moving it a lease ahead), and deletes it only once the provider accepted the notice.
 */
export const reminderKey = (contractId: string, partyId: string, slot: string) => ({ pk: `REMINDER#${contractId}#${partyId}`, sk: slot })
export const reminderIndexKey = (dueAt: Date, contractId: string, partyId: string, slot: string) => ({ gsi1pk: REMINDER_INDEX, gsi1sk: `${dueAt.toISOString()}#${contractId}#${partyId}#${slot}` })
