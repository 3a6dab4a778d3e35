/**
 * Identity checks (实名认证) by an outside authority. Implemented by
 * `adapters/tencent-cloud/tencent-identity-provider.ts` (FaceID IdCardVerification,
 * PhoneVerification, DetectAuth + GetDetectInfoEnhanced; OCR VerifyEnterpriseFourFactors) and
 * `adapters/sandbox/sandbox-identity-provider.ts` (documented test identities, a 沙箱 face page).
 *
 * Answers are values ({@link IdentityCheck}, {@link FaceResult}); when no answer can be had the
 * methods throw `ProviderUnavailableError` (retryable) or `ProviderRejectedError` (setup problem),
 * from `ports/provider-errors.ts`. Inputs are already checked locally (check digits, phone shape).
 */
export interface IdentityProvider {
  /** Name + resident ID number (二要素). */
  verifyIdNumber(input: { name: string; idNumber: string }): Promise<IdentityCheck>
  /** Carrier three-element check: the mobile number is registered to this name and ID number (运营商三要素). */
  verifyPhoneOwner(input: { name: string; idNumber: string; phone: string }): Promise<IdentityCheck>
  /**
   * Start a face liveness-and-compare session against the ID photo on record. The user opens `url`
   * (H5; in the mini-program inside a web-view); the provider sends them back to `redirectUrl`.
   */
  startFaceSession(input: { name: string; idNumber: string; redirectUrl: string; reference: string }): Promise<FaceSession>
  /** The outcome of a face session (can be asked repeatedly while the session lives). */
  getFaceResult(input: { sessionToken: string }): Promise<FaceResult>
  /** Business-registry check: the company, its credit code and its legal representative (name + ID number) belong together. */
  verifyEnterprise(input: { companyName: string; creditCode: string; legalRepName: string; legalRepIdNumber: string }): Promise<IdentityCheck>
  /** What answers these checks, for logs and the UI (`sandbox` shows the 沙箱 labels). */
  describe(): { kind: 'sandbox' | 'tencent-cloud' }
}

/** A check's answer. `fail.reason` says what the authority said; `providerCode` is its own code, for support. */
export type IdentityCheck =
  | { outcome: 'pass' }
  | { outcome: 'fail'; reason: IdentityFailReason; message: string; providerCode?: string }

export type IdentityFailReason =
  /** The elements do not belong together. */
  | 'mismatch'
  /** The authority has no record of this ID number / phone / company. */
  | 'no-record'
  /** The authority refused an input as malformed (a name it does not accept, an unsupported number range). */
  | 'invalid-input'
  /** The daily quota for this identity or account is used up: try tomorrow. */
  | 'daily-limit'

export type FaceSession = { sessionToken: string; url: string }

export type FaceResult =
  | { outcome: 'pass'; similarity?: number }
  /** The user has not finished (or not started) the flow. */
  | { outcome: 'pending' }
  /** The session token is no longer valid: start a new session (not counted as a failed attempt). */
  | { outcome: 'expired' }
  /** A finished attempt that failed: counts towards the face lock. */
  | { outcome: 'fail'; message: string; providerCode?: string }
