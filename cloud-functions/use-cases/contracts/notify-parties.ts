import { partyName } from '../../core/contracts/contract'
import { decryptPersonalData } from '../../core/identity/personal-data'
import { loadUser } from '../identity/records'
import { createNotifier } from '../messages/create-notifier'
import type { ContractEvent } from '../../core/contracts/contract-events'
import type { SmsNotice } from '../../ports/sms-sender'
import type { ContractDeps } from './deps'
import { partyPhone, type ContractItem } from './records'
import { reminderOperations } from '../notifications/schedule-reminders'
import { scheduleValidityNotices } from '../notifications/schedule-validity-notices'
import { createSigningLink } from './signing-links'
import { beijingMinute } from '../../core/shared/beijing-time'
import { reminderRulesOf } from '../../core/contracts/reminder-schedule'

/**
 * Tell the parties what a transition means for them, through their channels (`ports/notifier.ts`:
 * in-app messages for those with an account, SMS — the sandbox outbox locally):
 * signers whose turn came get a signing link; everyone hears of completion, a decline, a
 * revocation or expiry — and so does the sender when they are not a party themselves (of a
 * completion, a decline or expiry; a revocation is their own act). A message that cannot be sent is
 * logged (without the phone) and does not undo the transition: the contract is in the list of the
 * party's account either way. The notices of one event go out together (each to its own person, so
 * their order does not matter), sharing the store's flushes instead of waiting for one after another.
 */
export async function notifyParties(deps: ContractDeps, item: ContractItem, events: readonly ContractEvent[]): Promise<void> {
  const c = item.contract
  const sender = item.senderCompanyName ?? item.senderName
  const notifier = createNotifier(deps)
  const detail = `${deps.config.publicBaseUrl.replace(/\/$/, '')}/#/packages/contracts/pages/detail/index?contractId=${c.contractId}`
  const context = { contractId: c.contractId, link: detail }
  const send = async (partyId: string, notice: SmsNotice) => {
    const phone = partyPhone(deps.personalData, item, partyId)
    if (!phone) return
    try {
      const sent = await notifier.notify({ phone }, notice, context)
      if (!sent.ok) deps.logger.warn({ contractId: c.contractId, partyId, kind: notice.kind, reason: sent.reason }, 'contract notice not sent')
    } catch (e) {
      deps.logger.warn({ contractId: c.contractId, partyId, kind: notice.kind, err: (e as Error).message }, 'contract notice failed')
    }
  }
  const everyone = (except?: string) => c.parties.filter((p) => p.partyId !== except).map((p) => p.partyId)
  /** The sender's login phone, unless it is one of the parties' (who are told anyway). */
  const senderPhone = async (): Promise<string | undefined> => {
    const user = await loadUser(deps.metadata, c.senderUserId)
    if (!user?.loginPhoneEnc || !user.loginPhoneHash) return undefined
    if (Object.values(item.phones).some((p) => p.hash === user.loginPhoneHash)) return undefined
    return decryptPersonalData(deps.personalData, 'phone', user.loginPhoneEnc)
  }
  const tellSender = async (notice: SmsNotice) => {
    try {
      const phone = await senderPhone()
      if (!phone) return
      const sent = await notifier.notify({ userId: c.senderUserId, phone }, notice, context)
      if (!sent.ok) deps.logger.warn({ contractId: c.contractId, kind: notice.kind, reason: sent.reason }, 'contract notice to the sender not sent')
    } catch (e) {
      deps.logger.warn({ contractId: c.contractId, kind: notice.kind, err: (e as Error).message }, 'contract notice to the sender failed')
    }
  }
  for (const e of events) {
    switch (e.type) {
      case 'SignerNotified': {
        // The party's link and automatic reminders are written in one commit.
        const reminders = reminderOperations({ contractId: c.contractId, partyId: e.partyId, notifiedAt: e.at, deadline: c.deadline, rules: reminderRulesOf(c) })
        const link = await createSigningLink(deps, item, e.partyId, reminders)
        await send(e.partyId, { kind: 'sign-request', sender, title: c.title, link, deadline: beijingMinute(new Date(c.deadline)) })
        break
      }
      case 'ContractCompleted':
        // In force now: its validity end (if any) is told 30, 7 and 1 days before.
        await Promise.all([
          ...everyone().map((id) => send(id, { kind: 'completed', title: c.title, link: detail })),
          tellSender({ kind: 'completed', title: c.title, link: detail }),
          scheduleValidityNotices(deps.metadata, c, deps.clock.now()),
        ])
        break
      case 'ContractDeclined': {
        const by = c.parties.find((p) => p.partyId === e.partyId)
        const notice: SmsNotice = { kind: 'declined', title: c.title, by: by ? partyName(by) : '签署方', reason: e.reason }
        await Promise.all([...everyone(e.partyId).map((id) => send(id, notice)), tellSender(notice)])
        break
      }
      case 'ContractRevoked':
        await Promise.all(everyone().map((id) => send(id, { kind: 'revoked', title: c.title, reason: e.reason })))
        break
      case 'ContractExpired':
        await Promise.all([...everyone().map((id) => send(id, { kind: 'expired', title: c.title })), tellSender({ kind: 'expired', title: c.title })])
        break
      default:
        break
    }
  }
}
