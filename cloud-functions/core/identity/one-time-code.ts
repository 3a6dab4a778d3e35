import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Limits of SMS verification codes (登录 / 意愿认证): 6 digits, valid 5 minutes, 5 wrong entries
 * and the code is dead, a new code at most every 60 s, at most 10 codes per phone per natural day
 * (China time).
 */
export const SMS_CODE_POLICY = {
  digits: 6,
  ttlSeconds: 300,
  maxAttempts: 5,
  resendIntervalSeconds: 60,
  /** Per phone, per purpose (login, intent, authorisation each have their own budget), per natural day in China time. */
  dailyLimitPerPhone: 10,
} as const

/**
 * Unauthenticated sends (login codes) per source IP: at most `perSource` in each fixed window of
 * `windowSeconds`, so one client cannot walk through phone numbers (each phone also has its own
 * 60 s resend interval and daily login budget).
 */
export const UNAUTHENTICATED_SEND_POLICY = {
  perSource: 10,
  windowSeconds: 600,
} as const

/** A stored code: never the code itself, only a salted HMAC of it. */
export type StoredCode = {
  salt: string
  hash: string
  /** Epoch seconds. */
  issuedAt: number
  /** Epoch seconds: the code is refused from this moment. */
  validUntil: number
  /** Wrong entries so far. */
  attempts: number
  /** Set once the code was accepted: a replay is refused. */
  usedAt?: number
}

export type CodeCheck =
  | { outcome: 'accepted' }
  | { outcome: 'wrong'; attemptsLeft: number }
  | { outcome: 'expired' }
  | { outcome: 'used' }
  | { outcome: 'too-many-attempts' }

/**
 * A uniformly random decimal code of `digits` digits from `randomBytes` (rejection sampling, so no
 * digit is more likely than another).
 */
export function generateNumericCode(randomBytes: (n: number) => Uint8Array, digits: number = SMS_CODE_POLICY.digits): string {
  const range = 10 ** digits
  const limit = Math.floor(0x1_0000_0000 / range) * range
  for (;;) {
    const b = randomBytes(4)
    const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0
    if (n < limit) return String(n % range).padStart(digits, '0')
  }
}

/**
 * The salted hash of a code, bound to `scope` (what the code is for: a login, one contract's
 * signer), so a code issued for one purpose never verifies another.
 */
export function hashCode(salt: string, scope: string, code: string): string {
  return createHmac('sha256', Buffer.from(salt, 'base64')).update(`${scope}\u0000${code}`, 'utf8').digest('hex')
}

/** Build the stored form of a new code. */
export function storeCode(input: { code: string; salt: string; scope: string; now: Date; ttlSeconds?: number }): StoredCode {
  const issuedAt = Math.floor(input.now.getTime() / 1000)
  return { salt: input.salt, hash: hashCode(input.salt, input.scope, input.code), issuedAt, validUntil: issuedAt + (input.ttlSeconds ?? SMS_CODE_POLICY.ttlSeconds), attempts: 0 }
}

/**
 * Decide what an entered code means against the stored one, in a fixed order: already used →
 * `used`; past expiry → `expired`; attempts exhausted → `too-many-attempts`; then a constant-time
 * comparison of the hashes. The caller persists `attempts + 1` on `wrong` and `usedAt` on `accepted`.
 */
export function checkCode(stored: StoredCode, input: { code: string; scope: string; now: Date; maxAttempts?: number }): CodeCheck {
  const now = Math.floor(input.now.getTime() / 1000)
  const maxAttempts = input.maxAttempts ?? SMS_CODE_POLICY.maxAttempts
  if (stored.usedAt !== undefined) return { outcome: 'used' }
  if (now >= stored.validUntil) return { outcome: 'expired' }
  if (stored.attempts >= maxAttempts) return { outcome: 'too-many-attempts' }
  const given = Buffer.from(hashCode(stored.salt, input.scope, String(input.code ?? '')), 'hex')
  const expected = Buffer.from(stored.hash, 'hex')
  if (given.length === expected.length && timingSafeEqual(given, expected)) return { outcome: 'accepted' }
  return { outcome: 'wrong', attemptsLeft: Math.max(0, maxAttempts - stored.attempts - 1) }
}

/** Seconds until another code may be sent, 0 when one may be sent now. */
export function resendWaitSeconds(lastIssuedAt: number | undefined, now: Date, interval: number = SMS_CODE_POLICY.resendIntervalSeconds): number {
  if (lastIssuedAt === undefined) return 0
  return Math.max(0, lastIssuedAt + interval - Math.floor(now.getTime() / 1000))
}

/** The natural day in China time (UTC+8, no DST) of `now`, `YYYY-MM-DD`: the day of the daily limits. */
export function chinaDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** Epoch seconds at which the China-time day of `now` ends. */
export function endOfChinaDay(now: Date): number {
  const day = chinaDay(now)
  return Math.floor(Date.parse(`${day}T00:00:00+08:00`) / 1000) + 86400
}
