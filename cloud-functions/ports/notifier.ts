import type { SmsNotice } from './sms-sender'

/** A notice about a contract: the SMS notice kinds (`ports/sms-sender.ts`), shared by every channel. */
export type Notice = SmsNotice

/** Who a notice is for: their account (in-app messages) and/or their phone (SMS). */
export type NoticeRecipient = { userId?: string; phone?: string }

/** Where a notice came from (stored with an in-app message, so its page can open the contract). */
export type NoticeContext = { contractId?: string; /** Where the contract opens (e-mail), when the notice carries no link. */ link?: string }

/**
 * Routes a notice to a person's channels: an in-app message (站内信) when they have an account
 * (found by `userId` or by the phone's login lookup), e-mail when they turned it on, a WeChat
 * subscription message when they have a subscription left (then no SMS), otherwise SMS to the
 * phone unless they turned it off. `ok` when at least one
 * channel took it; otherwise the SMS gateway's reason.
 */
export interface Notifier {
  notify(to: NoticeRecipient, notice: Notice, context?: NoticeContext): Promise<NoticeDelivery>
}

export type NoticeDelivery =
  | { ok: true; channels: NoticeChannel[] }
  | { ok: false; reason: 'no-channel' | 'rate-limited' | 'invalid-phone' | 'rejected' | 'failed' }

export type NoticeChannel = 'in-app' | 'sms' | 'email' | 'wechat'
