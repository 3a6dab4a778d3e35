import type { Session } from '../../core/auth/session-token'
import { ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { revokedSessionKey, sessionEpochKey } from './records'
import { sessionRevocationCache } from './session-revocation-cache'

type Deps = { metadata: MetadataStore; clock: Clock }

/**
 * Log out this session: its id is recorded as revoked until the token expires, and
 * `runtime/authenticate.ts` refuses it from then on. Idempotent.
 */
export async function logOut(deps: Deps, session: Session): Promise<Result<void>> {
  if (session.sid) {
    await deps.metadata.put({ ...revokedSessionKey(session.sid), type: 'revoked-session', expiresAt: session.exp })
    sessionRevocationCache(deps.metadata).forgetSession(session.sid)
  } else await logOutEverywhere(deps, session)
  return ok(undefined)
}

/**
 * Log out every session of the caller's subject, on every device: sessions issued before now are
 * refused from then on (a login afterwards works). The record outlives every token (12 h at most),
 * then expires.
 */
export async function logOutEverywhere(deps: Deps, session: Pick<Session, 'sub'>): Promise<Result<void>> {
  const now = deps.clock.now().getTime()
  await deps.metadata.put({ ...sessionEpochKey(session.sub), type: 'session-epoch', revokedBeforeMs: now, expiresAt: Math.floor(now / 1000) + 2 * 86_400 })
  sessionRevocationCache(deps.metadata).forgetSubject(session.sub)
  return ok(undefined)
}
