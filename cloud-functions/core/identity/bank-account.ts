import { err, ok, type Result } from '../shared/result'

/**
 * Luhn (mod 10) check: valid iff the doubled-every-second-digit sum is a multiple of 10.
 *
 * @example
 * luhnValid('4111111111111111') // true
 * luhnValid('4111111111111112') // false
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/**
 * A bank account number as entered for a micro-deposit: spaces and dashes removed, digits only.
 *
 * - A corporate account (对公账户, `kind: 'corporate'`, the micro-deposit case) has no national
 *   check digit: 8–30 digits.
 * - A card number (`kind: 'card'`, UnionPay and the like: 16–19 digits) must pass the Luhn check.
 *
 * Failures are `BANK_ACCOUNT_INVALID` naming the field.
 *
 * @example
 * parseBankAccount('1234 5678 9012 345', 'corporate') // ok('123456789012345')
 * parseBankAccount('4111111111111112', 'card')        // BANK_ACCOUNT_INVALID: 校验位不正确
 */
export function parseBankAccount(raw: string, kind: 'corporate' | 'card', field = 'bankAccount'): Result<string> {
  const value = String(raw ?? '').replace(/[\s-]/g, '')
  const fail = (reason: string) => err('BANK_ACCOUNT_INVALID', `银行账号不正确：${reason}`, { field, reason })
  if (!/^\d+$/.test(value)) return fail('只能包含数字')
  if (kind === 'corporate') {
    if (value.length < 8 || value.length > 30) return fail('对公账号应为 8–30 位数字')
    return ok(value)
  }
  if (value.length < 16 || value.length > 19) return fail('银行卡号应为 16–19 位数字')
  if (!luhnValid(value)) return fail('校验位不正确')
  return ok(value)
}
