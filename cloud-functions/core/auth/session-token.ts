import { createHmac, timingSafeEqual } from 'node:crypto'
import { decodeBase64UrlStrict } from '../shared/base64url'
import { err, ok, type Result } from '../shared/result'

/**
 * Who a request acts for. `user`: a logged-in account (WeChat or SMS login). `signing-link`: one
 * signer of one contract, from a link sent to them (SMS / subscription message).
 */
export type Session =
  | ({ kind: 'user'; sub: string } & SessionTimes)
  | ({ kind: 'signing-link'; sub: string; contractId: string; signerId: string } & SessionTimes)

/**
 * `iat`/`exp` in seconds; `sid` names this session for logout (server-side revocation),
 * `iatMs` orders it against "log out everywhere". Both are set by the issuer; tokens made
 * without them can only be revoked by "log out everywhere" (by `iat`).
 */
type SessionTimes = { iat: number; exp: number; sid?: string; iatMs?: number }

export type SessionClaims =
  | (Omit<Extract<Session, { kind: 'user' }>, keyof SessionTimes> & { sid?: string })
  | (Omit<Extract<Session, { kind: 'signing-link' }>, keyof SessionTimes> & { sid?: string })

export type SessionError = { code: 'UNAUTHENTICATED' | 'SESSION_EXPIRED'; message: string }

const PREFIX = 'qy1'

/**
 * A short-lived bearer token: `qy1.<base64url JSON claims>.<base64url HMAC-SHA256>`. The server
 * keeps the secret; tokens carry ids only, never personal data.
 *
 * @example
 * const token = issueSessionToken({ kind: 'user', sub: userId }, secret, clock.now(), 7200)
 * const session = verifySessionToken(token, secret, clock.now()) // { ok: true, value: { sub, ... } }
 */
export function issueSessionToken(claims: SessionClaims, secret: Uint8Array, now: Date, ttlSeconds: number): string {
  const iat = Math.floor(now.getTime() / 1000)
  const times = claims.sid ? { iat, iatMs: now.getTime(), exp: iat + ttlSeconds } : { iat, exp: iat + ttlSeconds }
  const payload = Buffer.from(JSON.stringify({ ...claims, ...times }), 'utf8').toString('base64url')
  return `${PREFIX}.${payload}.${mac(secret, payload)}`
}

/** Check a token's MAC and expiry; the claims when both hold. Both parts must be canonical base64url (no `=`, no stray characters, zero spare bits). */
export function verifySessionToken(token: string, secret: Uint8Array, now: Date): Result<Session, SessionError> {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== PREFIX || !parts[1] || !parts[2]) return err('UNAUTHENTICATED', '登录凭证格式不正确')
  const payload = decodeBase64UrlStrict(parts[1])
  const given = decodeBase64UrlStrict(parts[2])
  if (!payload || !given) return err('UNAUTHENTICATED', '登录凭证格式不正确')
  const expected = Buffer.from(mac(secret, parts[1]), 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return err('UNAUTHENTICATED', '登录凭证无效')
  let claims: Session
  try {
    claims = JSON.parse(payload.toString('utf8')) as Session
  } catch {
    return err('UNAUTHENTICATED', '登录凭证无效')
  }
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string') return err('UNAUTHENTICATED', '登录凭证无效')
  if (Math.floor(now.getTime() / 1000) >= claims.exp) return err('SESSION_EXPIRED', '登录已过期，请重新登录')
  return ok(claims)
}

function mac(secret: Uint8Array, payload: string): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest('base64url')
}
