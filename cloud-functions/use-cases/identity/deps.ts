import type { PersonalDataKeys } from '../../core/identity/personal-data'
import type { TrueTypeFont } from '../../core/pdf/truetype-font'
import type { IdentityProvider } from '../../ports/identity-provider'
import type { Payout } from '../../ports/payout'
import type { SessionIssuer } from '../../ports/session-issuer'
import type { EmailSender } from '../../ports/email-sender'
import type { SmsSender } from '../../ports/sms-sender'
import type { WeChatCodeLogin } from '../../ports/wechat-login'
import type { WeChatSubscribeSender } from '../../ports/wechat-subscribe'
import type { BaseDeps } from '../base-deps'
import type { PkiServices } from '../pki/deps'

/** What the identity, auth and intent use cases need beyond the base deps (built by `runtime/services.ts`). */
export type IdentityServices = {
  identity: IdentityProvider
  sms: SmsSender
  /** Sandbox identity provider only (no real payout adapter exists yet): micro-deposits are unavailable otherwise. */
  payout?: Payout
  /** Keys of personal-data encryption and lookup hashes (data key wrapped under the master key). */
  personalData: PersonalDataKeys
  /**
   * The trust services: the platform CA for long-term certificates (`issueLongTermCertificate`
   * after verification), recorded event certificates and the TSA (the authorisation letter's signature).
   */
  pki: PkiServices
  /** The CJK font for generated documents. */
  font: () => TrueTypeFont
  /** WeChat code2Session login, when `ESIGN_WECHAT_APP_ID` is set. */
  wechat?: WeChatCodeLogin
  /** E-mail notices, when `ESIGN_SMTP_HOST` is set. */
  email?: EmailSender
  /** WeChat subscription messages, when templates are configured (`ESIGN_WECHAT_SUBSCRIBE_TEMPLATES`): template ids by notice kind. */
  wechatSubscribe?: { sender: WeChatSubscribeSender; templates: Readonly<Record<string, string>> }
  /** Session tokens for the login use cases. */
  sessions: SessionIssuer
}

/** Identity use-case dependencies: the base deps plus {@link IdentityServices}. */
export type IdentityDeps = BaseDeps & IdentityServices
