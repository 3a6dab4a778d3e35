import { daysLeft } from '../../core/contracts/contract-validity'
import { deferQuietHours, retryBackoffMs } from '../../core/contracts/reminder-schedule'
import { decryptPersonalData } from '../../core/identity/personal-data'
import type { Item } from '../../ports/metadata-store'
import type { ContractDeps } from '../contracts/deps'
import { loadContractItem, partyPhone } from '../contracts/records'
import { loadUser } from '../identity/records'
import { createNotifier } from '../messages/create-notifier'
import { renewCertificate } from '../pki/renew-certificate'
import { findDueReminders } from './find-due-reminders'
import { RENEWAL_INDEX, renewalIndexKeyAt } from './records'

/** How long a claimed item stays out of the due index while one tick handles it. */
const LEASE_MS = 5 * 60_000
/** After this many failures an item is given up (logged). */
const MAX_ATTEMPTS = 6

type Outcome = 'sent' | 'renewed' | 'dropped' | 'failed'
export type RenewalTickCounts = Record<Outcome, number>

/**
 * The tick's renewal schedule (`RENEWAL#DUE`, found by due time — never a scan): contract validity
 * notices (到期提醒, 30/7/1 days before the validity end date, to the sender and — when chosen — every
 * party, through their channels) and long-term certificate renewals (续期, 30 days before notAfter).
 * Each due item is claimed by a conditional write on its version (moved a lease ahead), so a tick
 * run twice or two ticks at once handle it once. Done items are deleted; a failure stays due after
 * a backoff; an item no longer relevant (contract renewed or gone, certificate superseded or
 * revoked) is dropped.
 */
export async function runDueRenewals(deps: ContractDeps, limit = 1000): Promise<RenewalTickCounts> {
  const counts: RenewalTickCounts = { sent: 0, renewed: 0, dropped: 0, failed: 0 }
  for (const due of await findDueReminders(deps, limit, RENEWAL_INDEX)) {
    const outcome = await handleOne(deps, due)
    if (outcome) counts[outcome] += 1
  }
  return counts
}

async function handleOne(deps: ContractDeps, due: Item): Promise<Outcome | undefined> {
  const now = deps.clock.now()
  const { version, ...rest } = due
  const claimed = await deps.metadata.put({ ...rest, ...renewalIndexKeyAt(due, new Date(now.getTime() + LEASE_MS)) }, { expectedVersion: version })
  if (!claimed.ok) return undefined
  const claimVersion = version + 1
  let outcome: Outcome | 'retry' | { at: Date }
  try {
    outcome = due.type === 'certificate-renewal' ? await renewOne(deps, due) : due.type === 'validity-notice' ? await noticeOne(deps, due) : 'dropped'
  } catch (e) {
    deps.logger.warn({ type: due.type, err: (e as Error).message }, 'renewal schedule item failed')
    outcome = 'retry'
  }
  if (outcome === 'sent' || outcome === 'renewed' || outcome === 'dropped') {
    await deps.metadata.delete(due.pk, due.sk, { expectedVersion: claimVersion })
    return outcome
  }
  if (typeof outcome === 'object') {
    // Not due yet after all (a certificate renewal asked too early): back to its time, no attempt counted.
    await deps.metadata.put({ ...rest, ...renewalIndexKeyAt(due, outcome.at) }, { expectedVersion: claimVersion })
    return undefined
  }
  const attempts = Number(due.attempts ?? 0) + 1
  if (attempts >= MAX_ATTEMPTS) {
    deps.logger.warn({ type: due.type, attempts }, 'renewal schedule item given up')
    await deps.metadata.delete(due.pk, due.sk, { expectedVersion: claimVersion })
    return 'failed'
  }
  const retryAt = deferQuietHours(new Date(now.getTime() + retryBackoffMs(attempts)))
  await deps.metadata.put({ ...rest, attempts, ...renewalIndexKeyAt(due, retryAt) }, { expectedVersion: claimVersion })
  return 'failed'
}

/** A long-term certificate due for renewal: renewed (its successor gets its own due item), or dropped when it no longer can be. */
async function renewOne(deps: ContractDeps, due: Item): Promise<'renewed' | 'dropped' | 'retry' | { at: Date }> {
  const serialNumber = String(due.serialNumber)
  const r = await renewCertificate({ metadata: deps.metadata, clock: deps.clock, ca: deps.pki.ca }, { serialNumber })
  if (r.ok) {
    deps.logger.info({ serialNumber, successor: r.value.record.serialNumber }, 'long-term certificate renewed')
    return 'renewed'
  }
  switch (r.error.code) {
    case 'RENEWAL_NOT_DUE':
      return { at: new Date(String((r.error.details as { renewableFrom?: string } | undefined)?.renewableFrom ?? new Date(deps.clock.now().getTime() + 86_400_000).toISOString())) }
    case 'CONFLICT':
      return 'retry'
    default:
      return 'dropped'
  }
}

/** One validity notice to the sender or a party; dropped when the contract is gone, no longer completed, or already renewed. */
async function noticeOne(deps: ContractDeps, due: Item): Promise<'sent' | 'dropped' | 'retry'> {
  const contractId = String(due.contractId)
  const recipient = String(due.recipient)
  const item = await loadContractItem(deps.metadata, contractId)
  const c = item?.contract
  if (!item || !c || c.status !== 'completed' || !c.validUntil || item.renewedBy) return 'dropped'
  const now = deps.clock.now()
  const link = `${deps.config.publicBaseUrl.replace(/\/$/, '')}/#/packages/contracts/pages/detail/index?contractId=${contractId}`
  const notice = { kind: 'validity-ending' as const, title: c.title, validUntil: c.validUntil, days: String(daysLeft(c.validUntil, now)), link }
  const sender = await loadUser(deps.metadata, c.senderUserId)
  let to: { userId?: string; phone?: string }
  if (recipient === 'sender') {
    to = { userId: c.senderUserId, ...(sender?.loginPhoneEnc ? { phone: decryptPersonalData(deps.personalData, 'phone', sender.loginPhoneEnc) } : {}) }
  } else {
    const phone = partyPhone(deps.personalData, item, recipient)
    // The sender's own party hears it as the sender.
    if (!phone || (sender?.loginPhoneHash && item.phones[recipient]?.hash === sender.loginPhoneHash)) return 'dropped'
    to = { phone }
  }
  const sent = await createNotifier(deps).notify(to, notice, { contractId, link })
  if (sent.ok) return 'sent'
  deps.logger.warn({ contractId, recipient, slot: due.slot, reason: sent.reason }, 'validity notice not sent')
  return sent.reason === 'no-channel' ? 'dropped' : 'retry'
}
