import { err, ok, type Result } from '../shared/result'

/** A checked 18-digit resident ID number (公民身份号码, GB 11643-1999). */
export type IdNumber = {
  /** Normalised: 18 characters, a trailing check `x` upper-cased. */
  value: string
  /** Birth date from positions 7–14, `YYYY-MM-DD`. */
  birthDate: string
  /** From the sequence code (position 17): odd is male. */
  gender: 'male' | 'female'
  /** Province-level region code (the first two digits, GB/T 2260). */
  province: string
}

/** ISO 7064 MOD 11-2 weights, 2^(17−i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

/**
 * Province-level codes of GB/T 2260 (the first two digits of every mainland resident ID number):
 * 11–15 North, 21–23 North-East, 31–37 East, 41–46 South-Central, 50–54 South-West, 61–65
 * North-West, 71 Taiwan, 81 Hong Kong, 82 Macao (the last three appear on residence permits).
 */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
])

/** The GB 11643 check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK_CHARS[sum % 11]!
}

/**
 * Check an 18-digit resident ID number (GB 11643-1999): shape, province prefix, a real birth date
 * not after `today` and not before 1880, and the MOD 11-2 check character. Lower-case `x` is
 * accepted and normalised to `X` (Tencent Cloud requires upper case). Failures are
 * `ID_NUMBER_INVALID` naming the field and the reason (never echoing the number).
 *
 * @example
 * parseIdNumber('11010519491231002X', new Date()) // ok: birthDate '1949-12-31', gender 'female'
 * parseIdNumber('110105194912310021', new Date()) // ID_NUMBER_INVALID: 校验位不正确
 */
export function parseIdNumber(raw: string, today: Date, field = 'idNumber'): Result<IdNumber> {
  const value = String(raw ?? '').trim().toUpperCase()
  const fail = (reason: string) => err('ID_NUMBER_INVALID', `身份证号不正确：${reason}`, { field, reason })
  if (!/^\d{17}[\dX]$/.test(value)) return fail('应为 18 位，前 17 位为数字，最后一位为数字或 X')
  if (!PROVINCES.has(value.slice(0, 2))) return fail('地区码不存在')
  const y = Number(value.slice(6, 10))
  const m = Number(value.slice(10, 12))
  const d = Number(value.slice(12, 14))
  const birth = new Date(Date.UTC(y, m - 1, d))
  if (y < 1880 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return fail('出生日期无效')
  if (birth.getTime() > today.getTime()) return fail('出生日期晚于今天')
  if (idNumberCheckChar(value) !== value[17]) return fail('校验位不正确')
  return ok({
    value,
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    gender: Number(value[16]) % 2 === 1 ? 'male' : 'female',
    province: value.slice(0, 2),
  })
}
