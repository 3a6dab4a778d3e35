import { createHash } from 'node:crypto'

/**
 * The record that a signer confirmed their intent (意愿认证) for one signing act: who (user,
 * signer), what (contract, SHA-256 of the document they saw), how (SMS code to a phone, or a face
 * check) and when. Its {@link intentProofHash} goes into the event certificate's signing-act binding
 * and into the evidence chain. No personal data in clear: the phone appears as a lookup hash.
 */
export type IntentProof = {
  v: 1
  proofId: string
  contractId: string
  signerId: string
  userId: string
  /** SHA-256 of the document the signer saw, lowercase hex. */
  documentHash: string
  method: 'sms' | 'face'
  /** The challenge (code or face session) that was answered. */
  challengeId: string
  /** `sms`: lookup hash of the phone the code went to. */
  phoneHash?: string
  /** `face`: SHA-256 of the provider's session token (BizToken). */
  providerSessionHash?: string
  /** ISO 8601. */
  confirmedAt: string
  /** Derived from a batch confirmation (批量签署): the batch and `batchIntentProofHash` of its proof (`batch-intent-proof.ts`). */
  batchId?: string
  batchHash?: string
}

/** Canonical JSON (keys sorted at every level, no whitespace; RFC 8785 for the values used here). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort(byCodeUnits)
  let out = ''
  for (const k of keys) {
    const v = record[k]
    if (v === undefined) continue
    out += `${out ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`
  }
  return `{${out}}`
}

/** Module-level, not a closure per call (see docs/ARCHITECTURE.md, "No closures made per call on hot paths"). */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * SHA-256 (lowercase hex) of the proof's canonical JSON: what binds a signature to this proof.
 *
 * @example
 * const hash = intentProofHash(proof) // 64 hex; pass to issueEventCertificate({ intentHash: hash })
 */
export function intentProofHash(proof: IntentProof): string {
  return createHash('sha256').update(canonicalJson(proof), 'utf8').digest('hex')
}

/** Whether `h` has the shape of a SHA-256 document hash (64 hex digits). */
export const isSha256Hex = (h: string): boolean => /^[0-9a-f]{64}$/.test(h)
