import { err, ok, type Result } from '../shared/result'

/**
 * Normalise a mainland mobile number to its 11 digits: accepts an optional `+86`, `0086` or `86`
 * prefix, spaces and dashes. The pattern is the broad `1[3-9]` + 9 digits (CHINA-APIS.md §5.3):
 * the carrier check is the authority on segments. Failures are `PHONE_INVALID` naming the field.
 *
 * @example
 * parsePhone('+86 138-1234-5678') // ok('13812345678')
 * parsePhone('12812345678')       // PHONE_INVALID
 */
export function parsePhone(raw: string, field = 'phone'): Result<string> {
  const compact = String(raw ?? '').replace(/[\s-]/g, '')
  const digits = compact.replace(/^(\+86|0086|86)(?=1\d{10}$)/, '')
  if (!/^1[3-9]\d{9}$/.test(digits)) return err('PHONE_INVALID', '手机号不正确：应为 11 位中国大陆手机号', { field })
  return ok(digits)
}

/** E.164 form for SMS gateways: `+86` followed by the 11 digits. */
export const toE164 = (phone: string): string => `+86${phone}`
