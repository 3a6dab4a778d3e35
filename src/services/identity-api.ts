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
import { clearSession, saveSession } from './session'

const call = <T>(method: HttpMethod, path: string, data?: Record<string, unknown>) => apiRequest<T>(method, path, { data })

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
  /** `POST /api/auth/logout` ends the session on the server; the local session is cleared whatever it answers. */
  logout: async () => {
    try {
      await call<unknown>('POST', '/api/auth/logout')
    } catch {
      // Already gone on the server, offline, or a server without the logout route: forgetting it here is what matters.
    } finally {
      clearSession()
    }
  },

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

  /** The sandbox outbox needs the operator token (printed by `npm start`, or ESIGN_OPERATOR_TOKEN). */
  outbox: (operatorToken: string) =>
    apiRequest<OutboxView>('GET', '/api/identity/sandbox/outbox', { header: { 'X-Operator-Token': operatorToken } }),
}
