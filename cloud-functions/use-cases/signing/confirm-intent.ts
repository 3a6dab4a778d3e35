import { createHash } from 'node:crypto'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import type { IntentProofView } from '../../api/signing.types'
import { FACE_POLICY, recordFailure } from '../../core/identity/attempt-limits'
import { intentProofHash, isSha256Hex, type IntentProof } from '../../core/identity/intent-proof'
import { lookupHash } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import type { SigningDeps } from './deps'
import { appendEvidence } from '../evidence/append-evidence'
import { epochSeconds, faceLimitKey, loadFaceCounter, requireUser, type UserRecord } from '../identity/records'
import { callProvider } from '../identity/call-provider'
import { intentPhone, intentScope, type IntentTarget } from './request-intent-code'
import { intentFaceKey, intentProofKey, type FaceChallengeKey } from './records'
import { requireIntentParty } from './require-intent-party'
import { verifySmsCode } from '../identity/verify-sms-code'

/** How long the signing step accepts a proof after it was made. */
export const INTENT_PROOF_USABLE_SECONDS = 10 * 60

export type ConfirmIntentInput = { userId: string; request?: EvidenceContext } & IntentTarget & ({ method: 'sms'; code: string } | { method: 'face'; challengeId: string })

/**
 * Confirm a signer's intent for one signing act (意愿认证) and record the proof: by the SMS code
 * from `requestIntentCode` (bound to contract + signer + document hash + account, so a code for
 * another act or document does not verify), or by a finished face challenge from
 * `startIntentFace`. The proof ({@link IntentProof}) is stored under the contract and signer with
 * its hash, in the same transaction as an `intent.confirmed` record in the contract's evidence
 * chain (`append-evidence.ts`): no proof without its evidence. The signing step calls
 * `verifyIntentProof` within 10 minutes and binds the hash into the signer's event certificate. Called by `POST /api/signing/intent/confirm` and by the authorisation
 * letter signing.
 */
export async function confirmIntent(deps: SigningDeps, input: ConfirmIntentInput): Promise<Result<IntentProofView & { proof: IntentProof }>> {
  if (!isSha256Hex(input.documentHash)) return err('VALIDATION_FAILED', '文档哈希应为 64 位小写十六进制 SHA-256', { field: 'documentHash' })
  // Only a party of a live contract: otherwise 404 and nothing written (no proof, no evidence record).
  const party = await requireIntentParty(deps, input)
  if (!party.ok) return party
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const now = deps.clock.now()
  let evidence: Pick<IntentProof, 'challengeId' | 'phoneHash' | 'providerSessionHash'>
  if (input.method === 'sms') {
    const phone = intentPhone(deps, user.value)
    if (!phone) return err('PERSON_NOT_VERIFIED', '账号没有可接收验证码的手机号，请先完成实名认证')
    const checked = await verifySmsCode(deps, { phone, purpose: input.contractId.startsWith('company-authorization.') ? 'authorization' : 'intent', scope: intentScope(input.userId, input), code: input.code })
    if (!checked.ok) return checked
    evidence = { challengeId: `sms:${deps.ids.newId()}`, phoneHash: lookupHash(deps.personalData, 'phone', phone) }
  } else {
    const face = await resolveFaceChallenge(deps, user.value, { userId: input.userId, challengeId: input.challengeId, key: intentFaceKey(input, input.challengeId), binding: input.documentHash }, now)
    if (!face.ok) return face
    evidence = face.value
  }
  const proof: IntentProof = {
    v: 1,
    proofId: deps.ids.newId(),
    contractId: input.contractId,
    signerId: input.signerId,
    userId: input.userId,
    documentHash: input.documentHash,
    method: input.method,
    ...evidence,
    confirmedAt: now.toISOString(),
  }
  const proofHash = intentProofHash(proof)
  const usableUntil = epochSeconds(now) + INTENT_PROOF_USABLE_SECONDS
  // The proof and its intent.confirmed evidence record are written in ONE transaction: a proof is
  // usable (verifyIntentProof finds it) exactly when the chain records it, and an event never names
  // a proof that does not exist. (Appending first and writing the proof after would leave an
  // evidence record for a proof that was never stored whenever the second write failed, and the
  // append-only chain cannot take it back.) A concurrent append to the same contract that takes
  // our `seq` fails the whole transaction; appendEvidence re-reads the head and retries both writes.
  const appended = await appendEvidence(deps, {
    event: {
      type: 'intent.confirmed',
      data: { contractId: proof.contractId, signerId: proof.signerId, proofId: proof.proofId, documentHash: proof.documentHash, method: proof.method, proofHash },
    },
    at: now,
    context: input.request ?? { actor: `user:${input.userId}` },
    with: [{ put: { ...intentProofKey(input, proof.proofId), type: 'intent-proof', proof, proofHash, usableUntil }, condition: { mustNotExist: true } }],
  })
  if (!appended.ok) {
    deps.logger.warn({ contractId: input.contractId, signerId: input.signerId, proofId: proof.proofId, reason: appended.error.details?.reason }, 'intent proof not recorded')
    return appended
  }
  deps.logger.info({ userId: input.userId, contractId: input.contractId, signerId: input.signerId, proofId: proof.proofId, method: input.method, proofHash, evidenceSeq: appended.value.record.seq }, 'intent confirmed')
  return ok({ ...toView(proof, proofHash, usableUntil), proof })
}

export function toView(proof: IntentProof, proofHash: string, usableUntil: number): IntentProofView {
  return {
    proofId: proof.proofId,
    proofHash,
    contractId: proof.contractId,
    signerId: proof.signerId,
    documentHash: proof.documentHash,
    method: proof.method,
    confirmedAt: proof.confirmedAt,
    expiresAt: new Date(usableUntil * 1000).toISOString(),
  }
}

/**
 * The outcome of a face challenge started for intent (stored under `key` with the `binding` it was
 * made for: a document hash, or a batch's items digest): the challenge id and the provider
 * session's hash when passed; closed (deleted) on every final answer.
 */
export async function resolveFaceChallenge(
  deps: SigningDeps,
  user: UserRecord,
  input: { userId: string; challengeId: string; key: FaceChallengeKey; binding: string },
  now: Date,
): Promise<Result<Pick<IntentProof, 'challengeId' | 'providerSessionHash'>>> {
  const key = input.key
  const challenge = await deps.metadata.get(key.pk, key.sk)
  if (!challenge || challenge.userId !== input.userId || challenge.documentHash !== input.binding) {
    return err('INTENT_PROOF_INVALID', '刷脸确认已失效或与当前签署不符，请重新发起', { field: 'challengeId' })
  }
  if (epochSeconds(now) >= Number(challenge.validUntil)) return err('FACE_SESSION_EXPIRED', '人脸核验已超时，请重新发起')
  const result = await callProvider(deps.logger, 'getFaceResult', () => deps.identity.getFaceResult({ sessionToken: String(challenge.token) }))
  if (!result.ok) return result
  const outcome = result.value
  if (outcome.outcome === 'pending') return err('FACE_PENDING', '人脸核验尚未完成，请完成后再确认')
  // Every other answer closes the challenge (conditionally: one poll wins, the others see it gone).
  const closed = await deps.metadata.delete(key.pk, key.sk, { expectedVersion: challenge.version })
  if (!closed.ok) return err('INTENT_PROOF_INVALID', '刷脸确认已被处理，请重新发起')
  if (outcome.outcome === 'expired') return err('FACE_SESSION_EXPIRED', '人脸核验已失效，请重新发起')
  if (outcome.outcome === 'fail') {
    const idHash = user.person?.idHash
    let attemptsLeft: number = FACE_POLICY.maxFailures
    if (idHash) {
      for (let round = 0; round < 5; round++) {
        const current = await loadFaceCounter(deps.metadata, idHash)
        const next = recordFailure(current, now)
        const item = { ...faceLimitKey(idHash), failures: next.failures, ...(next.lockedUntil ? { lockedUntil: next.lockedUntil, expiresAt: next.lockedUntil + 24 * 3600 } : {}) }
        const written = await deps.metadata.put(item, current?.version ? { expectedVersion: current.version } : { mustNotExist: true })
        if (written.ok) {
          attemptsLeft = Math.max(0, FACE_POLICY.maxFailures - next.failures)
          break
        }
      }
    }
    return err('FACE_FAILED', `人脸核验未通过：${outcome.message}`, { attemptsLeft })
  }
  return ok({ challengeId: input.challengeId, providerSessionHash: createHash('sha256').update(String(challenge.token)).digest('hex') })
}
