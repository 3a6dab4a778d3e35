import { decryptPersonalData, lookupHash, type PersonalDataKeys } from '../../core/identity/personal-data'
import { noticeEmail, noticeText } from '../../core/messages/notice-text'
import type { Logger } from '../../ports/logger'
import type { EmailSender } from '../../ports/email-sender'
import type { Notice, NoticeChannel, NoticeContext, NoticeDelivery, NoticeRecipient, Notifier } from '../../ports/notifier'
import type { SmsSender } from '../../ports/sms-sender'
import { beijingMinute } from '../../core/shared/beijing-time'
import { wechatNoticeData, wechatNoticePage } from '../../core/messages/wechat-notice'
import { loadUser, phoneLookupKey } from '../identity/records'
import type { IdentityServices } from '../identity/deps'
import type { MessagesDeps } from './deps'
import { changeSubscriptionCredits, clearSubscriptionCredits, loadChannels, putMessage } from './records'

export type NotifierDeps = MessagesDeps & { sms: SmsSender; email?: EmailSender; personalData: PersonalDataKeys; logger: Logger; wechatSubscribe?: IdentityServices['wechatSubscribe'] }

/** At most this many unspent one-time subscriptions are kept per person and template. */
export const MAX_SUBSCRIPTION_CREDITS = 50

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
      let wechatOn = false
      let emailTo: string | undefined
      let userId: string | undefined
      try {
        userId = to.userId ?? (to.phone ? await accountOf(deps, to.phone) : undefined)
        if (userId) {
          const settings = await loadChannels(deps.metadata, userId)
          smsOn = settings.sms
          wechatOn = settings.wechat
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
      // WeChat subscription message: when it is taken, it stands in for the SMS (which stays the fallback).
      let wechatTaken = false
      if (userId && wechatOn && deps.wechatSubscribe?.templates[notice.kind]) {
        wechatTaken = await sendWeChat(deps, userId, notice, context)
        if (wechatTaken) channels.push('wechat')
      }
      if (to.phone && smsOn && !wechatTaken) {
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

/**
 * One subscription message to `userId`'s openid, spending one of their subscriptions to the
 * template first. `false` (the caller sends SMS instead) when they have no openid or none left,
 * WeChat refuses it (`43101` also zeroes the count: WeChat says none is left), or WeChat is down —
 * then the spent subscription is given back, as WeChat did not use it.
 */
async function sendWeChat(deps: NotifierDeps, userId: string, notice: Notice, context: NoticeContext): Promise<boolean> {
  const channel = deps.wechatSubscribe!
  const templateId = channel.templates[notice.kind]!
  try {
    const user = await loadUser(deps.metadata, userId)
    if (!user?.wechatOpenIdEnc) return false
    if ((await changeSubscriptionCredits(deps.metadata, userId, templateId, -1, MAX_SUBSCRIPTION_CREDITS)) === undefined) return false
    let sent
    try {
      sent = await channel.sender.send({
        openid: decryptPersonalData(deps.personalData, 'wechat-openid', user.wechatOpenIdEnc),
        templateId,
        page: wechatNoticePage(context.contractId),
        data: wechatNoticeData(notice, beijingMinute(deps.clock.now())),
      })
    } catch (e) {
      await changeSubscriptionCredits(deps.metadata, userId, templateId, 1, MAX_SUBSCRIPTION_CREDITS)
      throw e
    }
    if (sent.ok) return true
    if (sent.reason === 'no-subscription') await clearSubscriptionCredits(deps.metadata, userId, templateId)
    else await changeSubscriptionCredits(deps.metadata, userId, templateId, 1, MAX_SUBSCRIPTION_CREDITS)
    deps.logger.warn({ kind: notice.kind, ...context, errcode: sent.errcode }, 'WeChat subscription message refused: SMS instead')
    return false
  } catch (e) {
    deps.logger.warn({ kind: notice.kind, ...context, err: (e as Error).message }, 'WeChat subscription message failed: SMS instead')
    return false
  }
}

/** The account whose login phone is `phone`, if any. */
async function accountOf(deps: NotifierDeps, phone: string): Promise<string | undefined> {
  const key = phoneLookupKey(lookupHash(deps.personalData, 'phone', phone))
  const found = await deps.metadata.get(key.pk, key.sk)
  return typeof found?.userId === 'string' ? found.userId : undefined
}
