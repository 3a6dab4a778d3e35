import { ZIntentConfirmRequest, ZIntentFaceRequest, ZIntentTarget } from '../../api/signing.types'
import { lambdaHandler } from '../../runtime/bootstrap'
import { fromDomainError, fromResult, json } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { confirmIntent } from '../../use-cases/signing/confirm-intent'
import { requestIntentCode } from '../../use-cases/signing/request-intent-code'
import { startIntentFace } from '../../use-cases/signing/start-intent-face'
import { callerRoute, sameSigner } from '../signed-in'

/**
 * Signing acts (api/signing.types.ts): intent verification (意愿认证) now; the sign act arrives with
 * the contracts lifecycle. A signing-link session acts only for its own contract and signer.
 */
export const routes: Route[] = [
  callerRoute('POST', '/api/signing/intent/sms-codes', ZIntentTarget, async ({ deps, userId, session }, body) => {
    const own = sameSigner(session, body)
    if (!own.ok) return fromDomainError(own.error)
    return fromResult(await requestIntentCode(deps, { userId, ...body }), 202)
  }),
  callerRoute('POST', '/api/signing/intent/face', ZIntentFaceRequest, async ({ deps, userId, session }, body) => {
    const own = sameSigner(session, body)
    if (!own.ok) return fromDomainError(own.error)
    return fromResult(await startIntentFace(deps, { userId, ...body }))
  }),
  callerRoute('POST', '/api/signing/intent/confirm', ZIntentConfirmRequest, async ({ deps, userId, session }, body) => {
    const own = sameSigner(session, body)
    if (!own.ok) return fromDomainError(own.error)
    const confirmed = await confirmIntent(deps, { userId, ...body })
    if (!confirmed.ok) return fromDomainError(confirmed.error)
    const { proof: _proof, ...view } = confirmed.value
    return json(201, view)
  }),
]

export const handler = lambdaHandler(routes)
