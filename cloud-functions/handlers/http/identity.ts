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
import { parsePhone } from '../../core/identity/phone'
import { lambdaHandler } from '../../runtime/bootstrap'
import { getCpuWork } from '../../runtime/cpu-work'
import { binary, bodyBytes, errorResponse, fromDomainError, fromResult, json } from '../../runtime/http'
import { withIdentityServices } from '../../runtime/services'
import { checkOperatorToken } from '../../runtime/operator-token'
import type { Route } from '../../runtime/router'
import { acceptInvitation, listMyInvitations } from '../../use-cases/identity/accept-invitation'
import { applyForCompany } from '../../use-cases/identity/apply-for-company'
import { completeFaceVerification } from '../../use-cases/identity/complete-face-verification'
import { confirmMicroDeposit } from '../../use-cases/identity/confirm-micro-deposit'
import { createAuthorizationLetter, getAuthorizationLetter } from '../../use-cases/identity/create-authorization-letter'
import { getCompany, listMyCompanies } from '../../use-cases/identity/get-company'
import { getPersonVerification } from '../../use-cases/identity/get-person-verification'
import { inviteMember } from '../../use-cases/identity/invite-member'
import { listMembers } from '../../use-cases/identity/list-members'
import { requestLetterCode, signAuthorizationLetter } from '../../use-cases/identity/sign-authorization-letter'
import { startFaceVerification } from '../../use-cases/identity/start-face-verification'
import { startMicroDeposit } from '../../use-cases/identity/start-micro-deposit'
import { submitPersonDetails } from '../../use-cases/identity/submit-person-details'
import { sandboxFacePage, sandboxFaceSubmit } from '../sandbox-face-page'
import { callerRoute } from '../signed-in'

/** Real-name verification of persons and companies, members, and the sandbox pages (api/identity.types.ts). */
export const routes: Route[] = [
  callerRoute('GET', '/api/identity/person', undefined, async ({ deps, userId }) => fromResult(await getPersonVerification(deps, { userId }))),
  callerRoute('POST', '/api/identity/person', ZPersonDetailsRequest, async ({ deps, userId }, body) => fromResult(await submitPersonDetails(deps, { userId, ...body }))),
  callerRoute('POST', '/api/identity/person/face', ZFaceStartRequest, async ({ deps, userId }, body) => fromResult(await startFaceVerification(deps, { userId, ...body }))),
  callerRoute('POST', '/api/identity/person/face/result', undefined, async ({ deps, userId }) => fromResult(await completeFaceVerification(deps, { userId }))),

  callerRoute('POST', '/api/identity/companies', ZCompanyApplicationRequest, async ({ deps, userId }, body) => fromResult(await applyForCompany(deps, { userId, ...body }), 201)),
  callerRoute('GET', '/api/identity/companies', undefined, async ({ deps, userId }) => fromResult(await listMyCompanies(deps, { userId }))),
  callerRoute('GET', '/api/identity/companies/{id}', undefined, async ({ deps, userId }, _b, p) => fromResult(await getCompany(deps, { userId, companyId: p.id! }))),
  callerRoute('POST', '/api/identity/companies/{id}/authorization-letter', undefined, async ({ deps, userId }, _b, p) =>
    fromResult(await createAuthorizationLetter(deps, { userId, companyId: p.id! }), 201),
  ),
  callerRoute('GET', '/api/identity/companies/{id}/authorization-letter/content', undefined, async ({ deps, userId }, _b, p) => {
    const letter = await getAuthorizationLetter(deps, { userId, companyId: p.id! })
    if (!letter.ok) return fromDomainError(letter.error)
    return binary(200, letter.value.bytes, 'application/pdf', { 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(letter.value.fileName)}`, 'cache-control': 'no-store' })
  }),
  callerRoute('POST', '/api/identity/companies/{id}/authorization-letter/sms-code', undefined, async ({ deps, userId }, _b, p) =>
    fromResult(await requestLetterCode(deps, { userId, companyId: p.id! }), 202),
  ),
  callerRoute('POST', '/api/identity/companies/{id}/authorization-letter/sign', ZSignLetterRequest, async ({ deps, userId }, body, p) =>
    fromResult(await signAuthorizationLetter({ ...deps, cpu: await getCpuWork(deps) }, { userId, companyId: p.id!, ...body })),
  ),
  callerRoute('POST', '/api/identity/companies/{id}/micro-deposit', ZMicroDepositRequest, async ({ deps, userId }, body, p) =>
    fromResult(await startMicroDeposit(deps, { userId, companyId: p.id!, ...body })),
  ),
  callerRoute('POST', '/api/identity/companies/{id}/micro-deposit/confirm', ZMicroDepositConfirmRequest, async ({ deps, userId }, body, p) =>
    fromResult(await confirmMicroDeposit(deps, { userId, companyId: p.id!, ...body })),
  ),
  callerRoute('GET', '/api/identity/companies/{id}/members', undefined, async ({ deps, userId }, _b, p) => fromResult(await listMembers(deps, { userId, companyId: p.id! }))),
  callerRoute('POST', '/api/identity/companies/{id}/invitations', ZInvitationRequest, async ({ deps, userId }, body, p) =>
    fromResult(await inviteMember(deps, { userId, companyId: p.id!, ...body }), 201),
  ),
  callerRoute('GET', '/api/identity/invitations', undefined, async ({ deps, userId }) => fromResult(await listMyInvitations(deps, { userId }))),
  callerRoute('POST', '/api/identity/invitations/{companyId}/{inviteId}/accept', undefined, async ({ deps, userId }, _b, p) =>
    fromResult(await acceptInvitation(deps, { userId, companyId: p.companyId!, inviteId: p.inviteId! })),
  ),

  {
    method: 'GET',
    path: '/api/identity/sandbox/outbox',
    handle: async (event, { deps }) => {
      const services = await withIdentityServices(deps)
      if (!services.outbox) return errorResponse('NOT_FOUND', '沙箱发件箱仅在使用沙箱服务时可用')
      const operator = checkOperatorToken(event, deps)
      if (!operator.ok) return fromDomainError(operator.error)
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
