import type { Session } from '../../core/auth/session-token'
import type { MetadataStore } from '../../ports/metadata-store'
import { revokedSessionKey, sessionEpochKey } from './records'

/**
 * Whether a session with a valid MAC was revoked: logged out itself (`sid`), or issued before its
 * subject logged out everywhere. Two strongly consistent reads.
 */
export async function isSessionRevoked(deps: { metadata: MetadataStore }, session: Session): Promise<boolean> {
  const [revoked, epoch] = await Promise.all([
    session.sid ? deps.metadata.get(revokedSessionKey(session.sid).pk, revokedSessionKey(session.sid).sk) : Promise.resolve(undefined),
    deps.metadata.get(sessionEpochKey(session.sub).pk, sessionEpochKey(session.sub).sk),
  ])
  if (revoked) return true
  const before = typeof epoch?.revokedBeforeMs === 'number' ? epoch.revokedBeforeMs : undefined
  if (before === undefined) return false
  const issuedMs = typeof session.iatMs === 'number' ? session.iatMs : session.iat * 1000
  return issuedMs < before
}
