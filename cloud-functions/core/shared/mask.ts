/**
 * Masking of personal data for responses and logs. Pure functions.
 *
 * @example
 * maskIdNumber('330106199001011234') // '3301**********1234'
 * maskPhone('13812345678')           // '138****5678'
 * maskBankAccount('6222021234567890123') // '6222***********0123'
 */
export function maskIdNumber(id: string): string {
  return id.length <= 8 ? '*'.repeat(id.length) : id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4)
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+?86/, '')
  return digits.length === 11 ? `${digits.slice(0, 3)}****${digits.slice(7)}` : '*'.repeat(digits.length)
}

export function maskBankAccount(account: string): string {
  const a = account.replace(/\s+/g, '')
  return a.length <= 8 ? '*'.repeat(a.length) : a.slice(0, 4) + '*'.repeat(a.length - 8) + a.slice(-4)
}

/** Field names whose values are personal data or secrets, wherever they appear in a log record. */
const SENSITIVE_KEY = /^(id_?number|idcard|id_?card(_?no)?|phone|mobile|phone_?number|bank_?account|account_?number|password|secret|private_?key|master_?key|token|authorization|cookie|code|sms_?code)$/i

/** 18-digit resident ID numbers (last may be X), mainland mobiles, and 12–19 digit account numbers. */
const ID_NUMBER = /(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])/g
const MOBILE = /(?<![0-9])(?:\+?86)?1[3-9]\d{9}(?![0-9])/g
const LONG_DIGITS = /(?<![0-9])\d{12,19}(?![0-9])/g

/** Mask anything that looks like an ID number, a mobile number or an account number inside free text. */
export function maskText(text: string): string {
  return text.replace(ID_NUMBER, maskIdNumber).replace(MOBILE, maskPhone).replace(LONG_DIGITS, maskBankAccount)
}

/**
 * A deep copy of `value` that is safe to log: values under sensitive keys are replaced by a mask,
 * strings are passed through {@link maskText}. Cycles and depth are bounded.
 */
export function redactForLog(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskText(value)
  if (value === null || typeof value !== 'object') return value
  if (depth > 8 || seen.has(value)) return '[…]'
  seen.add(value)
  if (value instanceof Error) {
    return { name: value.name, message: maskText(value.message), ...(value.stack ? { stack: maskText(value.stack) } : {}) }
  }
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`
  if (Array.isArray(value)) return value.map((v) => redactForLog(v, depth + 1, seen))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEY.test(k) && v !== undefined && v !== null ? maskSensitive(k, v) : redactForLog(v, depth + 1, seen)
  }
  return out
}

function maskSensitive(key: string, v: unknown): string {
  const s = String(v)
  if (/phone|mobile/i.test(key)) return maskPhone(s)
  if (/id_?number|idcard|id_?card/i.test(key)) return maskIdNumber(s)
  if (/bank|account/i.test(key)) return maskBankAccount(s)
  return '[redacted]'
}

/** `zhangsan@example.com` → `z***@example.com` (the domain stays: it tells the person which mailbox). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at <= 0) return '***'
  return `${email[0]}***${email.slice(at)}`
}
