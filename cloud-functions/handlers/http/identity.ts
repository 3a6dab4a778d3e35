import type { z } from 'zod'
import {
  ZCompanyApplicationRequest,
  ZFaceStartRequest,
  ZInvitationRequest,
  ZMicroDepositConfirmRequest,
  ZMicroDepositRequest,
  ZPersonDetailsRequest,
  ZSignLetterRequest,
  type OutboxView,
} from '../../api/identity.types'
import { ZIntentConfirmRequest, ZIntentFaceRequest, ZIntentTarget } from '../../api/signing.types'
import { parsePhone } from '../../core/identity/phone'
import { err, type Result } from '../../core/shared/result'
import { authenticate, sessionClaims } from '../../runtime/authenticate'
import { lambdaHandler } from '../../runtime/bootstrap'
import { binary, bodyBytes, errorResponse, fromDomainError, fromResult, json, parseJsonBody, type HttpEvent, type HttpResult } from '../../runtime/http'
import { withIdentityServices, type IdentityDeps } from '../../runtime/identity-services'
import type { Container } from '../../runtime/container'
import type { Route } from '../../runtime/router'
import { acceptInvitation, listMyInvitations } from '../../use-cases/identity/accept-invitation'
import { applyForCompany } from '../../use-cases/identity/apply-for-company'
import { completeFaceVerification } from '../../use-cases/identity/complete-face-verification'
import { confirmIntent } from '../../use-cases/signing/confirm-intent'
import { confirmMicroDeposit } from '../../use-cases/identity/confirm-micro-deposit'
import { createAuthorizationLetter, getAuthorizationLetter } from '../../use-cases/identity/create-authorization-letter'
import { getCompany, listMyCompanies } from '../../use-cases/identity/get-company'
import { getPersonVerification } from '../../use-cases/identity/get-person-verification'
import { inviteMember } from '../../use-cases/identity/invite-member'
import { listMembers } from '../../use-cases/identity/list-members'
import { requestIntentCode } from '../../use-cases/signing/request-intent-code'
import { requestLetterCode, signAuthorizationLetter } from '../../use-cases/identity/sign-authorization-letter'
import { startFaceVerification } from '../../use-cases/identity/start-face-verification'
import { startIntentFace } from '../../use-cases/signing/start-intent-face'
import { startMicroDeposit } from '../../use-cases/identity/start-micro-deposit'
import { submitPersonDetails } from '../../use-cases/identity/submit-person-details'
import { sandboxFacePage, sandboxFaceSubmit } from '../sandbox-face-page'
import type { CpuWork } from '../../ports/cpu-work'
import { getCpuWork } from '../../runtime/cpu-work'

type Caller = { deps: IdentityDeps & { cpu: CpuWork }; userId: string }

/** The signed-in caller (user session, or a signing link acting for its account) with the identity services. */
async function caller(event: HttpEvent, deps: Container): Promise<Result<Caller>> {
  const session = await authenticate(event, deps)
  if (!session.ok) return session
  return { ok: true, value: { deps: { ...(await withIdentityServices(deps)), cpu: await getCpuWork(deps) }, userId: session.value.sub } }
}

/** A route that needs a caller and (optionally) a JSON body of `schema`. */
function authed<S extends z.ZodType | undefined>(
  method: Route['method'],
  path: string,
  schema: S,
  run: (c: Caller, body: S extends z.ZodType ? z.infer<S> : undefined, params: Record<string, string>, event: HttpEvent) => Promise<HttpResult>,
): Route {
  return {
    method,
    path,
    handle: async (event, { deps, params }) => {
      const who = await caller(event, deps)
      if (!who.ok) return fromDomainError(who.error)
      let body: unknown = undefined
      if (schema) {
        const parsed = parseJsonBody(event, schema)
        if (!parsed.ok) return fromDomainError(parsed.error)
        body = parsed.value
      }
      return run(who.value, body as S extends z.ZodType ? z.infer<S> : undefined, params, event)
    },
  }
}

/** A signing-link session may act only for its own contract and signer. */
function sameSigner(event: HttpEvent, deps: Container, target: { contractId: string; signerId: string }): Result<void> {
  const s = sessionClaims(event, deps)
  if (s.ok && s.value.kind === 'signing-link' && (s.value.contractId !== target.contractId || s.value.signerId !== target.signerId)) {
    return err('FORBIDDEN', '签署链接只能用于其所属的合同和签署人')
  }
  return { ok: true, value: undefined }
}

/** Real-name verification of persons and companies, members, intent verification, and the sandbox pages (api/identity.types.ts, api/intent.types.ts). */
export const routes: Route[] = [
  authed('GET', '/api/identity/person', undefined, async ({ deps, userId }) => fromResult(await getPersonVerification(deps, { userId }))),
  authed('POST', '/api/identity/person', ZPersonDetailsRequest, async ({ deps, userId }, body) => fromResult(await submitPersonDetails(deps, { userId, ...body }))),
  authed('POST', '/api/identity/person/face', ZFaceStartRequest, async ({ deps, userId }, body) => fromResult(await startFaceVerification(deps, { userId, ...body }))),
  authed('POST', '/api/identity/person/face/result', undefined, async ({ deps, userId }) => fromResult(await completeFaceVerification(deps, { userId }))),

  authed('POST', '/api/identity/companies', ZCompanyApplicationRequest, async ({ deps, userId }, body) => fromResult(await applyForCompany(deps, { userId, ...body }), 201)),
  authed('GET', '/api/identity/companies', undefined, async ({ deps, userId }) => fromResult(await listMyCompanies(deps, { userId }))),
  authed('GET', '/api/identity/companies/{id}', undefined, async ({ deps, userId }, _b, p) => fromResult(await getCompany(deps, { userId, companyId: p.id! }))),
  authed('POST', '/api/identity/companies/{id}/authorization-letter', undefined, async ({ deps, userId }, _b, p) =>
    fromResult(await createAuthorizationLetter(deps, { userId, companyId: p.id! }), 201),
  ),
  authed('GET', '/api/identity/companies/{id}/authorization-letter/content', undefined, async ({ deps, userId }, _b, p) => {
    const letter = await getAuthorizationLetter(deps, { userId, companyId: p.id! })
    if (!letter.ok) return fromDomainError(letter.error)
    return binary(200, letter.value.bytes, 'application/pdf', { 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(letter.value.fileName)}`, 'cache-control': 'no-store' })
  }),
  authed('POST', '/api/identity/companies/{id}/authorization-letter/sms-code', undefined, async ({ deps, userId }, _b, p) =>
    fromResult(await requestLetterCode(deps, { userId, companyId: p.id! }), 202),
  ),
  authed('POST', '/api/identity/companies/{id}/authorization-letter/sign', ZSignLetterRequest, async ({ deps, userId }, body, p) =>
    fromResult(await signAuthorizationLetter(deps, { userId, companyId: p.id!, ...body })),
  ),
  authed('POST', '/api/identity/companies/{id}/micro-deposit', ZMicroDepositRequest, async ({ deps, userId }, body, p) =>
    fromResult(await startMicroDeposit(deps, { userId, companyId: p.id!, ...body })),
  ),
  authed('POST', '/api/identity/companies/{id}/micro-deposit/confirm', ZMicroDepositConfirmRequest, async ({ deps, userId }, body, p) =>
    fromResult(await confirmMicroDeposit(deps, { userId, companyId: p.id!, ...body })),
  ),
  authed('GET', '/api/identity/companies/{id}/members', undefined, async ({ deps, userId }, _b, p) => fromResult(await listMembers(deps, { userId, companyId: p.id! }))),
  authed('POST', '/api/identity/companies/{id}/invitations', ZInvitationRequest, async ({ deps, userId }, body, p) =>
    fromResult(await inviteMember(deps, { userId, companyId: p.id!, ...body }), 201),
  ),
  authed('GET', '/api/identity/invitations', undefined, async ({ deps, userId }) => fromResult(await listMyInvitations(deps, { userId }))),
  authed('POST', '/api/identity/invitations/{companyId}/{inviteId}/accept', undefined, async ({ deps, userId }, _b, p) =>
    fromResult(await acceptInvitation(deps, { userId, companyId: p.companyId!, inviteId: p.inviteId! })),
  ),

  authed('POST', '/api/identity/intent/sms-codes', ZIntentTarget, async ({ deps, userId }, body, _p, event) => {
    const own = sameSigner(event, deps, body)
    if (!own.ok) return fromDomainError(own.error)
    return fromResult(await requestIntentCode(deps, { userId, ...body }), 202)
  }),
  authed('POST', '/api/identity/intent/face', ZIntentFaceRequest, async ({ deps, userId }, body, _p, event) => {
    const own = sameSigner(event, deps, body)
    if (!own.ok) return fromDomainError(own.error)
    return fromResult(await startIntentFace(deps, { userId, ...body }))
  }),
  authed('POST', '/api/identity/intent/confirm', ZIntentConfirmRequest, async ({ deps, userId }, body, _p, event) => {
    const own = sameSigner(event, deps, body)
    if (!own.ok) return fromDomainError(own.error)
    const confirmed = await confirmIntent(deps, { userId, ...body })
    if (!confirmed.ok) return fromDomainError(confirmed.error)
    const { proof: _proof, ...view } = confirmed.value
    return json(201, view)
  }),

  {
    method: 'GET',
    path: '/api/identity/sandbox/outbox',
    handle: async (event, { deps }) => {
      const services = await withIdentityServices(deps)
      if (!services.outbox) return errorResponse('NOT_FOUND', '沙箱发件箱仅在使用沙箱服务时可用')
      const q = event.queryStringParameters ?? {}
      const phone = q.phone ? parsePhone(q.phone) : undefined
      if (phone && !phone.ok) return fromDomainError(phone.error)
      const entries = await services.outbox.list({ phone: phone?.value, limit: Math.min(100, Number(q.limit) || 50) })
      const body: OutboxView = { entries }
      return json(200, body, { 'cache-control': 'no-store' })
    },
  },
  { method: 'GET', path: '/api/identity/sandbox/face/{token}', handle: async (_event, { deps, params }) => sandboxFacePage(await withIdentityServices(deps), params.token!) },
  {
    method: 'POST',
    path: '/api/identity/sandbox/face/{token}',
    handle: async (event, { deps, params }) => sandboxFaceSubmit(await withIdentityServices(deps), params.token!, bodyBytes(event).toString('utf8')),
  },
]

export const handler = lambdaHandler(routes)
