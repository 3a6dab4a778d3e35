import type { IntentFaceStarted } from '../../api/signing.types'
import { batchItemsDigest, type BatchIntentItem } from '../../core/identity/batch-intent-proof'
import type { Result } from '../../core/shared/result'
import type { SigningDeps } from './deps'
import { batchFaceKey } from './records'
import { requireBatchParties } from './request-batch-intent-code'
import { startFaceChallenge } from './start-intent-face'

/**
 * `POST /api/signing/intent/batches/face`: confirm a batch's intent by one face check instead of a
 * code; the challenge is bound to the batch's acts (their digest) and the account.
 */
export async function startBatchIntentFace(deps: SigningDeps, input: { userId: string; returnUrl?: string; items: readonly BatchIntentItem[] }): Promise<Result<IntentFaceStarted>> {
  const parties = await requireBatchParties(deps, input.userId, input.items)
  if (!parties.ok) return parties
  const challengeId = deps.ids.newId()
  const started = await startFaceChallenge(deps, {
    userId: input.userId,
    ...(input.returnUrl !== undefined ? { returnUrl: input.returnUrl } : {}),
    challengeId,
    key: batchFaceKey(input.userId, challengeId),
    binding: batchItemsDigest(input.items),
  })
  if (started.ok) deps.logger.info({ userId: input.userId, contracts: input.items.length, challengeId }, 'batch intent face started')
  return started
}
