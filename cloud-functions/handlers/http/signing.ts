import { ZSmsCodeSent } from '../../api/identity.types'
import { ZIntentConfirmRequest, ZIntentFaceRequest, ZIntentFaceStarted, ZIntentProofView, ZIntentTarget } from '../../api/signing.types'
import { lambdaHandler } from '../../runtime/bootstrap'
import { fromDomainError, fromResult, json } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { confirmIntent } from '../../use-cases/signing/confirm-intent'
import { requestIntentCode } from '../../use-cases/signing/request-intent-code'
import { startIntentFace } from '../../use-cases/signing/start-intent-face'
import { callerRoute, sameSigner } from '../signed-in'
import { requestContext } from '../request-context'

/**
 * Signing acts (api/signing.types.ts): intent verification (意愿认证) now; the sign act arrives with
 * the contracts lifecycle. A signing-link session acts only for its own contract and signer.
 */
export const routes: Route[] = [
  callerRoute(
    'POST',
    '/api/signing/intent/sms-codes',
    ZIntentTarget,
    async ({ deps, userId, session }, body) => {
      const own = sameSigner(session, body)
      if (!own.ok) return fromDomainError(own.error)
      return fromResult(await requestIntentCode(deps, { userId, ...body }), 202)
    },
    { summary: '意愿认证：向已实名手机发送验证码', tags: ['signing'], response: ZSmsCodeSent, responseStatus: 202, errors: ['FORBIDDEN', 'CONTRACT_NOT_FOUND', 'PERSON_NOT_VERIFIED', 'SMS_RESEND_TOO_SOON', 'SMS_DAILY_LIMIT', 'SMS_SEND_FAILED'] },
  ),
  callerRoute(
    'POST',
    '/api/signing/intent/face',
    ZIntentFaceRequest,
    async ({ deps, userId, session }, body) => {
      const own = sameSigner(session, body)
      if (!own.ok) return fromDomainError(own.error)
      return fromResult(await startIntentFace(deps, { userId, ...body }))
    },
    { summary: '意愿认证：开始人脸核身', tags: ['signing'], response: ZIntentFaceStarted, errors: ['FORBIDDEN', 'CONTRACT_NOT_FOUND', 'PERSON_NOT_VERIFIED', 'FACE_LOCKED', 'PROVIDER_UNAVAILABLE', 'PROVIDER_ERROR'] },
  ),
  callerRoute(
    'POST',
    '/api/signing/intent/confirm',
    ZIntentConfirmRequest,
    async ({ deps, userId, session }, body, _params, event) => {
      const own = sameSigner(session, body)
      if (!own.ok) return fromDomainError(own.error)
      const confirmed = await confirmIntent(deps, { userId, ...body, request: requestContext(event, userId) })
      if (!confirmed.ok) return fromDomainError(confirmed.error)
      const { proof: _proof, ...view } = confirmed.value
      return json(201, view)
    },
    { summary: '意愿认证：确认（短信验证码或人脸核身），得到绑定合同、签署人和文档哈希的意愿证明', tags: ['signing'], response: ZIntentProofView, responseStatus: 201, errors: ['FORBIDDEN', 'CONTRACT_NOT_FOUND', 'PERSON_NOT_VERIFIED', 'SMS_CODE_INVALID', 'SMS_CODE_EXPIRED', 'SMS_CODE_USED', 'SMS_CODE_ATTEMPTS_EXCEEDED', 'FACE_PENDING', 'FACE_FAILED', 'FACE_SESSION_EXPIRED'] },
  ),
]

export const handler = lambdaHandler(routes)
