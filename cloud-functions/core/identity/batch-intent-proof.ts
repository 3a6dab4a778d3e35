import { createHash } from 'node:crypto'
import { canonicalJson } from './intent-proof'

/** One signing act of a batch: the contract, the signer's party and the SHA-256 of the document they will sign. */
export type BatchIntentItem = { contractId: string; signerId: string; documentHash: string }

/**
 * The record that a signer confirmed their intent (意愿认证) ONCE for several signing acts (批量签署):
 * every contract, party and document hash of the batch (`items`, each with the id of the
 * per-contract proof derived from it), who (account), how (SMS code or face) and when. Its
 * {@link batchIntentProofHash} is named by each per-contract `IntentProof` (`batchHash`), so each
 * signature's event certificate binds, through its own proof, the whole batch. No personal data
 * in clear: the phone appears as a lookup hash.
 */
export type BatchIntentProof = {
  v: 1
  batchId: string
  userId: string
  items: Array<BatchIntentItem & { proofId: string }>
  method: 'sms' | 'face'
  challengeId: string
  phoneHash?: string
  providerSessionHash?: string
  /** ISO 8601. */
  confirmedAt: string
}

/** SHA-256 (lowercase hex) of the batch proof's canonical JSON. */
export function batchIntentProofHash(proof: BatchIntentProof): string {
  return createHash('sha256').update(canonicalJson(proof), 'utf8').digest('hex')
}

/**
 * SHA-256 (lowercase hex) of the batch's acts in the order given: what an SMS code or a face
 * challenge for the batch is bound to, so a code for one selection does not confirm another.
 *
 * @example
 * batchItemsDigest([{ contractId: 'c1', signerId: 'B', documentHash: 'ab…' }]) // 64 hex
 */
export function batchItemsDigest(items: readonly BatchIntentItem[]): string {
  return createHash('sha256')
    .update(canonicalJson(items.map((i) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash }))), 'utf8')
    .digest('hex')
}
