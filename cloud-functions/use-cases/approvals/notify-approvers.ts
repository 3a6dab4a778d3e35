import { decryptPersonalData } from '../../core/identity/personal-data'
import type { SmsNotice } from '../../ports/sms-sender'
import type { ContractItem } from '../contracts/records'
import { loadUser } from '../identity/records'
import { createNotifier } from '../messages/create-notifier'
import type { ApprovalDeps } from './deps'

/**
 * Tell accounts of an approval step through their channels (`ports/notifier.ts`): in-app, and
 * their login phone's SMS / WeChat / e-mail as they chose. A notice that cannot be sent is logged
 * (without the phone) and changes nothing: the contract is in their approvals list either way.
 */
export async function notifyAccounts(deps: ApprovalDeps, item: ContractItem, userIds: readonly string[], notice: SmsNotice): Promise<void> {
  const c = item.contract
  const notifier = createNotifier(deps)
  const link = `${deps.config.publicBaseUrl.replace(/\/$/, '')}/#/packages/contracts/pages/detail/index?contractId=${c.contractId}`
  for (const userId of userIds) {
    try {
      const user = await loadUser(deps.metadata, userId)
      const phone = user?.loginPhoneEnc ? decryptPersonalData(deps.personalData, 'phone', user.loginPhoneEnc) : undefined
      const sent = await notifier.notify({ userId, ...(phone ? { phone } : {}) }, notice.kind === 'approval-request' ? { ...notice, link } : notice, { contractId: c.contractId, link })
      if (!sent.ok) deps.logger.warn({ contractId: c.contractId, userId, kind: notice.kind, reason: sent.reason }, 'approval notice not sent')
    } catch (e) {
      deps.logger.warn({ contractId: c.contractId, userId, kind: notice.kind, err: (e as Error).message }, 'approval notice failed')
    }
  }
}

/** The approval-request notice of a contract (its link is filled by {@link notifyAccounts}). */
export const approvalRequestNotice = (item: ContractItem): SmsNotice => ({ kind: 'approval-request', sender: item.senderName, title: item.contract.title, link: '' })
