import { ZSmsCodeSent } from '../../api/identity.types'
import { BATCH_ID, ZBatchIntentConfirmRequest, ZBatchIntentFaceRequest, ZBatchIntentProofView, ZBatchIntentTarget, ZIntentConfirmRequest, ZIntentFaceRequest, ZIntentFaceStarted, ZIntentProofView, ZIntentTarget } from '../../api/signing.types'
import { lambdaHandler } from '../../runtime/bootstrap'
import { errorResponse, fromDomainError, fromResult, json } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { confirmBatchIntent } from '../../use-cases/signing/confirm-batch-intent'
import { confirmIntent } from '../../use-cases/signing/confirm-intent'
import { getBatchIntent } from '../../use-cases/signing/get-batch-intent'
import { requestBatchIntentCode } from '../../use-cases/signing/request-batch-intent-code'
import { startBatchIntentFace } from '../../use-cases/signing/start-batch-intent-face'
import { requestIntentCode } from '../../use-cases/signing/request-intent-code'
import { startIntentFace } from '../../use-cases/signing/start-intent-face'
import { callerRoute, sameSigner, type Caller } from '../signed-in'
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
  // 批量签署: one intent for several contracts, by an account session only (a signing link is for one contract).
  callerRoute(
    'POST',
    '/api/signing/intent/batches/sms-codes',
    ZBatchIntentTarget,
    async (caller, body) => accountOnly(caller) ?? fromResult(await requestBatchIntentCode(caller.deps, { userId: caller.userId, items: body.items }), 202),
    { summary: '批量签署的意愿认证：一次向已实名手机发送验证码（绑定所选全部合同和文档哈希）', tags: ['signing'], response: ZSmsCodeSent, responseStatus: 202, errors: ['FORBIDDEN', 'CONTRACT_NOT_FOUND', 'PERSON_NOT_VERIFIED', 'SMS_RESEND_TOO_SOON', 'SMS_DAILY_LIMIT', 'SMS_SEND_FAILED'] },
  ),
  callerRoute(
    'POST',
    '/api/signing/intent/batches/face',
    ZBatchIntentFaceRequest,
    async (caller, body) => accountOnly(caller) ?? fromResult(await startBatchIntentFace(caller.deps, { userId: caller.userId, items: body.items, ...(body.returnUrl !== undefined ? { returnUrl: body.returnUrl } : {}) })),
    { summary: '批量签署的意愿认证：开始人脸核身（一次）', tags: ['signing'], response: ZIntentFaceStarted, errors: ['FORBIDDEN', 'CONTRACT_NOT_FOUND', 'PERSON_NOT_VERIFIED', 'FACE_LOCKED', 'PROVIDER_UNAVAILABLE', 'PROVIDER_ERROR'] },
  ),
  callerRoute(
    'POST',
    '/api/signing/intent/batches',
    ZBatchIntentConfirmRequest,
    async (caller, body, _params, event) => accountOnly(caller) ?? fromResult(await confirmBatchIntent(caller.deps, { userId: caller.userId, ...body, request: requestContext(event, caller.userId) }), 201),
    { summary: '批量签署的意愿认证：确认一次，得到列明每份合同及其文档哈希的批量意愿证明', tags: ['signing'], response: ZBatchIntentProofView, responseStatus: 201, errors: ['FORBIDDEN', 'CONTRACT_NOT_FOUND', 'PERSON_NOT_VERIFIED', 'SMS_CODE_INVALID', 'SMS_CODE_EXPIRED', 'SMS_CODE_USED', 'SMS_CODE_ATTEMPTS_EXCEEDED', 'FACE_PENDING', 'FACE_FAILED', 'FACE_SESSION_EXPIRED'] },
  ),
  callerRoute(
    'GET',
    '/api/signing/intent/batches/{batchId}',
    undefined,
    async (caller, _body, params) => {
      if (!BATCH_ID.test(params.batchId ?? '')) return errorResponse('NOT_FOUND', '批量意愿认证不存在')
      const found = await getBatchIntent(caller.deps, { userId: caller.userId, batchId: params.batchId! })
      return found.ok ? json(200, found.value.view) : fromDomainError(found.error)
    },
    { summary: '读取本账号的批量意愿证明：所列合同、文档哈希和每份合同的意愿证明（及是否已使用）', tags: ['signing'], response: ZBatchIntentProofView, errors: ['NOT_FOUND'] },
  ),
]

/** Batch intent is for an account session: a signing link acts for its one contract only. */
function accountOnly(caller: Caller) {
  return caller.session.kind === 'user' ? undefined : errorResponse('FORBIDDEN', '批量签署请使用账号登录')
}

export const handler = lambdaHandler(routes)
