import type { PersonVerificationView } from '../../api/identity.types'
import { FACE_POLICY, lockState, recordFailure } from '../../core/identity/attempt-limits'
import { decryptPersonalData } from '../../core/identity/personal-data'
import { identitySerialNumber } from '../../core/pki/certificate-profile'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { issueLongTermCertificate } from '../pki/issue-long-term-certificate'
import { epochSeconds, faceLimitKey, idNumberLookupKey, loadFaceCounter, personView, requireUser, withoutVersion, type PersonRecord, type UserRecord } from './records'
import { callProvider } from './call-provider'

/**
 * `POST /api/identity/person/face/result`: step 3 — ask the provider how the face session ended.
 *
 * - still running → `FACE_PENDING` (nothing changes; ask again later);
 * - session gone → `FACE_SESSION_EXPIRED` (start again; not a failed attempt);
 * - failed → the session is closed and one failure counted against the ID number: `FACE_FAILED`
 *   with `attemptsLeft`; the fifth failure locks face checks for 24 h (`lockedUntil`);
 * - passed → status `verified`, the ID number bound to this account, failures cleared, and a
 *   certificate issued for the verified name (the identity leads to a certificate).
 *
 * The session is closed with a conditional write before anything is counted, so two concurrent
 * polls never count one attempt twice.
 */
export async function completeFaceVerification(deps: IdentityDeps, input: { userId: string }): Promise<Result<PersonVerificationView>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const person = user.value.person
  if (person?.status === 'verified') return err('ALREADY_VERIFIED', '您已完成实名认证')
  if (!person?.faceSession) return err('VERIFICATION_STEP_INVALID', '请先发起人脸核验')
  const now = deps.clock.now()
  const sandbox = deps.identity.describe().kind === 'sandbox'
  if (epochSeconds(now) >= person.faceSession.validUntil) {
    await closeSession(deps, user.value, person)
    return err('FACE_SESSION_EXPIRED', '人脸核验已超时，请重新发起')
  }
  const lock = lockState(await loadFaceCounter(deps.metadata, person.idHash), now)
  if (lock.locked) return err('FACE_LOCKED', '人脸核验失败次数过多，请稍后再试', { retryAfterSeconds: lock.retryAfterSeconds })

  const result = await callProvider(deps.logger, 'getFaceResult', () => deps.identity.getFaceResult({ sessionToken: person.faceSession!.token }))
  if (!result.ok) return result
  const outcome = result.value
  if (outcome.outcome === 'pending') return err('FACE_PENDING', '人脸核验尚未完成，请在打开的页面中完成后再查询')
  if (outcome.outcome === 'expired') {
    await closeSession(deps, user.value, person)
    return err('FACE_SESSION_EXPIRED', '人脸核验已失效，请重新发起')
  }
  if (outcome.outcome === 'fail') {
    if (!(await closeSession(deps, user.value, person))) return err('CONFLICT', '人脸核验结果正在处理，请刷新后查看')
    const counter = await countFailure(deps, person.idHash, now)
    deps.logger.info({ userId: input.userId, step: 'face-failed', failures: counter.failures, providerCode: outcome.providerCode }, 'person verification')
    const attemptsLeft = Math.max(0, FACE_POLICY.maxFailures - counter.failures)
    if (counter.lockedUntil) {
      return err('FACE_FAILED', `人脸核验未通过：${outcome.message}。已连续失败 ${counter.failures} 次，24 小时内不能再次核验`, {
        attemptsLeft: 0,
        lockedUntil: new Date(counter.lockedUntil * 1000).toISOString(),
      })
    }
    return err('FACE_FAILED', `人脸核验未通过：${outcome.message}。还可尝试 ${attemptsLeft} 次`, { attemptsLeft })
  }
  return markVerified(deps, user.value, person, now, sandbox)
}

async function markVerified(deps: IdentityDeps, user: UserRecord, person: PersonRecord, now: Date, sandbox: boolean): Promise<Result<PersonVerificationView>> {
  const idNumber = decryptPersonalData(deps.personalData, 'id-number', person.idNumberEnc)
  // The verified identity leads to a certificate: a long-term one, key in the platform key vault.
  const issued = await issueLongTermCertificate(
    { metadata: deps.metadata, clock: deps.clock, ca: deps.pki.ca },
    { owner: user.userId, name: person.name, subjectSerialNumber: identitySerialNumber(idNumber, deps.personalData.identitySalt) },
  )
  if (!issued.ok) return issued
  const { serialNumber, notAfter } = issued.value.record
  const objectKey = `certificates/users/${user.userId}/${serialNumber}.cer`
  await deps.objects.put(objectKey, issued.value.record.certificateDer, { contentType: 'application/pkix-cert' })
  const { faceSession: _closed, ...rest } = person
  const verified: PersonRecord = { ...rest, status: 'verified', verifiedAt: now.toISOString(), certificate: { serialNumber, notAfter, objectKey } }
  const written = await deps.metadata.transact([
    { put: { ...withoutVersion(user), person: verified }, condition: { expectedVersion: user.version } },
    { put: { ...idNumberLookupKey(person.idHash), userId: user.userId, verifiedAt: verified.verifiedAt }, condition: { mustNotExist: true } },
  ])
  if (!written.ok) {
    const owner = await deps.metadata.get(idNumberLookupKey(person.idHash).pk, idNumberLookupKey(person.idHash).sk)
    if (owner && owner.userId !== user.userId) return err('ID_NUMBER_IN_USE', '该身份证号已在其他账号完成实名认证', { field: 'idNumber' })
    return err('CONFLICT', '认证信息已被修改，请刷新后重试')
  }
  await deps.metadata.delete(faceLimitKey(person.idHash).pk, faceLimitKey(person.idHash).sk)
  deps.logger.info({ userId: user.userId, step: 'verified', certificateSerial: serialNumber }, 'person verification')
  return ok(personView({ ...user, person: verified, version: user.version + 1 }, undefined, now, sandbox))
}

/** Remove the face session (conditional on the version read); false when someone else changed the record first. */
async function closeSession(deps: IdentityDeps, user: UserRecord, person: PersonRecord): Promise<boolean> {
  const { faceSession: _closed, ...rest } = person
  const written = await deps.metadata.put({ ...withoutVersion(user), person: rest }, { expectedVersion: user.version })
  return written.ok
}

/** Count one failed face attempt against the ID number (optimistic read-modify-write). */
async function countFailure(deps: IdentityDeps, idHash: string, now: Date): Promise<{ failures: number; lockedUntil?: number }> {
  for (let round = 0; round < 5; round++) {
    const current = await loadFaceCounter(deps.metadata, idHash)
    const next = recordFailure(current, now)
    const item = { ...faceLimitKey(idHash), failures: next.failures, ...(next.lockedUntil ? { lockedUntil: next.lockedUntil, expiresAt: next.lockedUntil + 24 * 3600 } : {}) }
    const written = await deps.metadata.put(item, current?.version ? { expectedVersion: current.version } : { mustNotExist: true })
    if (written.ok) return next
  }
  throw new Error('could not record a failed face attempt after 5 tries')
}
