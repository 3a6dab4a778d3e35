/** Metadata keys of the auth area: revoked sessions and each subject's "logged out everywhere" time. */

/** One logged-out session (`sid`); kept until the token would have expired anyway (`expiresAt`). */
export const revokedSessionKey = (sid: string) => ({ pk: `SESSION#${sid}`, sk: 'REVOKED' })

/** The time (ms) before which every session of `sub` is revoked ("log out everywhere"). */
export const sessionEpochKey = (sub: string) => ({ pk: `SESSIONS#${sub}`, sk: 'EPOCH' })
