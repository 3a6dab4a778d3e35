import {
  ZCompanyApplicationRequest,
  ZFaceStartRequest,
  ZInvitationRequest,
  ZMicroDepositConfirmRequest,
  ZMicroDepositRequest,
  ZPersonDetailsRequest,
  ZSignLetterRequest,
  ZAuthorizationLetterView,
  ZCompanyView,
  ZFaceStartResponse,
  ZInvitationView,
  ZMemberView,
  ZOutboxView,
  ZPersonVerificationView,
  ZSmsCodeSent,
  type OutboxView,
} from '../../api/identity.types'
import * as z from 'zod'
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

/** `GET /api/identity/sandbox/outbox` query. */
const ZOutboxQuery = z.object({ phone: z.string().optional().describe('只看发往此手机号的'), limit: z.coerce.number().int().min(1).max(100).optional().describe('最多条数，默认 50') })

/** Real-name verification of persons and companies, members, and the sandbox pages (api/identity.types.ts). */
export const routes: Route[] = [
  callerRoute(
    'GET',
    '/api/identity/person',
    undefined,
    async ({ deps, userId }) => fromResult(await getPersonVerification(deps, { userId })),
    { summary: '个人实名认证状态', tags: ['identity'], response: ZPersonVerificationView },
  ),
  callerRoute(
    'POST',
    '/api/identity/person',
    ZPersonDetailsRequest,
    async ({ deps, userId }, body) => fromResult(await submitPersonDetails(deps, { userId, ...body })),
    { summary: '提交个人实名信息（身份证 + 运营商三要素核验）', tags: ['identity'], response: ZPersonVerificationView, errors: ['ID_NUMBER_INVALID', 'PHONE_INVALID', 'IDENTITY_MISMATCH', 'IDENTITY_CHECK_LIMITED', 'ID_NUMBER_IN_USE', 'ALREADY_VERIFIED', 'PROVIDER_UNAVAILABLE', 'PROVIDER_ERROR'] },
  ),
  callerRoute(
    'POST',
    '/api/identity/person/face',
    ZFaceStartRequest,
    async ({ deps, userId }, body) => fromResult(await startFaceVerification(deps, { userId, ...body })),
    { summary: '开始人脸核身（返回核身页面 url）', tags: ['identity'], response: ZFaceStartResponse, errors: ['VERIFICATION_STEP_INVALID', 'FACE_LOCKED', 'ALREADY_VERIFIED', 'PROVIDER_UNAVAILABLE', 'PROVIDER_ERROR'] },
  ),
  callerRoute(
    'POST',
    '/api/identity/person/face/result',
    undefined,
    async ({ deps, userId }) => fromResult(await completeFaceVerification(deps, { userId })),
    { summary: '取人脸核身结果（通过即完成个人实名）', tags: ['identity'], response: ZPersonVerificationView, errors: ['VERIFICATION_STEP_INVALID', 'FACE_PENDING', 'FACE_FAILED', 'FACE_LOCKED', 'FACE_SESSION_EXPIRED', 'PROVIDER_ERROR'] },
  ),

  callerRoute(
    'POST',
    '/api/identity/companies',
    ZCompanyApplicationRequest,
    async ({ deps, userId }, body) => fromResult(await applyForCompany(deps, { userId, ...body }), 201),
    { summary: '申请企业实名认证', tags: ['identity'], response: ZCompanyView, responseStatus: 201, errors: ['PERSON_NOT_VERIFIED', 'CREDIT_CODE_INVALID', 'ID_NUMBER_INVALID', 'COMPANY_ALREADY_REGISTERED', 'IDENTITY_MISMATCH', 'PROVIDER_UNAVAILABLE', 'PROVIDER_ERROR'] },
  ),
  callerRoute(
    'GET',
    '/api/identity/companies',
    undefined,
    async ({ deps, userId }) => fromResult(await listMyCompanies(deps, { userId })),
    { summary: '我的企业', tags: ['identity'], response: z.array(ZCompanyView) },
  ),
  callerRoute(
    'GET',
    '/api/identity/companies/{id}',
    undefined,
    async ({ deps, userId }, _b, p) => fromResult(await getCompany(deps, { userId, companyId: p.id! })),
    { summary: '企业认证详情', tags: ['identity'], response: ZCompanyView, errors: ['COMPANY_NOT_FOUND'] },
  ),
  callerRoute(
    'POST',
    '/api/identity/companies/{id}/authorization-letter',
    undefined,
    async ({ deps, userId }, _b, p) => fromResult(await createAuthorizationLetter(deps, { userId, companyId: p.id! }), 201),
    { summary: '生成法定代表人授权书', tags: ['identity'], response: ZAuthorizationLetterView, responseStatus: 201, errors: ['COMPANY_NOT_FOUND', 'VERIFICATION_STEP_INVALID'] },
  ),
  callerRoute(
    'GET',
    '/api/identity/companies/{id}/authorization-letter/content',
    undefined,
    async ({ deps, userId }, _b, p) => {
      const letter = await getAuthorizationLetter(deps, { userId, companyId: p.id! })
      if (!letter.ok) return fromDomainError(letter.error)
      return binary(200, letter.value.bytes, 'application/pdf', { 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(letter.value.fileName)}`, 'cache-control': 'no-store' })
    },
    { summary: '授权书 PDF', tags: ['identity'], responseContentType: 'application/pdf', errors: ['COMPANY_NOT_FOUND'] },
  ),
  callerRoute(
    'POST',
    '/api/identity/companies/{id}/authorization-letter/sms-code',
    undefined,
    async ({ deps, userId }, _b, p) => fromResult(await requestLetterCode(deps, { userId, companyId: p.id! }), 202),
    { summary: '向法定代表人发送授权书签署验证码', tags: ['identity'], response: ZSmsCodeSent, responseStatus: 202, errors: ['COMPANY_NOT_FOUND', 'NOT_LEGAL_REPRESENTATIVE', 'SMS_RESEND_TOO_SOON', 'SMS_DAILY_LIMIT', 'SMS_SEND_FAILED'] },
  ),
  callerRoute(
    'POST',
    '/api/identity/companies/{id}/authorization-letter/sign',
    ZSignLetterRequest,
    async ({ deps, userId }, body, p) => fromResult(await signAuthorizationLetter({ ...deps, cpu: await getCpuWork(deps) }, { userId, companyId: p.id!, ...body })),
    { summary: '法定代表人签署授权书（完成企业认证）', tags: ['identity'], response: ZCompanyView, errors: ['COMPANY_NOT_FOUND', 'NOT_LEGAL_REPRESENTATIVE', 'SMS_CODE_INVALID', 'SMS_CODE_EXPIRED', 'SMS_CODE_USED', 'SMS_CODE_ATTEMPTS_EXCEEDED'] },
  ),
  callerRoute(
    'POST',
    '/api/identity/companies/{id}/micro-deposit',
    ZMicroDepositRequest,
    async ({ deps, userId }, body, p) => fromResult(await startMicroDeposit(deps, { userId, companyId: p.id!, ...body })),
    { summary: '对公打款认证：发起小额打款', tags: ['identity'], response: ZCompanyView, errors: ['COMPANY_NOT_FOUND', 'BANK_ACCOUNT_INVALID', 'MICRO_DEPOSIT_PENDING', 'PAYOUT_UNAVAILABLE'] },
  ),
  callerRoute(
    'POST',
    '/api/identity/companies/{id}/micro-deposit/confirm',
    ZMicroDepositConfirmRequest,
    async ({ deps, userId }, body, p) => fromResult(await confirmMicroDeposit(deps, { userId, companyId: p.id!, ...body })),
    { summary: '对公打款认证：回填金额', tags: ['identity'], response: ZCompanyView, errors: ['COMPANY_NOT_FOUND', 'MICRO_DEPOSIT_WRONG_AMOUNT', 'MICRO_DEPOSIT_ATTEMPTS_EXCEEDED', 'MICRO_DEPOSIT_EXPIRED'] },
  ),
  callerRoute(
    'GET',
    '/api/identity/companies/{id}/members',
    undefined,
    async ({ deps, userId }, _b, p) => fromResult(await listMembers(deps, { userId, companyId: p.id! })),
    { summary: '企业成员', tags: ['identity'], response: z.array(ZMemberView), errors: ['COMPANY_NOT_FOUND'] },
  ),
  callerRoute(
    'POST',
    '/api/identity/companies/{id}/invitations',
    ZInvitationRequest,
    async ({ deps, userId }, body, p) => fromResult(await inviteMember(deps, { userId, companyId: p.id!, ...body }), 201),
    { summary: '邀请成员（按手机号）', tags: ['identity'], response: ZInvitationView, responseStatus: 201, errors: ['COMPANY_NOT_FOUND', 'COMPANY_NOT_VERIFIED', 'PHONE_INVALID'] },
  ),
  callerRoute(
    'GET',
    '/api/identity/invitations',
    undefined,
    async ({ deps, userId }) => fromResult(await listMyInvitations(deps, { userId })),
    { summary: '我收到的企业邀请', tags: ['identity'], response: z.array(ZInvitationView) },
  ),
  callerRoute(
    'POST',
    '/api/identity/invitations/{companyId}/{inviteId}/accept',
    undefined,
    async ({ deps, userId }, _b, p) => fromResult(await acceptInvitation(deps, { userId, companyId: p.companyId!, inviteId: p.inviteId! })),
    { summary: '接受企业邀请', tags: ['identity'], response: ZMemberView, errors: ['INVITATION_NOT_FOUND', 'PERSON_NOT_VERIFIED'] },
  ),

  {
    method: 'GET',
    path: '/api/identity/sandbox/outbox',
    doc: {
      summary: '沙箱发件箱（短信验证码、打款金额）',
      description: '仅在使用沙箱服务时可用。运维口令放在 `X-Operator-Token` 头（或 `?token=`）。',
      tags: ['identity', 'sandbox'],
      auth: 'operator',
      query: ZOutboxQuery,
      response: ZOutboxView,
      errors: ['OPERATOR_TOKEN_INVALID', 'PHONE_INVALID'],
    },
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
  {
    method: 'GET',
    path: '/api/identity/sandbox/face/{token}',
    doc: { summary: '沙箱模拟人脸核身页面（HTML）', tags: ['identity', 'sandbox'], auth: 'none', responseContentType: 'text/html' },
    handle: async (_event, { deps, params }) => sandboxFacePage(await withIdentityServices(deps), params.token!),
  },
  {
    method: 'POST',
    path: '/api/identity/sandbox/face/{token}',
    doc: {
      summary: '沙箱模拟人脸核身：提交模拟结果（303 回到应用）',
      tags: ['identity', 'sandbox'],
      auth: 'none',
      contentType: 'application/x-www-form-urlencoded',
      body: z.object({ choice: z.enum(['pass', 'fail']) }),
      responseStatus: 303,
    },
    handle: async (event, { deps, params }) => sandboxFaceSubmit(await withIdentityServices(deps), params.token!, bodyBytes(event).toString('utf8')),
  },
]

export const handler = lambdaHandler(routes)
