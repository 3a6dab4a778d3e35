import type { BatchIntentProofView } from '../../api/signing.types'
import { batchIntentProofHash, type BatchIntentProof } from '../../core/identity/batch-intent-proof'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { batchView } from './confirm-batch-intent'
import { batchIntentKey, intentProofKey } from './records'

/**
 * A batch intent proof of the caller's account, read back (`GET /api/signing/intent/batches/{batchId}`):
 * every contract and document hash it names, each contract's proof and when it was used. Another
 * account's batch, or none, is `NOT_FOUND`. With `usable`, it must also be unaltered and within its
 * lifetime (else `INTENT_PROOF_INVALID`): what `batchSignContracts` requires.
 */
export async function getBatchIntent(
  deps: { metadata: MetadataStore; clock: Clock },
  input: { userId: string; batchId: string; usable?: boolean },
): Promise<Result<{ view: BatchIntentProofView; proof: BatchIntentProof }>> {
  const key = batchIntentKey(input.userId, input.batchId)
  const item = await deps.metadata.get(key.pk, key.sk)
  if (!item) return input.usable ? err('INTENT_PROOF_INVALID', '批量意愿认证不存在，请重新认证', { reason: 'not-found' }) : err('NOT_FOUND', '批量意愿认证不存在')
  const proof = item.proof as BatchIntentProof
  if (input.usable) {
    if (proof.userId !== input.userId || batchIntentProofHash(proof) !== item.proofHash) return err('INTENT_PROOF_INVALID', '意愿认证无效或已过期，请重新认证', { reason: 'tampered' })
    if (Math.floor(deps.clock.now().getTime() / 1000) >= Number(item.usableUntil)) return err('INTENT_PROOF_INVALID', '批量意愿认证已超过 10 分钟，请重新认证', { reason: 'expired' })
  }
  const usedAt: Record<string, string> = {}
  const proofs = await Promise.all(proof.items.map((i) => deps.metadata.get(intentProofKey(i, i.proofId).pk, intentProofKey(i, i.proofId).sk)))
  proofs.forEach((p, n) => {
    if (p?.usedAt !== undefined) usedAt[proof.items[n]!.proofId] = new Date(Number(p.usedAt) * 1000).toISOString()
  })
  return ok({ view: batchView(proof, String(item.proofHash), item.proofHashes as string[], Number(item.usableUntil), usedAt), proof })
}
