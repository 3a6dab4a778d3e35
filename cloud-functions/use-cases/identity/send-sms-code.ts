import type { SmsCodeSent } from '../../api/identity.types'
import { SMS_CODE_POLICY, chinaDay, endOfChinaDay, generateNumericCode, resendWaitSeconds, storeCode, type StoredCode } from '../../core/identity/one-time-code'
import { lookupHash, type PersonalDataKeys } from '../../core/identity/personal-data'
import { maskPhone } from '../../core/shared/mask'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { Item, MetadataStore, TransactOperation } from '../../ports/metadata-store'
import type { SmsPurpose, SmsSender } from '../../ports/sms-sender'
import type { Logger } from '../../ports/logger'
import { epochSeconds, withoutVersion, smsCodeKey, smsDayKey } from './records'
import { callProvider } from './call-provider'

export type SmsCodeDeps = { metadata: MetadataStore; clock: Clock; ids: Ids; logger: Logger; sms: SmsSender; personalData: PersonalDataKeys }

/** Stored codes outlive their validity by a day, so a late or replayed code is told apart from "no code". */
const KEEP_AFTER_EXPIRY_SECONDS = 24 * 3600

/**
 * Send a 6-digit verification code to `phone` (11 digits, already checked) for `purpose`, bound to
 * `scope`. Enforces, per phone: one code per 60 s per purpose (`SMS_RESEND_TOO_SOON` with
 * `retryAfterSeconds`) and 10 codes per natural day in China time over all purposes
 * (`SMS_DAILY_LIMIT`). The code is stored only as a salted hash, with the daily count, in one
 * transaction before sending; if the gateway fails, both are put back (`PROVIDER_UNAVAILABLE`, no
 * state advanced). A new code replaces the previous one of the same purpose.
 */
export async function sendSmsCode(deps: SmsCodeDeps, input: { phone: string; purpose: SmsPurpose; scope: string }): Promise<Result<SmsCodeSent>> {
  const now = deps.clock.now()
  const t = epochSeconds(now)
  const phoneHash = lookupHash(deps.personalData, 'phone', input.phone)
  const codeK = smsCodeKey(phoneHash, input.purpose)
  const dayK = smsDayKey(phoneHash, chinaDay(now))
  const [current, day] = await Promise.all([deps.metadata.get(codeK.pk, codeK.sk), deps.metadata.get(dayK.pk, dayK.sk)])

  const wait = resendWaitSeconds(current?.issuedAt as number | undefined, now)
  if (wait > 0) return err('SMS_RESEND_TOO_SOON', `验证码发送过于频繁，请 ${wait} 秒后再试`, { retryAfterSeconds: wait })
  const count = Number(day?.count ?? 0)
  if (count >= SMS_CODE_POLICY.dailyLimitPerPhone) {
    return err('SMS_DAILY_LIMIT', `该手机号今日已获取 ${count} 次验证码，已达上限，请明天再试`, { retryAfterSeconds: endOfChinaDay(now) - t })
  }

  const code = generateNumericCode((n) => deps.ids.randomBytes(n))
  const salt = Buffer.from(deps.ids.randomBytes(16)).toString('base64')
  const stored: StoredCode = storeCode({ code, salt, scope: input.scope, now })
  const codeItem = { ...codeK, ...stored, purpose: input.purpose, expiresAt: stored.validUntil + KEEP_AFTER_EXPIRY_SECONDS }
  const dayItem = { ...dayK, count: count + 1, expiresAt: endOfChinaDay(now) + 24 * 3600 }
  const reserved = await deps.metadata.transact([
    { put: codeItem, condition: current ? { expectedVersion: current.version } : { mustNotExist: true } },
    { put: dayItem, condition: day ? { expectedVersion: day.version } : { mustNotExist: true } },
  ])
  if (!reserved.ok) {
    return err('SMS_RESEND_TOO_SOON', `验证码刚刚已发送，请 ${SMS_CODE_POLICY.resendIntervalSeconds} 秒后再试`, { retryAfterSeconds: SMS_CODE_POLICY.resendIntervalSeconds })
  }

  const sent = await callProvider(deps.logger, `sms ${input.purpose}`, () =>
    deps.sms.sendVerificationCode({ phone: input.phone, code, purpose: input.purpose, ttlMinutes: Math.round(SMS_CODE_POLICY.ttlSeconds / 60) }),
  )
  if (!sent.ok) {
    await putBack(deps.metadata, { codeK, dayK, current, day })
    return sent
  }
  const outcome = sent.value
  if (!outcome.ok) {
    await putBack(deps.metadata, { codeK, dayK, current, day })
    deps.logger.warn({ purpose: input.purpose, reason: outcome.reason, providerCode: outcome.providerCode }, 'sms code not sent')
    if (outcome.reason === 'rate-limited') return err('SMS_RESEND_TOO_SOON', '短信发送过于频繁，请稍后再试', { retryAfterSeconds: SMS_CODE_POLICY.resendIntervalSeconds })
    if (outcome.reason === 'invalid-phone') return err('PHONE_INVALID', '该手机号无法接收短信', { field: 'phone' })
    return err('SMS_SEND_FAILED', '短信发送失败，请稍后重试')
  }
  deps.logger.info({ purpose: input.purpose, messageId: outcome.messageId }, 'sms code sent')
  return ok({
    maskedPhone: maskPhone(input.phone),
    expiresInSeconds: SMS_CODE_POLICY.ttlSeconds,
    resendAfterSeconds: SMS_CODE_POLICY.resendIntervalSeconds,
    sandbox: deps.sms.describe().kind === 'sandbox',
  })
}

/** Undo the reservation after a failed send: the previous code and count come back (best effort). */
async function putBack(
  metadata: MetadataStore,
  r: { codeK: ReturnType<typeof smsCodeKey>; dayK: ReturnType<typeof smsDayKey>; current?: Item; day?: Item },
): Promise<void> {
  const ops: TransactOperation[] = [
    r.current ? { put: withoutVersion(r.current), condition: { expectedVersion: r.current.version + 1 } } : { delete: r.codeK, condition: { expectedVersion: 1 } },
    r.day ? { put: withoutVersion(r.day), condition: { expectedVersion: r.day.version + 1 } } : { delete: r.dayK, condition: { expectedVersion: 1 } },
  ]
  await metadata.transact(ops)
}
