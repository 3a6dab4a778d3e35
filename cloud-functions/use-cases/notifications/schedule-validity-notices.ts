import { validityNoticeTimes } from '../../core/contracts/contract-validity'
import type { Contract } from '../../core/contracts/contract'
import type { MetadataStore } from '../../ports/metadata-store'
import { validityNoticeIndexKey, validityNoticeKey } from './records'

/**
 * When a contract with a validity end date completes: its notices (到期提醒) 30, 7 and 1 days
 * before that date (09:00 Shanghai; those already past left out) go in the renewal schedule's due
 * index — for the sender, and for every party when the sender chose so. The tick finds them by due
 * time (no scan of the contracts).
 */
export async function scheduleValidityNotices(metadata: MetadataStore, c: Pick<Contract, 'contractId' | 'validUntil' | 'validityNoticeToParties' | 'parties'>, now: Date): Promise<void> {
  if (!c.validUntil) return
  const recipients = ['sender', ...(c.validityNoticeToParties ? c.parties.map((p) => p.partyId) : [])]
  const expiresAt = Math.floor(Date.parse(`${c.validUntil}T00:00:00+08:00`) / 1000) + 2 * 86400
  for (const n of validityNoticeTimes(c.validUntil, now)) {
    for (const recipient of recipients) {
      await metadata.put({
        ...validityNoticeKey(c.contractId, recipient, n.slot),
        ...validityNoticeIndexKey(n.dueAt, c.contractId, recipient, n.slot),
        type: 'validity-notice',
        contractId: c.contractId,
        recipient,
        slot: n.slot,
        attempts: 0,
        expiresAt,
      })
    }
  }
}
