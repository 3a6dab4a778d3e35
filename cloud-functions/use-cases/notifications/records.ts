import { createHash } from 'node:crypto'

/**
 * Index partitions holding scheduled reminders, sorted by due time (`gsi1sk` = ISO time + id):
 * `REMINDER#DUE#<0–3>` by a hash of contract and party, so that the writes of every party's
 * reminders (put, claim, delete: up to 16 index writes per party) are spread over
 * {@link REMINDER_SHARDS} partitions; `REMINDER#DUE` itself still holds reminders scheduled before
 * the sharding, and is read with the shards ({@link reminderIndexPartitions}).
 */
export const REMINDER_INDEX = 'REMINDER#DUE'
export const REMINDER_SHARDS = 4
export const reminderShardOf = (contractId: string, partyId: string): number => createHash('sha256').update(`${contractId}#${partyId}`).digest()[0]! % REMINDER_SHARDS
/** Every index partition a due reminder may be in: the unsharded one first, then each shard. */
export const reminderIndexPartitions = (): string[] => [REMINDER_INDEX, ...Array.from({ length: REMINDER_SHARDS }, (_, n) => `${REMINDER_INDEX}#${n}`)]

/**
 * One automatic reminder to one party of one contract (`slot`: `d1`, `d3`, `d7`, `deadline`), in
 * {@link REMINDER_INDEX} at its due time. A tick claims it by a conditional write on its version
 * (moving it a lease ahead), and deletes it only once the provider accepted the notice.
 */
export const reminderKey = (contractId: string, partyId: string, slot: string) => ({ pk: `REMINDER#${contractId}#${partyId}`, sk: slot })
export const reminderIndexKey = (dueAt: Date, contractId: string, partyId: string, slot: string) => ({ gsi1pk: `${REMINDER_INDEX}#${reminderShardOf(contractId, partyId)}`, gsi1sk: `${dueAt.toISOString()}#${contractId}#${partyId}#${slot}` })

/**
 * Index partition of the renewal schedule (same index as {@link REMINDER_INDEX}, its own partition
 * so each tick step reads only its own kind in due order): contract validity notices (到期提醒) and
 * long-term certificate renewals, sorted by due time (`gsi1sk` = ISO time + what).
 */
export const RENEWAL_INDEX = 'RENEWAL#DUE'

/**
 * One validity notice: the contract's validity ends in `days` days; `recipient` is `sender` or a
 * party id; `slot` `v30`, `v7`, `v1`. Claimed by a tick with a conditional write on its version and
 * deleted once a channel took it (as reminders).
 */
export const validityNoticeKey = (contractId: string, recipient: string, slot: string) => ({ pk: `VALIDITYNOTICE#${contractId}#${recipient}`, sk: slot })
export const validityNoticeIndexKey = (dueAt: Date, contractId: string, recipient: string, slot: string) => ({ gsi1pk: RENEWAL_INDEX, gsi1sk: `${dueAt.toISOString()}#contract#${contractId}#${recipient}#${slot}` })

/** A long-term certificate's renewal (续期), due 30 days before its notAfter (`DEFAULT_RENEW_WITHIN_DAYS` of `use-cases/pki`). */
export const certificateRenewalKey = (serialNumber: string) => ({ pk: `CERTRENEWAL#${serialNumber}`, sk: 'DUE' })
export const certificateRenewalIndexKey = (dueAt: Date, serialNumber: string) => ({ gsi1pk: RENEWAL_INDEX, gsi1sk: `${dueAt.toISOString()}#certificate#${serialNumber}` })

/** The index sort key of a renewal-schedule item moved to `dueAt` (a claim's lease, a retry's backoff). */
export function renewalIndexKeyAt(item: { gsi1sk?: unknown }, dueAt: Date): { gsi1pk: string; gsi1sk: string } {
  const sort = String(item.gsi1sk ?? '')
  return { gsi1pk: RENEWAL_INDEX, gsi1sk: `${dueAt.toISOString()}${sort.slice(sort.indexOf('#'))}` }
}

/** The due item of a new long-term certificate's renewal (put in the transaction that records the certificate). */
export function certificateRenewalItem(serialNumber: string, dueAt: Date, notAfter: string) {
  return {
    ...certificateRenewalKey(serialNumber),
    ...certificateRenewalIndexKey(dueAt, serialNumber),
    type: 'certificate-renewal',
    serialNumber,
    attempts: 0,
    expiresAt: Math.floor(Date.parse(notAfter) / 1000) + 86400,
  }
}
