import { intentProofHash, type IntentProof } from '../../core/identity/intent-proof'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { intentProofKey } from './records'
import { epochSeconds, withoutVersion } from '../identity/records'

/**
 * What the signing step calls before it signs: is `proofId` a proof of intent for exactly this
 * contract, signer and document hash (and account, when given), made in the last 10 minutes, not
 * used yet, and unaltered (its stored hash is recomputed)? With `consume`, the proof is marked used
 * in the same conditional write, so one proof signs once. Every failure is `INTENT_PROOF_INVALID`
 * with `details.reason` (`not-found`, `mismatch`, `tampered`, `expired`, `used`).
 *
 * @example
 * const intent = await verifyIntentProof(deps, { proofId, contractId, signerId, documentHash, userId, consume: true })
 * if (!intent.ok) return intent
 * await ca.issueEventCertificate({ name, contractId, intentHash: intent.value.proofHash })
 */
export async function verifyIntentProof(
  deps: { metadata: MetadataStore; clock: Clock },
  input: { proofId: string; contractId: string; signerId: string; documentHash: string; userId?: string; consume?: boolean },
): Promise<Result<{ proof: IntentProof; proofHash: string }>> {
  const invalid = (reason: string, message = '意愿认证无效或已过期，请重新认证') => err('INTENT_PROOF_INVALID', message, { reason })
  const key = intentProofKey(input, input.proofId)
  const item = await deps.metadata.get(key.pk, key.sk)
  if (!item) return invalid('not-found')
  const proof = item.proof as IntentProof
  if (proof.contractId !== input.contractId || proof.signerId !== input.signerId || proof.documentHash !== input.documentHash || (input.userId && proof.userId !== input.userId)) {
    return invalid('mismatch', '意愿认证与当前签署的合同、签署人或文档不符')
  }
  const proofHash = intentProofHash(proof)
  if (proofHash !== item.proofHash) return invalid('tampered')
  if (item.usedAt !== undefined) return invalid('used', '该意愿认证已用于一次签署，请重新认证')
  if (epochSeconds(deps.clock.now()) >= Number(item.usableUntil)) return invalid('expired', '意愿认证已超过 10 分钟，请重新认证')
  if (input.consume) {
    const written = await deps.metadata.put({ ...withoutVersion(item), usedAt: epochSeconds(deps.clock.now()) }, { expectedVersion: item.version })
    if (!written.ok) return invalid('used', '该意愿认证已用于一次签署，请重新认证')
  }
  return ok({ proof, proofHash })
}
