import { isLive } from '../../core/contracts/party-of-user'
import { deferQuietHours, retryBackoffMs } from '../../core/contracts/reminder-schedule'
import { whoseTurn } from '../../core/contracts/signing-turn'
import type { Item } from '../../ports/metadata-store'
import type { ContractDeps } from '../contracts/deps'
import { appendEvidence } from '../evidence/append-evidence'
import { loadContractItem, partyPhone } from '../contracts/records'
import { createSigningLink } from '../contracts/signing-links'
import { createNotifier } from '../messages/create-notifier'
import { findDueReminders } from './find-due-reminders'
import { reminderIndexKey } from './records'
import { beijingMinute } from '../../core/shared/beijing-time'

/** How long a claimed reminder stays out of the due index while one tick sends it. */
const LEASE_MS = 5 * 60_000
/** After this many failed sends a reminder is given up (logged). */
const MAX_ATTEMPTS = 6

/**
 * The tick's automatic reminders: each due item of the reminder index (never a scan of the
 * contracts) is claimed by a conditional write on its version — moved a lease ahead — so a tick
 * run twice or two ticks at once send it once. A reminder for a party who is no longer to sign (signed,
 * not their turn, contract ended) is dropped; one the provider accepted is deleted; one it did not
 * stays in the index, due again after a backoff (quiet hours deferred).
 */
export async function sendDueReminders(deps: ContractDeps, limit = 1000): Promise<{ sent: number; dropped: number; failed: number }> {
  const counts = { sent: 0, dropped: 0, failed: 0 }
  for (const due of await findDueReminders(deps, limit)) {
    const outcome = await sendOne(deps, due)
    if (outcome) counts[outcome] += 1
  }
  return counts
}

async function sendOne(deps: ContractDeps, due: Item): Promise<'sent' | 'dropped' | 'failed' | undefined> {
  const now = deps.clock.now()
  const contractId = String(due.contractId)
  const partyId = String(due.partyId)
  const slot = String(due.slot)
  const { version, ...rest } = due
  const claimed = await deps.metadata.put({ ...rest, ...reminderIndexKey(new Date(now.getTime() + LEASE_MS), contractId, partyId, slot) }, { expectedVersion: version })
  if (!claimed.ok) return undefined
  const claimVersion = version + 1
  const drop = async () => {
    await deps.metadata.delete(due.pk, due.sk, { expectedVersion: claimVersion })
  }

  const item = await loadContractItem(deps.metadata, contractId)
  if (!item || !isLive(item.contract, now) || !whoseTurn(item.contract).includes(partyId)) {
    await drop()
    return 'dropped'
  }
  const phone = partyPhone(deps.personalData, item, partyId)
  if (!phone) {
    await drop()
    return 'dropped'
  }
  const c = item.contract
  let accepted = false
  try {
    const link = await createSigningLink(deps, item, partyId)
    // Through the party's channels (in-app message if they have an account, e-mail if on, SMS unless off): accepted when one took it.
    const sent = await createNotifier(deps).notify({ phone }, { kind: 'reminder', sender: item.senderCompanyName ?? item.senderName, title: c.title, link, deadline: beijingMinute(new Date(c.deadline)) }, { contractId })
    accepted = sent.ok
    if (!sent.ok) deps.logger.warn({ contractId, partyId, slot, reason: sent.reason }, 'reminder not sent')
  } catch (e) {
    deps.logger.warn({ contractId, partyId, slot, err: (e as Error).message }, 'reminder failed')
  }
  if (accepted) {
    // The reminder is evidence once the provider accepted it (the scheduled tick: actor `system`).
    const recorded = await appendEvidence(deps, { event: { type: 'reminder.sent', data: { contractId, partyId, channel: 'sms' } }, at: now, context: { actor: 'system' } })
    if (!recorded.ok) deps.logger.warn({ contractId, partyId, slot }, 'reminder evidence not recorded')
    await drop()
    return 'sent'
  }
  const attempts = Number(due.attempts ?? 0) + 1
  if (attempts >= MAX_ATTEMPTS) {
    deps.logger.warn({ contractId, partyId, slot, attempts }, 'reminder given up')
    await drop()
    return 'failed'
  }
  const retryAt = deferQuietHours(new Date(now.getTime() + retryBackoffMs(attempts)))
  await deps.metadata.put({ ...rest, attempts, ...reminderIndexKey(retryAt, contractId, partyId, slot) }, { expectedVersion: claimVersion })
  return 'failed'
}
