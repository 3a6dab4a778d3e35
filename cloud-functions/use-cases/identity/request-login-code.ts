import type { SmsCodeSent } from '../../api/identity.types'
import { parsePhone } from '../../core/identity/phone'
import type { Result } from '../../core/shared/result'
import { sendSmsCode, type SmsCodeDeps } from './send-sms-code'

/** `POST /api/auth/sms-codes`: a login code to `phone` (normalised; `PHONE_INVALID` naming the field). */
export async function requestLoginCode(deps: SmsCodeDeps, input: { phone: string }): Promise<Result<SmsCodeSent>> {
  const phone = parsePhone(input.phone)
  if (!phone.ok) return phone
  return sendSmsCode(deps, { phone: phone.value, purpose: 'login', scope: 'login' })
}
