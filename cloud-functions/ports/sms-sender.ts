/**
 * Sends SMS verification codes. Implemented by `adapters/tencent-cloud/tencent-sms-sender.ts`
 * (Tencent Cloud SMS SendSms) and `adapters/sandbox/sandbox-sms-sender.ts` (a local outbox the UI
 * shows instead of sending). Outages throw `ProviderUnavailableError` / `ProviderRejectedError`.
 */
export interface SmsSender {
  sendVerificationCode(input: { phone: string; code: string; purpose: SmsPurpose; ttlMinutes: number }): Promise<SmsSendResult>
  /**
   * A notice about a contract (签署通知): `sign-request` carries the signing link; the others tell a
   * party what happened. Parameters are short plain texts (the provider's template fills them in).
   */
  sendNotice(input: { phone: string; notice: SmsNotice }): Promise<SmsSendResult>
  describe(): { kind: 'sandbox' | 'tencent-cloud' }
}

/** The contract notices (templates `{1}` sender / `{2}` title / `{3}` link or reason). */
export type SmsNotice =
  | { kind: 'sign-request'; sender: string; title: string; link: string; deadline: string }
  | { kind: 'completed'; title: string; link: string }
  | { kind: 'declined'; title: string; by: string; reason: string }
  | { kind: 'revoked'; title: string; reason: string }
  | { kind: 'expired'; title: string }
  /** 催办: the sender (`sender`) reminds a party whose turn it is, with a fresh signing link. */
  | { kind: 'reminder'; sender: string; title: string; link: string; deadline: string }
  /** 到期提醒: the contract's validity ends on `validUntil` (YYYY-MM-DD), `days` days from now; `link` opens it (续签 there). */
  | { kind: 'validity-ending'; title: string; validUntil: string; days: string; link: string }
  /** 审批: a contract from `sender` waits for the recipient's approval; `link` opens it. */
  | { kind: 'approval-request'; sender: string; title: string; link: string }
  /** 审批: `by` rejected the contract the recipient sent, with `reason` (the comment); it is a draft again. */
  | { kind: 'approval-rejected'; title: string; by: string; reason: string }

export type SmsPurpose = 'login' | 'intent' | 'authorization'

export type SmsSendResult =
  | { ok: true; messageId: string }
  /** The gateway refused this number now (its own frequency limits) or at all. */
  | { ok: false; reason: 'rate-limited' | 'invalid-phone' | 'rejected'; providerCode: string }
