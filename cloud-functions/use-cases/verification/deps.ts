import type { VerifyDocumentDeps } from './verify-document'

/**
 * What the verification use cases need: the clock, the trust roots and a revocation source
 * (`runtime/services.ts` `getVerificationServices` builds them over the platform CA).
 */
export type VerificationDeps = VerifyDocumentDeps
