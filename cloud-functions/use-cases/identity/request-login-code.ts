import type { SmsCodeSent } from '../../api/identity.types'
import { parsePhone } from '../../core/identity/phone'
import type { Result } from '../../core/shared/result'
import { releaseSourceSend, reserveSourceSend } from './limit-unauthenticated-sends'
import { sendSmsCode, type SmsCodeDeps } from './send-sms-code'

/**
 * `POST /api/auth/sms-codes`: a login code to `phone` (normalised; `PHONE_INVALID` naming the field).
 * Unauthenticated, so besides the phone's own limits (60 s resend, the daily login budget) the
 * request's source IP, when given, has a budget of its own (`TOO_MANY_REQUESTS`); a request that
 * sends nothing gives its share back.
 */
export async function requestLoginCode(deps: SmsCodeDeps, input: { phone: string; sourceIp?: string }): Promise<Result<SmsCodeSent>> {
  const phone = parsePhone(input.phone)
  if (!phone.ok) return phone
  if (input.sourceIp === undefined) return sendSmsCode(deps, { phone: phone.value, purpose: 'login', scope: 'login' })
  const reserved = await reserveSourceSend(deps, { sourceIp: input.sourceIp })
  if (!reserved.ok) {
    deps.logger.warn({ purpose: 'login', reason: 'source-limit' }, 'sms code refused')
    return reserved
  }
  const sent = await sendSmsCode(deps, { phone: phone.value, purpose: 'login', scope: 'login' })
  if (!sent.ok) await releaseSourceSend(deps, reserved.value)
  return sent
}
