import type { Session } from '../../core/auth/session-token'
import type { MetadataStore } from '../../ports/metadata-store'
import { revokedSessionKey, sessionEpochKey } from './records'
import { sessionRevocationCache } from './session-revocation-cache'

/**
 * Whether a session with a valid MAC was revoked: logged out itself (`sid`), or issued before its
 * subject logged out everywhere. Two strongly consistent reads, each skipped while this process
 * read it within the last few seconds (`session-revocation-cache.ts`: a revoked session is never
 * cached, and this process's own logouts take effect at once).
 */
export async function isSessionRevoked(deps: { metadata: MetadataStore }, session: Session): Promise<boolean> {
  const cache = sessionRevocationCache(deps.metadata)
  const sid = session.sid
  const generation = cache.generation()
  const sidKnownGood = sid === undefined || cache.knownNotRevoked(sid)
  const cachedEpoch = cache.epoch(session.sub)
  const [revoked, epoch] = await Promise.all([
    sidKnownGood ? Promise.resolve(undefined) : deps.metadata.get(revokedSessionKey(sid!).pk, revokedSessionKey(sid!).sk),
    cachedEpoch ? Promise.resolve(undefined) : deps.metadata.get(sessionEpochKey(session.sub).pk, sessionEpochKey(session.sub).sk),
  ])
  if (revoked) return true
  const before = cachedEpoch ? cachedEpoch.revokedBeforeMs : typeof epoch?.revokedBeforeMs === 'number' ? epoch.revokedBeforeMs : undefined
  if (!cachedEpoch) cache.rememberEpoch(session.sub, before, generation)
  const issuedMs = typeof session.iatMs === 'number' ? session.iatMs : session.iat * 1000
  const isRevoked = before !== undefined && issuedMs < before
  if (sid !== undefined && !sidKnownGood) cache.rememberNotRevoked(sid, generation)
  return isRevoked
}
