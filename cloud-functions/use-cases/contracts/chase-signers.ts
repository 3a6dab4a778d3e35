import type { ChaseResponse } from '../../api/contracts.types'
import { carrierRetryAfter, recordSent, type SentNotice } from '../../core/contracts/carrier-limits'
import { chaseRetryAfter } from '../../core/contracts/chase-policy'
import { isTerminal, partyName } from '../../core/contracts/contract'
import { isLive } from '../../core/contracts/party-of-user'
import { whoseTurn } from '../../core/contracts/signing-turn'
import { err, ok, type Result } from '../../core/shared/result'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { appendEvidence } from '../evidence/append-evidence'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'
import { chaseKey, noticeQuotaKey, partyPhone, type ContractItem } from './records'
import { createSigningLink } from './signing-links'
import { createNotifier } from '../messages/create-notifier'
import { beijingMinute } from '../../core/shared/beijing-time'

type Skipped = ChaseResponse['skipped'][number]

/**
 * 催办: the sender reminds one party whose turn it is (`partyId`), or all of them, by a notice that
 * says who chases and for which contract, with a fresh signing link (the old one stops working),
 * through the party's channels (`ports/notifier.ts`: their settings apply).
 * A party is chased at most once per 24 hours, and the carriers' limits are checked before
 * sending (`core/contracts/carrier-limits.ts`); a party held back by either is in `skipped` with
 * `retryAfter`, and when nobody could be chased the answer is that typed error (429) naming the
 * earliest `retryAfter`. The chase is claimed by a conditional write first, so two chases at once
 * send one notice; a notice the provider did not accept un-claims it.
 */
export async function chaseSigners(deps: ContractDeps, input: { userId: string; contractId: string; partyId?: string; request?: EvidenceContext }): Promise<Result<ChaseResponse>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const item = found.value
  const c = item.contract
  const now = deps.clock.now()
  if (c.senderUserId !== input.userId) return err('NOT_THE_SENDER', '只有发起方可以催办')
  if (isTerminal(c.status) || (c.status === 'sent' && !isLive(c, now))) return err('CONTRACT_CLOSED', '合同已结束，不能催办')
  if (c.status !== 'sent') return err('CONTRACT_NOT_SENT', '合同尚未发出')
  const turn = whoseTurn(c)
  if (input.partyId !== undefined && !turn.includes(input.partyId)) return err('PARTY_NOT_PENDING', '该签署方当前无需签署（已签署或尚未轮到），不能催办')
  const targets = input.partyId !== undefined ? [input.partyId] : turn

  const result: ChaseResponse = { chased: [], skipped: [] }
  for (const partyId of targets) {
    const outcome = await chaseOne(deps, item, partyId, now)
    const name = partyName(c.parties.find((p) => p.partyId === partyId)!)
    if (outcome.ok) {
      result.chased.push({ partyId, name })
      // The reminder is evidence once the provider accepted it (a notice that did not go is not recorded).
      const recorded = await appendEvidence(deps, { event: { type: 'reminder.sent', data: { contractId: c.contractId, partyId, channel: 'sms' } }, at: now, context: input.request ?? { actor: `user:${input.userId}` } })
      if (!recorded.ok) deps.logger.warn({ contractId: c.contractId, partyId }, 'reminder evidence not recorded')
    }
    else result.skipped.push({ partyId, name, ...outcome.skipped })
  }
  if (result.chased.length === 0 && result.skipped.length > 0) {
    const first = [...result.skipped].sort((a, b) => (a.retryAfter ?? '').localeCompare(b.retryAfter ?? ''))[0]!
    const message = first.code === 'CHASE_TOO_SOON' ? '每位签署方 24 小时内只能催办一次' : first.code === 'SMS_CARRIER_LIMIT' ? '短信发送过于频繁（运营商限制）' : '催办通知发送失败，请稍后重试'
    const when = first.retryAfter ? `，请于 ${beijingMinute(new Date(first.retryAfter))} 后再试` : ''
    return err(first.code, `${message}${when}`, { ...(first.retryAfter ? { retryAfter: first.retryAfter } : {}), skipped: result.skipped })
  }
  deps.logger.info({ userId: input.userId, contractId: c.contractId, chased: result.chased.length }, 'contract chased')
  return ok(result)
}

async function chaseOne(deps: ContractDeps, item: ContractItem, partyId: string, now: Date): Promise<{ ok: true } | { ok: false; skipped: Omit<Skipped, 'partyId' | 'name'> }> {
  const c = item.contract
  const sender = item.senderCompanyName ?? item.senderName
  const ck = chaseKey(c.contractId, partyId)
  const last = await deps.metadata.get(ck.pk, ck.sk)
  const tooSoon = chaseRetryAfter(typeof last?.lastChasedAt === 'string' ? last.lastChasedAt : undefined, now)
  if (tooSoon) return { ok: false, skipped: { code: 'CHASE_TOO_SOON', retryAfter: tooSoon.toISOString() } }

  const phone = partyPhone(deps.personalData, item, partyId)
  const phoneHash = item.phones[partyId]?.hash
  if (!phone || !phoneHash) return { ok: false, skipped: { code: 'NOTICE_NOT_SENT' } }
  const textKey = `reminder|${sender}|${c.title}`
  const qk = noticeQuotaKey(phoneHash)
  const quota = await deps.metadata.get(qk.pk, qk.sk)
  const history = (Array.isArray(quota?.sent) ? quota.sent : []) as SentNotice[]
  const limited = carrierRetryAfter(history, textKey, now)
  if (limited) return { ok: false, skipped: { code: 'SMS_CARRIER_LIMIT', retryAfter: limited.toISOString() } }

  // Claim: the chase record and the phone's quota, each conditional on what was read.
  const expiresAt = Math.floor(Date.parse(c.deadline) / 1000) + 86400
  const claimed = await deps.metadata.transact([
    { put: { ...ck, type: 'contract-chase', lastChasedAt: now.toISOString(), expiresAt }, condition: last ? { expectedVersion: last.version } : { mustNotExist: true } },
    { put: { ...qk, type: 'notice-quota', sent: recordSent(history, textKey, now), expiresAt: Math.floor(now.getTime() / 1000) + 86400 }, condition: quota ? { expectedVersion: quota.version } : { mustNotExist: true } },
  ])
  if (!claimed.ok) return { ok: false, skipped: { code: 'CHASE_TOO_SOON', retryAfter: new Date(now.getTime() + 30_000).toISOString() } }

  const unclaim = async () => {
    const mine = await deps.metadata.get(ck.pk, ck.sk)
    if (!mine) return
    if (last) {
      const { version: _version, ...previous } = last
      await deps.metadata.put(previous, { expectedVersion: mine.version })
    }
    else await deps.metadata.delete(ck.pk, ck.sk, { expectedVersion: mine.version })
  }
  try {
    const link = await createSigningLink(deps, item, partyId)
    // Through the party's channels (in-app message if they have an account, e-mail if on, SMS unless off).
    const sent = await createNotifier(deps).notify({ phone }, { kind: 'reminder', sender, title: c.title, link, deadline: beijingMinute(new Date(c.deadline)) }, { contractId: c.contractId })
    if (sent.ok) return { ok: true }
    deps.logger.warn({ contractId: c.contractId, partyId, reason: sent.reason }, 'chase notice not sent')
    await unclaim()
    return { ok: false, skipped: sent.reason === 'rate-limited' ? { code: 'SMS_CARRIER_LIMIT', retryAfter: new Date(now.getTime() + 30_000).toISOString() } : { code: 'NOTICE_NOT_SENT' } }
  } catch (e) {
    deps.logger.warn({ contractId: c.contractId, partyId, err: (e as Error).message }, 'chase notice failed')
    await unclaim()
    return { ok: false, skipped: { code: 'NOTICE_NOT_SENT' } }
  }
}
