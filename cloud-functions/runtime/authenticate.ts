import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { issueSessionToken, verifySessionToken, type Session, type SessionClaims } from '../core/auth/session-token'
import { err, type Result } from '../core/shared/result'
import { isSessionRevoked } from '../use-cases/auth/is-session-revoked'
import { loadOrCreateSecret, type Container } from './container'
import { header, type HttpEvent } from './http'

const secrets = new WeakMap<Container, Uint8Array>()

/** The session secret: `ESIGN_SESSION_SECRET` (base64, required in AWS mode) or a 0600 file in the data dir. */
function sessionSecret(deps: Container): Uint8Array {
  let secret = secrets.get(deps)
  if (!secret) {
    if (deps.config.sessionSecret) secret = new Uint8Array(Buffer.from(deps.config.sessionSecret, 'base64'))
    else if (deps.config.mode === 'local') secret = loadOrCreateSecret(path.join(deps.config.dataDir, 'keys', 'session.key'))
    else throw new Error('ESIGN_SESSION_SECRET is required when ESIGN_MODE=aws')
    secrets.set(deps, secret)
  }
  return secret
}

/**
 * The caller's session from `Authorization: Bearer <token>`: `UNAUTHENTICATED` (401) when absent
 * or forged, `SESSION_EXPIRED` (401) when too old, `SESSION_REVOKED` (401) after logout or "log out
 * everywhere" (checked in the metadata store; a "not revoked" answer is kept for a few seconds in
 * this process, see `use-cases/auth/session-revocation-cache.ts`). Handlers call it first and return its error.
 */
export async function authenticate(event: HttpEvent, deps: Container): Promise<Result<Session>> {
  const session = sessionClaims(event, deps)
  if (!session.ok) return session
  if (await isSessionRevoked(deps, session.value)) return err('SESSION_REVOKED', '已退出登录，请重新登录')
  return session
}

/**
 * The bearer token's claims when its MAC and expiry hold, without the revocation check: only for
 * reading the claims of a request that {@link authenticate} has already admitted.
 */
export function sessionClaims(event: HttpEvent, deps: Container): Result<Session> {
  const auth = header(event, 'authorization') ?? ''
  const m = /^Bearer\s+(\S+)$/i.exec(auth)
  if (!m) return err('UNAUTHENTICATED', '请先登录')
  return verifySessionToken(m[1]!, sessionSecret(deps), deps.clock.now())
}

/** A bearer token for `claims`, valid `ttlSeconds` (default 2 h), with a fresh session id (for logout). Login use cases hand it out. */
export function issueSession(deps: Container, claims: SessionClaims, ttlSeconds = 7200): string {
  return issueSessionToken({ ...claims, sid: claims.sid ?? randomBytes(16).toString('base64url') }, sessionSecret(deps), deps.clock.now(), ttlSeconds)
}
