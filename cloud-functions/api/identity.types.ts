import * as z from 'zod'

/**
 * Real-name verification (实名认证) of persons and companies, company members and invitations.
 * Every route needs `Authorization: Bearer <token>`. Personal data comes back masked only.
 *
 * Person: `GET /api/identity/person` → {@link PersonVerificationView};
 * `POST /api/identity/person` {@link PersonDetailsRequest} (ID + carrier checks) → view (`nextStep: 'face'`);
 * `POST /api/identity/person/face` {@link FaceStartRequest} → {@link FaceStartResponse} (open `url`);
 * `POST /api/identity/person/face/result` → view (`verified`), or FACE_PENDING / FACE_FAILED / FACE_LOCKED.
 *
 * Company: `POST /api/identity/companies` {@link CompanyApplicationRequest} → {@link CompanyView};
 * `GET /api/identity/companies` → {@link CompanyView}[]; `GET /api/identity/companies/{id}` → {@link CompanyView};
 * (a) `POST /api/identity/companies/{id}/authorization-letter` → {@link AuthorizationLetterView};
 *     `GET …/authorization-letter/content` → the PDF; `POST …/authorization-letter/sms-code` → SmsCodeSent;
 *     `POST …/authorization-letter/sign` {@link SignLetterRequest} → {@link CompanyView} (verified);
 * (b) `POST /api/identity/companies/{id}/micro-deposit` {@link MicroDepositRequest} → {@link CompanyView};
 *     `POST …/micro-deposit/confirm` {@link MicroDepositConfirmRequest} → {@link CompanyView} (verified).
 * Members: `GET …/members` → {@link MemberView}[]; `POST …/invitations` {@link InvitationRequest} → {@link InvitationView};
 * `GET /api/identity/invitations` → {@link InvitationView}[]; `POST /api/identity/invitations/{companyId}/{inviteId}/accept` → {@link MemberView}.
 * Sandbox: `GET /api/identity/sandbox/outbox[?phone=…]` → {@link OutboxView}.
 */
export const ZPersonDetailsRequest = z
  .object({
    name: z.string().trim().min(2, '请输入真实姓名').max(32, '姓名最多 32 个字符'),
    idNumber: z.string().min(1, '请输入身份证号').max(32),
    phone: z.string().min(1, '请输入手机号').max(20),
  })
  .strict()
export const ZFaceStartRequest = z.object({ returnUrl: z.string().max(1000).optional() }).strict()
export const ZCompanyApplicationRequest = z
  .object({
    name: z.string().trim().min(2, '请输入企业名称').max(100, '企业名称最多 100 个字符'),
    creditCode: z.string().min(1, '请输入统一社会信用代码').max(32),
    legalRepName: z.string().trim().min(2, '请输入法定代表人姓名').max(32),
    legalRepIdNumber: z.string().min(1, '请输入法定代表人身份证号').max(32),
  })
  .strict()
export const ZSignLetterRequest = z.object({ code: z.string().regex(/^\d{6}$/, '验证码应为 6 位数字') }).strict()
export const ZMicroDepositRequest = z
  .object({
    bankName: z.string().trim().min(2, '请输入开户银行').max(60),
    bankAccount: z.string().min(1, '请输入对公账号').max(40),
  })
  .strict()
export const ZMicroDepositConfirmRequest = z.object({ amount: z.string().min(1, '请输入收到的金额').max(16) }).strict()
export const ZInvitationRequest = z
  .object({
    phone: z.string().min(1, '请输入手机号').max(20),
    role: z.enum(['admin', 'operator']),
  })
  .strict()

export type PersonDetailsRequest = z.infer<typeof ZPersonDetailsRequest>
export type FaceStartRequest = z.infer<typeof ZFaceStartRequest>
export type CompanyApplicationRequest = z.infer<typeof ZCompanyApplicationRequest>
export type SignLetterRequest = z.infer<typeof ZSignLetterRequest>
export type MicroDepositRequest = z.infer<typeof ZMicroDepositRequest>
export type MicroDepositConfirmRequest = z.infer<typeof ZMicroDepositConfirmRequest>
export type InvitationRequest = z.infer<typeof ZInvitationRequest>

export type PersonVerificationView = {
  /** `unverified`: nothing submitted; `checked`: ID and carrier checks passed, face next; `verified`: done. */
  status: 'unverified' | 'checked' | 'verified'
  nextStep: 'details' | 'face' | 'done'
  name?: string
  /** `3301**********1234`. */
  maskedIdNumber?: string
  /** `138****5678`. */
  maskedPhone?: string
  /** ISO 8601. */
  verifiedAt?: string
  face: {
    failures: number
    attemptsLeft: number
    /** ISO 8601, while locked. */
    lockedUntil?: string
    /** A face session was started and not yet resolved. */
    inProgress: boolean
  }
  certificate?: { serialNumber: string; notAfter: string }
  /** The sandbox provider answers (test identities, 沙箱 face page). */
  sandbox: boolean
}

export type FaceStartResponse = { url: string; expiresInSeconds: number }

export type CompanyView = {
  companyId: string
  name: string
  creditCode: string
  legalRepName: string
  /** `1101**********0011`. */
  maskedLegalRepIdNumber: string
  status: 'pending' | 'verified'
  /** How it was (or is being) verified. */
  method?: 'legal-rep-authorization' | 'micro-deposit'
  /** The caller's relation to it. */
  myRole?: 'admin' | 'operator' | 'applicant' | 'legal-rep'
  authorization?: AuthorizationLetterView
  microDeposit?: {
    bankName: string
    /** `6222***********0123`. */
    maskedBankAccount: string
    attemptsLeft: number
    /** ISO 8601. */
    expiresAt: string
    state: 'awaiting-amount' | 'expired' | 'exhausted' | 'confirmed'
  }
  verifiedAt?: string
  certificate?: { serialNumber: string; notAfter: string }
  /** Whether micro-deposit is offered (a payout provider is configured). */
  microDepositAvailable: boolean
}

export type AuthorizationLetterView = {
  letterId: string
  /** SHA-256 (hex) of the letter PDF the legal representative sees and signs. */
  documentHash: string
  status: 'awaiting-signature' | 'signed'
  /** Whether the caller is the legal representative (may sign). */
  callerIsLegalRep: boolean
  signedAt?: string
}

export type MemberView = { userId: string; name: string; role: 'admin' | 'operator'; maskedPhone?: string; joinedAt: string }

export type InvitationView = {
  inviteId: string
  companyId: string
  companyName: string
  role: 'admin' | 'operator'
  maskedPhone: string
  /** ISO 8601. */
  expiresAt: string
}

export type OutboxView = {
  entries: Array<{ id: string; channel: 'sms' | 'payout'; to: string; text: string; code?: string; amount?: string; sentAt: string }>
}

// ---------------------------------------------------------------- login (auth)

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

// ---------------------------------------------------------------- response schemas (for /api/openapi.json)

/** {@link SmsCodeSent}, {@link AccountView}, {@link LoginResponse}, {@link OutboxView}, {@link FaceStartResponse} as zod schemas. */
export const ZSmsCodeSent = z.object({
  maskedPhone: z.string().describe('138****5678'),
  expiresInSeconds: z.number().int(),
  resendAfterSeconds: z.number().int(),
  sandbox: z.boolean().describe('验证码发到沙箱发件箱而非手机'),
}) satisfies z.ZodType<SmsCodeSent>
export const ZAccountView = z.object({
  userId: z.string(),
  maskedPhone: z.string().optional(),
  realName: z.enum(['unverified', 'checked', 'verified']),
  name: z.string().optional(),
}) satisfies z.ZodType<AccountView>
export const ZLoginResponse = z.object({
  token: z.string().describe('Authorization: Bearer <token>'),
  expiresInSeconds: z.number().int(),
  created: z.boolean().describe('本次登录创建了账号'),
  account: ZAccountView,
}) satisfies z.ZodType<LoginResponse>
export const ZOutboxView = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      channel: z.enum(['sms', 'payout']),
      to: z.string(),
      text: z.string(),
      code: z.string().optional(),
      amount: z.string().optional(),
      sentAt: z.string(),
    }),
  ),
}) satisfies z.ZodType<OutboxView>
export const ZFaceStartResponse = z.object({ url: z.string(), expiresInSeconds: z.number().int() }) satisfies z.ZodType<FaceStartResponse>
const ZCertificateSummary = z.object({ serialNumber: z.string(), notAfter: z.string() })
export const ZPersonVerificationView = z.object({
  status: z.enum(['unverified', 'checked', 'verified']),
  nextStep: z.enum(['details', 'face', 'done']),
  name: z.string().optional(),
  maskedIdNumber: z.string().optional().describe('3301**********1234'),
  maskedPhone: z.string().optional(),
  verifiedAt: z.string().optional(),
  face: z.object({ failures: z.number().int(), attemptsLeft: z.number().int(), lockedUntil: z.string().optional(), inProgress: z.boolean() }),
  certificate: ZCertificateSummary.optional(),
  sandbox: z.boolean(),
}) satisfies z.ZodType<PersonVerificationView>
export const ZAuthorizationLetterView = z.object({
  letterId: z.string(),
  documentHash: z.string().describe('授权书 PDF 的 SHA-256（十六进制）'),
  status: z.enum(['awaiting-signature', 'signed']),
  callerIsLegalRep: z.boolean(),
  signedAt: z.string().optional(),
}) satisfies z.ZodType<AuthorizationLetterView>
export const ZCompanyView = z.object({
  companyId: z.string(),
  name: z.string(),
  creditCode: z.string(),
  legalRepName: z.string(),
  maskedLegalRepIdNumber: z.string(),
  status: z.enum(['pending', 'verified']),
  method: z.enum(['legal-rep-authorization', 'micro-deposit']).optional(),
  myRole: z.enum(['admin', 'operator', 'applicant', 'legal-rep']).optional(),
  authorization: ZAuthorizationLetterView.optional(),
  microDeposit: z
    .object({
      bankName: z.string(),
      maskedBankAccount: z.string(),
      attemptsLeft: z.number().int(),
      expiresAt: z.string(),
      state: z.enum(['awaiting-amount', 'expired', 'exhausted', 'confirmed']),
    })
    .optional(),
  verifiedAt: z.string().optional(),
  certificate: ZCertificateSummary.optional(),
  microDepositAvailable: z.boolean(),
}) satisfies z.ZodType<CompanyView>
export const ZMemberView = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'operator']),
  maskedPhone: z.string().optional(),
  joinedAt: z.string(),
}) satisfies z.ZodType<MemberView>
export const ZInvitationView = z.object({
  inviteId: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  role: z.enum(['admin', 'operator']),
  maskedPhone: z.string(),
  expiresAt: z.string(),
}) satisfies z.ZodType<InvitationView>
