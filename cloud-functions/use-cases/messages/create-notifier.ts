import { decryptPersonalData, lookupHash, type PersonalDataKeys } from '../../core/identity/personal-data'
import { noticeEmail, noticeText } from '../../core/messages/notice-text'
import type { Logger } from '../../ports/logger'
import type { EmailSender } from '../../ports/email-sender'
import type { Notice, NoticeChannel, NoticeContext, NoticeDelivery, NoticeRecipient, Notifier } from '../../ports/notifier'
import type { SmsSender } from '../../ports/sms-sender'
import { phoneLookupKey } from '../identity/records'
import type { MessagesDeps } from './deps'
import { loadChannels, putMessage } from './records'

export type NotifierDeps = MessagesDeps & { sms: SmsSender; email?: EmailSender; personalData: PersonalDataKeys; logger: Logger }

/**
 * The {@link Notifier} over the in-app messages and SMS: a recipient with an account (by `userId`,
 * or the account whose login phone is theirs) gets the notice in their message list; a phone gets
 * the SMS unless that account turned SMS off (channel settings). A channel that fails is logged (without the phone) and does not stop the others.
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  return {
    async notify(to: NoticeRecipient, notice: Notice, context: NoticeContext = {}): Promise<NoticeDelivery> {
      const channels: NoticeChannel[] = []
      let reason: Extract<NoticeDelivery, { ok: false }>['reason'] = 'no-channel'
      let smsOn = true
      let emailTo: string | undefined
      try {
        const userId = to.userId ?? (to.phone ? await accountOf(deps, to.phone) : undefined)
        if (userId) {
          const settings = await loadChannels(deps.metadata, userId)
          smsOn = settings.sms
          if (settings.email && settings.emailEnc) emailTo = decryptPersonalData(deps.personalData, 'email', settings.emailEnc)
          const { title, body } = noticeText(notice)
          await putMessage(deps.metadata, userId, {
            messageId: deps.ids.newId(),
            kind: notice.kind,
            title,
            body,
            ...(context.contractId ? { contractId: context.contractId } : {}),
            createdAt: deps.clock.now().toISOString(),
          })
          channels.push('in-app')
        }
      } catch (e) {
        deps.logger.warn({ kind: notice.kind, ...context, err: (e as Error).message }, 'in-app message not stored')
        reason = 'failed'
      }
      if (emailTo && deps.email) {
        try {
          const sent = await deps.email.send({ to: emailTo, ...noticeEmail(notice, context.link) })
          if (sent.ok) channels.push('email')
          else {
            reason = 'rejected'
            deps.logger.warn({ kind: notice.kind, ...context }, 'e-mail notice refused by the server')
          }
        } catch (e) {
          // An SMTP error's text may quote the address: log only its code (personal data is never logged).
          deps.logger.warn({ kind: notice.kind, ...context, errCode: (e as { code?: unknown }).code ?? (e as Error).name }, 'e-mail notice failed')
          reason = 'failed'
        }
      }
      if (to.phone && smsOn) {
        try {
          const sent = await deps.sms.sendNotice({ phone: to.phone, notice })
          if (sent.ok) channels.push('sms')
          else {
            reason = sent.reason
            deps.logger.warn({ kind: notice.kind, ...context, reason: sent.reason }, 'SMS notice not sent')
          }
        } catch (e) {
          deps.logger.warn({ kind: notice.kind, ...context, err: (e as Error).message }, 'SMS notice failed')
          reason = 'failed'
        }
      }
      return channels.length ? { ok: true, channels } : { ok: false, reason }
    },
  }
}

/** The account whose login phone is `phone`, if any. */
async function accountOf(deps: NotifierDeps, phone: string): Promise<string | undefined> {
  const key = phoneLookupKey(lookupHash(deps.personalData, 'phone', phone))
  const found = await deps.metadata.get(key.pk, key.sk)
  return typeof found?.userId === 'string' ? found.userId : undefined
}
