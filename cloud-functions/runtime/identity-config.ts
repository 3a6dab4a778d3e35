import * as z from 'zod'

/**
 * Environment variables of identity verification, SMS, payouts and WeChat login (spread into the
 * one schema in config.ts; listed in README.md's configuration table). Providers default to the
 * sandbox; `tencent` needs the Tencent Cloud credentials and the per-product settings.
 */
export const IDENTITY_ENV = {
  // `none`: a function that verifies no identity and sends no SMS (an AWS function without the Tencent Cloud secrets).
  ESIGN_IDENTITY_PROVIDER: z.enum(['sandbox', 'tencent', 'none']).default('sandbox'),
  ESIGN_SMS_PROVIDER: z.enum(['sandbox', 'tencent', 'none']).default('sandbox'),
  TENCENTCLOUD_SECRET_ID: z.string().min(1).optional(),
  TENCENTCLOUD_SECRET_KEY: z.string().min(1).optional(),
  ESIGN_TENCENT_REGION: z.string().min(1).default('ap-guangzhou'),
  ESIGN_TENCENT_FACEID_ENDPOINT: z.string().url().default('https://faceid.tencentcloudapi.com'),
  ESIGN_TENCENT_OCR_ENDPOINT: z.string().url().default('https://ocr.tencentcloudapi.com'),
  ESIGN_TENCENT_SMS_ENDPOINT: z.string().url().default('https://sms.tencentcloudapi.com'),
  ESIGN_FACEID_RULE_ID: z.string().min(1).optional(),
  ESIGN_SMS_SDK_APP_ID: z.string().min(1).optional(),
  ESIGN_SMS_SIGN_NAME: z.string().min(1).optional(),
  ESIGN_SMS_TEMPLATE_ID: z.string().min(1).optional(),
  ESIGN_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  ESIGN_WECHAT_APP_ID: z.string().min(1).optional(),
  ESIGN_WECHAT_APP_SECRET: z.string().min(1).optional(),
  ESIGN_WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  /**
   * Subscription-message templates, JSON `{"<notice kind>": "<template id>"}` for the kinds
   * sign-request, reminder, completed, declined, revoked, expired, validity-ending, approval-request, approval-rejected (each template has the keywords
   * thing1 合同名称, thing2 发起方, phrase3 状态, time4 时间). Needs the app id and secret.
   */
  ESIGN_WECHAT_SUBSCRIBE_TEMPLATES: z.string().min(2).optional(),
  ESIGN_WECHAT_MINIPROGRAM_STATE: z.enum(['developer', 'trial', 'formal']).optional(),
  /** E-mail notices: the SMTP server (none: no e-mail is sent). */
  ESIGN_SMTP_HOST: z.string().min(1).optional(),
  ESIGN_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(465),
  /** Implicit TLS (port 465); `false`: plain, upgraded with STARTTLS when the server offers it. */
  ESIGN_SMTP_SECURE: z.enum(['true', 'false']).optional(),
  ESIGN_SMTP_USER: z.string().min(1).optional(),
  ESIGN_SMTP_PASSWORD: z.string().min(1).optional(),
  ESIGN_SMTP_FROM: z.string().min(3).optional(),
}

type IdentityEnv = z.infer<ReturnType<typeof z.object<typeof IDENTITY_ENV>>>

export type IdentityConfig = {
  /** `none`: this process verifies no identity (building the identity services fails). */
  identityProvider: 'sandbox' | 'tencent' | 'none'
  /** `none`: this process sends no SMS (building the identity services fails). */
  smsProvider: 'sandbox' | 'tencent' | 'none'
  tencent: {
    secretId?: string
    secretKey?: string
    region: string
    faceIdEndpoint: string
    ocrEndpoint: string
    smsEndpoint: string
    faceRuleId?: string
    smsSdkAppId?: string
    smsSignName?: string
    smsTemplateId?: string
  }
  /** Timeout of each call to an outside provider. */
  providerTimeoutMs: number
  wechat: { appId?: string; appSecret?: string; apiBase: string; subscribeTemplates: Record<string, string>; miniprogramState?: 'developer' | 'trial' | 'formal' }
  /** E-mail notices over SMTP, when `ESIGN_SMTP_HOST` is set. */
  smtp?: { host: string; port: number; secure: boolean; user?: string; password?: string; from: string }
}

/** Cross-field rules: what `tencent` needs. Called from the schema's superRefine. */
export function checkIdentityEnv(env: IdentityEnv, addIssue: (path: string, message: string) => void): void {
  const need = (keys: Array<keyof IdentityEnv>, because: string) => {
    for (const key of keys) if (!env[key]) addIssue(key, `${key} is required when ${because}`)
  }
  if (env.ESIGN_IDENTITY_PROVIDER === 'tencent') need(['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'ESIGN_FACEID_RULE_ID'], 'ESIGN_IDENTITY_PROVIDER=tencent')
  if (env.ESIGN_SMS_PROVIDER === 'tencent') need(['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'ESIGN_SMS_SDK_APP_ID', 'ESIGN_SMS_SIGN_NAME', 'ESIGN_SMS_TEMPLATE_ID'], 'ESIGN_SMS_PROVIDER=tencent')
  if (env.ESIGN_SMTP_HOST && !env.ESIGN_SMTP_FROM) addIssue('ESIGN_SMTP_FROM', 'ESIGN_SMTP_FROM is required when ESIGN_SMTP_HOST is set')
  if (Boolean(env.ESIGN_WECHAT_APP_ID) !== Boolean(env.ESIGN_WECHAT_APP_SECRET)) addIssue('ESIGN_WECHAT_APP_SECRET', 'ESIGN_WECHAT_APP_ID and ESIGN_WECHAT_APP_SECRET go together')
  if (env.ESIGN_WECHAT_SUBSCRIBE_TEMPLATES) {
    if (!env.ESIGN_WECHAT_APP_ID) addIssue('ESIGN_WECHAT_SUBSCRIBE_TEMPLATES', 'ESIGN_WECHAT_SUBSCRIBE_TEMPLATES needs ESIGN_WECHAT_APP_ID and ESIGN_WECHAT_APP_SECRET')
    if (!subscribeTemplates(env.ESIGN_WECHAT_SUBSCRIBE_TEMPLATES)) addIssue('ESIGN_WECHAT_SUBSCRIBE_TEMPLATES', `ESIGN_WECHAT_SUBSCRIBE_TEMPLATES must be a JSON object of template ids by notice kind (${NOTICE_KINDS.join(', ')})`)
  }
}

export function toIdentityConfig(e: IdentityEnv): IdentityConfig {
  return {
    identityProvider: e.ESIGN_IDENTITY_PROVIDER,
    smsProvider: e.ESIGN_SMS_PROVIDER,
    tencent: {
      secretId: e.TENCENTCLOUD_SECRET_ID,
      secretKey: e.TENCENTCLOUD_SECRET_KEY,
      region: e.ESIGN_TENCENT_REGION,
      faceIdEndpoint: e.ESIGN_TENCENT_FACEID_ENDPOINT,
      ocrEndpoint: e.ESIGN_TENCENT_OCR_ENDPOINT,
      smsEndpoint: e.ESIGN_TENCENT_SMS_ENDPOINT,
      faceRuleId: e.ESIGN_FACEID_RULE_ID,
      smsSdkAppId: e.ESIGN_SMS_SDK_APP_ID,
      smsSignName: e.ESIGN_SMS_SIGN_NAME,
      smsTemplateId: e.ESIGN_SMS_TEMPLATE_ID,
    },
    providerTimeoutMs: e.ESIGN_PROVIDER_TIMEOUT_MS,
    wechat: {
      appId: e.ESIGN_WECHAT_APP_ID,
      appSecret: e.ESIGN_WECHAT_APP_SECRET,
      apiBase: e.ESIGN_WECHAT_API_BASE.replace(/\/+$/, ''),
      subscribeTemplates: (e.ESIGN_WECHAT_SUBSCRIBE_TEMPLATES && subscribeTemplates(e.ESIGN_WECHAT_SUBSCRIBE_TEMPLATES)) || {},
      ...(e.ESIGN_WECHAT_MINIPROGRAM_STATE ? { miniprogramState: e.ESIGN_WECHAT_MINIPROGRAM_STATE } : {}),
    },
    ...(e.ESIGN_SMTP_HOST && e.ESIGN_SMTP_FROM
      ? {
          smtp: {
            host: e.ESIGN_SMTP_HOST,
            port: e.ESIGN_SMTP_PORT,
            secure: e.ESIGN_SMTP_SECURE ? e.ESIGN_SMTP_SECURE === 'true' : e.ESIGN_SMTP_PORT === 465,
            user: e.ESIGN_SMTP_USER,
            password: e.ESIGN_SMTP_PASSWORD,
            from: e.ESIGN_SMTP_FROM,
          },
        }
      : {}),
  }
}

const NOTICE_KINDS = ['sign-request', 'reminder', 'completed', 'declined', 'revoked', 'expired', 'validity-ending', 'approval-request', 'approval-rejected']

/** `ESIGN_WECHAT_SUBSCRIBE_TEMPLATES` read, or undefined when it is not an object of template ids by known notice kinds. */
function subscribeTemplates(text: string): Record<string, string> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const entries = Object.entries(parsed as Record<string, unknown>)
  if (!entries.every(([k, v]) => NOTICE_KINDS.includes(k) && typeof v === 'string' && /^[\w-]{1,128}$/.test(v))) return undefined
  return Object.fromEntries(entries) as Record<string, string>
}
