import { z } from 'zod'

/**
 * Login (SMS code or WeChat) → a bearer token for `Authorization: Bearer <token>`.
 * - `POST /api/auth/sms-codes` `{ phone }` → 202 {@link SmsCodeSent}
 * - `POST /api/auth/sms-login` `{ phone, code }` → 200 {@link LoginResponse} (the account is created on first login)
 * - `POST /api/auth/wechat-login` `{ code }` (from `wx.login`) → 200 {@link LoginResponse}
 * - `GET /api/auth/me` → {@link AccountView}
 * - `POST /api/auth/logout` → 204: this session is revoked on the server (later calls with it: 401 `SESSION_REVOKED`)
 * - `POST /api/auth/logout-all` → 204: every session of the account issued until now is revoked (all devices)
 */
export const ZSmsCodeRequest = z.object({ phone: z.string().min(1, '请输入手机号').max(20) }).strict()
export const ZSmsLoginRequest = z
  .object({
    phone: z.string().min(1, '请输入手机号').max(20),
    code: z.string().regex(/^\d{6}$/, '验证码应为 6 位数字'),
  })
  .strict()
export const ZWeChatLoginRequest = z.object({ code: z.string().min(1).max(128) }).strict()

export type SmsCodeRequest = z.infer<typeof ZSmsCodeRequest>
export type SmsLoginRequest = z.infer<typeof ZSmsLoginRequest>
export type WeChatLoginRequest = z.infer<typeof ZWeChatLoginRequest>

export type SmsCodeSent = {
  /** `138****5678`. */
  maskedPhone: string
  expiresInSeconds: number
  /** Seconds before another code may be requested. */
  resendAfterSeconds: number
  /** True when codes go to the sandbox outbox (`GET /api/identity/sandbox/outbox`) instead of a phone. */
  sandbox: boolean
}

export type AccountView = {
  userId: string
  maskedPhone?: string
  /** Real-name status of the account. */
  realName: 'unverified' | 'checked' | 'verified'
  /** The verified name, once verified. */
  name?: string
}

export type LoginResponse = {
  token: string
  expiresInSeconds: number
  /** True when this login created the account. */
  created: boolean
  account: AccountView
}
