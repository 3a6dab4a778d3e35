/**
 * Sends SMS verification codes. Implemented by `adapters/tencent-cloud/tencent-sms-sender.ts`
 * (Tencent Cloud SMS SendSms) and `adapters/sandbox/sandbox-sms-sender.ts` (a local outbox the UI
 * shows instead of sending). Outages throw `ProviderUnavailableError` / `ProviderRejectedError`.
 */
export interface SmsSender {
  sendVerificationCode(input: { phone: string; code: string; purpose: SmsPurpose; ttlMinutes: number }): Promise<SmsSendResult>
  describe(): { kind: 'sandbox' | 'tencent-cloud' }
}

export type SmsPurpose = 'login' | 'intent' | 'authorization'

export type SmsSendResult =
  | { ok: true; messageId: string }
  /** The gateway refused this number now (its own frequency limits) or at all. */
  | { ok: false; reason: 'rate-limited' | 'invalid-phone' | 'rejected'; providerCode: string }
