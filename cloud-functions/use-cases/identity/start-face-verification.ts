import type { FaceStartResponse } from '../../api/identity.types'
import { lockState } from '../../core/identity/attempt-limits'
import { decryptPersonalData } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { epochSeconds, loadFaceCounter, requireUser, withoutVersion } from './records'
import { callProvider } from './call-provider'

/** A face session is good for 2 h (a FaceID BizToken's lifetime). */
export const FACE_SESSION_SECONDS = 7200

/** Where the provider sends the browser back to by default: the identity page of the H5 build. */
export const defaultFaceReturnUrl = (publicBaseUrl: string) => `${publicBaseUrl}/#/packages/identity/pages/person/index?face=done`

/**
 * `POST /api/identity/person/face`: step 2 — start the provider's H5 face flow (DetectAuth) for the
 * checked identity. `FACE_LOCKED` (with `retryAfterSeconds`) after 5 failures within the lock;
 * `VERIFICATION_STEP_INVALID` before step 1. `returnUrl` must be on this server's public origin (any loopback name for a local server).
 */
export async function startFaceVerification(deps: IdentityDeps, input: { userId: string; returnUrl?: string }): Promise<Result<FaceStartResponse>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const person = user.value.person
  if (!person) return err('VERIFICATION_STEP_INVALID', '请先填写并核验姓名、身份证号和手机号')
  if (person.status === 'verified') return err('ALREADY_VERIFIED', '您已完成实名认证')
  const now = deps.clock.now()
  const lock = lockState(await loadFaceCounter(deps.metadata, person.idHash), now)
  if (lock.locked) return err('FACE_LOCKED', `人脸核验失败次数过多，请 ${Math.ceil(lock.retryAfterSeconds / 3600)} 小时后再试`, { retryAfterSeconds: lock.retryAfterSeconds })
  const returnUrl = checkReturnUrl(input.returnUrl, deps.config.publicBaseUrl)
  if (!returnUrl.ok) return returnUrl

  const session = await callProvider(deps.logger, 'startFaceSession', () =>
    deps.identity.startFaceSession({
      name: person.name,
      idNumber: decryptPersonalData(deps.personalData, 'id-number', person.idNumberEnc),
      redirectUrl: returnUrl.value,
      reference: `person:${input.userId}`,
    }),
  )
  if (!session.ok) return session
  const faceSession = { token: session.value.sessionToken, startedAt: now.toISOString(), validUntil: epochSeconds(now) + FACE_SESSION_SECONDS }
  const written = await deps.metadata.put({ ...withoutVersion(user.value), person: { ...person, faceSession } }, { expectedVersion: user.value.version })
  if (!written.ok) return err('CONFLICT', '认证信息已被修改，请刷新后重试')
  deps.logger.info({ userId: input.userId, step: 'face-started' }, 'person verification')
  return ok({ url: session.value.url, expiresInSeconds: FACE_SESSION_SECONDS })
}

/** A return URL on this server's origin (the default when absent); `VALIDATION_FAILED` otherwise. */
export function checkReturnUrl(returnUrl: string | undefined, publicBaseUrl: string): Result<string> {
  if (!returnUrl) return ok(defaultFaceReturnUrl(publicBaseUrl))
  let url: URL
  try {
    url = new URL(returnUrl)
  } catch {
    return err('VALIDATION_FAILED', 'returnUrl 不是有效的网址', { field: 'returnUrl' })
  }
  if (!sameSite(url, new URL(publicBaseUrl))) return err('VALIDATION_FAILED', 'returnUrl 必须是本站地址', { field: 'returnUrl' })
  return ok(url.toString())
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Same origin, counting localhost / 127.0.0.1 / [::1] on one port as one site (the local server is reached by any of them). */
function sameSite(a: URL, b: URL): boolean {
  if (a.origin === b.origin) return true
  return a.protocol === b.protocol && a.port === b.port && LOOPBACK.has(a.hostname) && LOOPBACK.has(b.hostname)
}
