import type { BatchIntentProofView } from '../../api/signing.types'
import { batchIntentProofHash, batchItemsDigest, type BatchIntentItem, type BatchIntentProof } from '../../core/identity/batch-intent-proof'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { intentProofHash, type IntentProof } from '../../core/identity/intent-proof'
import { lookupHash } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import { appendEvidence } from '../evidence/append-evidence'
import { epochSeconds, requireUser } from '../identity/records'
import { verifySmsCode } from '../identity/verify-sms-code'
import { INTENT_PROOF_USABLE_SECONDS, resolveFaceChallenge } from './confirm-intent'
import type { SigningDeps } from './deps'
import { batchFaceKey, batchIntentKey, intentProofKey } from './records'
import { batchIntentScope, requireBatchParties } from './request-batch-intent-code'
import { intentPhone } from './request-intent-code'

export type ConfirmBatchIntentInput = { userId: string; items: readonly BatchIntentItem[]; request?: EvidenceContext } & ({ method: 'sms'; code: string } | { method: 'face'; challengeId: string })

/**
 * Confirm intent ONCE for a batch of signing acts (批量签署) by the SMS code from
 * `requestBatchIntentCode` or a finished face challenge from `startBatchIntentFace`. Records:
 * - the batch proof ({@link BatchIntentProof}: every contract, signer and document hash, the
 *   account, method and time) under the account, with its hash and lifetime (10 minutes);
 * - for each contract, its own `IntentProof` naming the batch and the batch proof's hash, in one
 *   transaction with its `intent.confirmed` record in that contract's evidence chain (as
 *   `confirmIntent` does), so `signContract` verifies and consumes it exactly like a single proof:
 *   for that contract, signer, document and account only, once, within the lifetime.
 * The batch record is written last: a batch is usable only when every contract's proof and
 * evidence record exist.
 */
export async function confirmBatchIntent(deps: SigningDeps, input: ConfirmBatchIntentInput): Promise<Result<BatchIntentProofView>> {
  const parties = await requireBatchParties(deps, input.userId, input.items)
  if (!parties.ok) return parties
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const now = deps.clock.now()
  let evidence: Pick<BatchIntentProof, 'challengeId' | 'phoneHash' | 'providerSessionHash'>
  if (input.method === 'sms') {
    const phone = intentPhone(deps, user.value)
    if (!phone) return err('PERSON_NOT_VERIFIED', '账号没有可接收验证码的手机号，请先完成实名认证')
    const checked = await verifySmsCode(deps, { phone, purpose: 'intent', scope: batchIntentScope(input.userId, input.items), code: input.code })
    if (!checked.ok) return checked
    evidence = { challengeId: `sms:${deps.ids.newId()}`, phoneHash: lookupHash(deps.personalData, 'phone', phone) }
  } else {
    const face = await resolveFaceChallenge(deps, user.value, { userId: input.userId, challengeId: input.challengeId, key: batchFaceKey(input.userId, input.challengeId), binding: batchItemsDigest(input.items) }, now)
    if (!face.ok) return face
    evidence = face.value
  }
  const batch: BatchIntentProof = {
    v: 1,
    batchId: deps.ids.newId(),
    userId: input.userId,
    items: input.items.map((i) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash, proofId: deps.ids.newId() })),
    method: input.method,
    ...evidence,
    confirmedAt: now.toISOString(),
  }
  const batchHash = batchIntentProofHash(batch)
  const usableUntil = epochSeconds(now) + INTENT_PROOF_USABLE_SECONDS
  const proofHashes: string[] = []
  for (const item of batch.items) {
    const proof: IntentProof = {
      v: 1,
      proofId: item.proofId,
      contractId: item.contractId,
      signerId: item.signerId,
      userId: input.userId,
      documentHash: item.documentHash,
      method: input.method,
      ...evidence,
      confirmedAt: batch.confirmedAt,
      batchId: batch.batchId,
      batchHash,
    }
    const proofHash = intentProofHash(proof)
    const appended = await appendEvidence(deps, {
      event: {
        type: 'intent.confirmed',
        data: { contractId: item.contractId, signerId: item.signerId, proofId: item.proofId, documentHash: item.documentHash, method: input.method, proofHash, batchId: batch.batchId, batchHash },
      },
      at: now,
      context: input.request ?? { actor: `user:${input.userId}` },
      with: [{ put: { ...intentProofKey(item, item.proofId), type: 'intent-proof', proof, proofHash, usableUntil }, condition: { mustNotExist: true } }],
    })
    if (!appended.ok) {
      deps.logger.warn({ batchId: batch.batchId, contractId: item.contractId, reason: appended.error.details?.reason }, 'batch intent proof not recorded')
      return appended
    }
    proofHashes.push(proofHash)
  }
  const stored = { ...batchIntentKey(input.userId, batch.batchId), type: 'intent-batch', proof: batch, proofHash: batchHash, proofHashes, usableUntil, expiresAt: usableUntil + 30 * 86400 }
  await deps.metadata.put(stored, { mustNotExist: true })
  deps.logger.info({ userId: input.userId, batchId: batch.batchId, contracts: batch.items.length, method: input.method, batchHash }, 'batch intent confirmed')
  return ok(batchView(batch, batchHash, proofHashes, usableUntil, {}))
}

/** The answer for a batch proof: the proof, its hash, lifetime, and each contract's proof (with when it was used). */
export function batchView(batch: BatchIntentProof, batchHash: string, proofHashes: readonly string[], usableUntil: number, usedAt: Record<string, string>): BatchIntentProofView {
  return {
    batchId: batch.batchId,
    proofHash: batchHash,
    method: batch.method,
    confirmedAt: batch.confirmedAt,
    expiresAt: new Date(usableUntil * 1000).toISOString(),
    items: batch.items.map((i, n) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash, proofId: i.proofId, proofHash: proofHashes[n] ?? '', ...(usedAt[i.proofId] ? { usedAt: usedAt[i.proofId] } : {}) })),
  }
}
