import { err, ok, type Result } from '../shared/result'

/** GB 32100-2015 charset: value = index (no I, O, Z, S, V). */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
/** W_i = 3^(i−1) mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/

/** The GB 32100 check character for the first 17 characters. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!
  return CHARSET[(31 - (sum % 31)) % 31]!
}

/**
 * Check a unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from the
 * 31-character set, positions 3–8 digits, and the MOD 31 check character. Input is trimmed and
 * upper-cased. Failures are `CREDIT_CODE_INVALID` naming the field.
 *
 * @example
 * parseCreditCode('91350100M000100Y43') // ok('91350100M000100Y43')
 * parseCreditCode('91350100M000100Y4Z') // CREDIT_CODE_INVALID
 */
export function parseCreditCode(raw: string, field = 'creditCode'): Result<string> {
  const value = String(raw ?? '').trim().toUpperCase()
  const fail = (reason: string) => err('CREDIT_CODE_INVALID', `统一社会信用代码不正确：${reason}`, { field, reason })
  if (value.length !== 18) return fail('应为 18 位')
  if (!SHAPE.test(value)) return fail('含有不允许的字符（不使用 I、O、Z、S、V，第 3–8 位为数字）')
  if (creditCodeCheckChar(value) !== value[17]) return fail('校验位不正确')
  return ok(value)
}
