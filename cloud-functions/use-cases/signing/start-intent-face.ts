import type { IntentFaceStarted } from '../../api/signing.types'
import { lockState } from '../../core/identity/attempt-limits'
import { decryptPersonalData } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import type { SigningDeps } from './deps'
import { epochSeconds, loadFaceCounter, requireUser } from '../identity/records'
import { callProvider } from '../identity/call-provider'
import type { IntentTarget } from './request-intent-code'
import { requireIntentParty } from './require-intent-party'
import { FACE_SESSION_SECONDS, checkReturnUrl } from '../identity/start-face-verification'
import { intentFaceKey, type FaceChallengeKey } from './records'

/**
 * `POST /api/signing/intent/face`: confirm intent by a face check instead of a code. Needs a verified
 * person (the face is compared with their ID photo); the same 5-failures / 24 h lock applies.
 * Returns the provider URL and a challenge id for `confirmIntent({ method: 'face' })`.
 */
export async function startIntentFace(deps: SigningDeps, input: { userId: string; returnUrl?: string } & IntentTarget): Promise<Result<IntentFaceStarted>> {
  const party = await requireIntentParty(deps, input)
  if (!party.ok) return party
  const challengeId = deps.ids.newId()
  const started = await startFaceChallenge(deps, { userId: input.userId, ...(input.returnUrl !== undefined ? { returnUrl: input.returnUrl } : {}), challengeId, key: intentFaceKey(input, challengeId), binding: input.documentHash })
  if (started.ok) deps.logger.info({ userId: input.userId, contractId: input.contractId, signerId: input.signerId, challengeId }, 'intent face started')
  return started
}

/**
 * A face session for an intent confirmation, stored under `key` with what it confirms (`binding`:
 * a document hash, or a batch's items digest) for `resolveFaceChallenge`. Needs a verified person;
 * the 5-failures / 24 h lock applies.
 */
export async function startFaceChallenge(
  deps: SigningDeps,
  input: { userId: string; returnUrl?: string; challengeId: string; key: FaceChallengeKey; binding: string },
): Promise<Result<IntentFaceStarted>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const person = user.value.person
  if (person?.status !== 'verified') return err('PERSON_NOT_VERIFIED', '刷脸确认意愿前，请先完成个人实名认证')
  const now = deps.clock.now()
  const lock = lockState(await loadFaceCounter(deps.metadata, person.idHash), now)
  if (lock.locked) return err('FACE_LOCKED', '人脸核验失败次数过多，请稍后再试或改用短信验证码', { retryAfterSeconds: lock.retryAfterSeconds })
  const returnUrl = checkReturnUrl(input.returnUrl, deps.config.publicBaseUrl)
  if (!returnUrl.ok) return returnUrl
  const challengeId = input.challengeId
  const session = await callProvider(deps.logger, 'startFaceSession', () =>
    deps.identity.startFaceSession({
      name: person.name,
      idNumber: decryptPersonalData(deps.personalData, 'id-number', person.idNumberEnc),
      redirectUrl: returnUrl.value,
      reference: `intent:${challengeId}`,
    }),
  )
  if (!session.ok) return session
  const validUntil = epochSeconds(now) + FACE_SESSION_SECONDS
  await deps.metadata.put(
    { ...input.key, userId: input.userId, documentHash: input.binding, token: session.value.sessionToken, validUntil, expiresAt: validUntil + 3600 },
    { mustNotExist: true },
  )
  return ok({ challengeId, url: session.value.url, expiresInSeconds: FACE_SESSION_SECONDS })
}
