import type { LoginResponse, SmsCodeSent, AccountView } from '@api/identity.types'
import type {
  AuthorizationLetterView,
  CompanyApplicationRequest,
  CompanyView,
  FaceStartResponse,
  InvitationView,
  MemberView,
  OutboxView,
  PersonDetailsRequest,
  PersonVerificationView,
} from '@api/identity.types'
import { apiRequest, type HttpMethod } from './api-client'
import { authHeader, saveSession } from './session'

const call = <T>(method: HttpMethod, path: string, data?: Record<string, unknown>) =>
  apiRequest<T>(method, path, { data, header: { 'Content-Type': 'application/json', ...authHeader() } })

/** Login and real-name verification calls (see cloud-functions/api/identity.types.ts). */
export const identityApi = {
  requestLoginCode: (phone: string) => call<SmsCodeSent>('POST', '/api/auth/sms-codes', { phone }),
  loginWithSms: async (phone: string, code: string) => {
    const r = await call<LoginResponse>('POST', '/api/auth/sms-login', { phone, code })
    saveSession(r.token, r.expiresInSeconds)
    return r
  },
  loginWithWeChat: async (code: string) => {
    const r = await call<LoginResponse>('POST', '/api/auth/wechat-login', { code })
    saveSession(r.token, r.expiresInSeconds)
    return r
  },
  me: () => call<AccountView>('GET', '/api/auth/me'),

  person: () => call<PersonVerificationView>('GET', '/api/identity/person'),
  submitPerson: (input: PersonDetailsRequest) => call<PersonVerificationView>('POST', '/api/identity/person', input),
  startFace: (returnUrl?: string) => call<FaceStartResponse>('POST', '/api/identity/person/face', returnUrl ? { returnUrl } : {}),
  faceResult: () => call<PersonVerificationView>('POST', '/api/identity/person/face/result'),

  companies: () => call<CompanyView[]>('GET', '/api/identity/companies'),
  company: (id: string) => call<CompanyView>('GET', `/api/identity/companies/${id}`),
  applyCompany: (input: CompanyApplicationRequest) => call<CompanyView>('POST', '/api/identity/companies', input),
  createLetter: (id: string) => call<AuthorizationLetterView>('POST', `/api/identity/companies/${id}/authorization-letter`),
  letterUrl: (id: string) => `/api/identity/companies/${id}/authorization-letter/content`,
  requestLetterCode: (id: string) => call<SmsCodeSent>('POST', `/api/identity/companies/${id}/authorization-letter/sms-code`),
  signLetter: (id: string, code: string) => call<CompanyView>('POST', `/api/identity/companies/${id}/authorization-letter/sign`, { code }),
  startDeposit: (id: string, bankName: string, bankAccount: string) => call<CompanyView>('POST', `/api/identity/companies/${id}/micro-deposit`, { bankName, bankAccount }),
  confirmDeposit: (id: string, amount: string) => call<CompanyView>('POST', `/api/identity/companies/${id}/micro-deposit/confirm`, { amount }),
  members: (id: string) => call<MemberView[]>('GET', `/api/identity/companies/${id}/members`),
  invite: (id: string, phone: string, role: 'admin' | 'operator') => call<InvitationView>('POST', `/api/identity/companies/${id}/invitations`, { phone, role }),
  invitations: () => call<InvitationView[]>('GET', '/api/identity/invitations'),
  acceptInvitation: (companyId: string, inviteId: string) => call<MemberView>('POST', `/api/identity/invitations/${companyId}/${inviteId}/accept`),

  outbox: () => call<OutboxView>('GET', '/api/identity/sandbox/outbox'),
}
