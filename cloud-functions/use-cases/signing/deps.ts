import type { IdentityDeps } from '../identity/deps'

/**
 * What the signing use cases (intent now; the sign act with the contracts lifecycle) need: the
 * identity services (SMS, face, personal-data keys) and the trust services (event certificates).
 */
export type SigningDeps = IdentityDeps
