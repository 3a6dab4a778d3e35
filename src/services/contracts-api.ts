import type {
  ChaseResponse,
  ContractCounts,
  ContractList,
  ContractSignatures,
  ContractTimeline,
  ContractView,
  CreateContractRequest,
  RenewContractRequest,
  SignContractRequest,
  SignContractResponse,
  SigningLinkLoginResponse,
  SigningLinkView,
} from '@api/contracts.types'
import type { DocumentView } from '@api/documents.types'
import type { IntentProofView } from '@api/signing.types'
import type { SmsCodeSent } from '@api/identity.types'
import Taro from '@tarojs/taro'
import { apiRequest, apiUploadFile } from './api-client'
import { authHeader } from './session'
import { saveSession } from './session'

/** A random id for the `Idempotency-Key` header: made once per attempt and sent again on a retry. */
export function newIdempotencyKey(): string {
  let s = Date.now().toString(36)
  while (s.length < 32) s += Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, '0')
  return s.slice(0, 32)
}

const idem = (key?: string) => ({ header: { 'Idempotency-Key': key ?? newIdempotencyKey() } })
const c = (id: string) => `/api/contracts/${encodeURIComponent(id)}`

/** Contract calls (see cloud-functions/api/contracts.types.ts). */
export const contractsApi = {
  uploadDocument: (filePath: string, fileName: string, onProgress?: (percent: number) => void) =>
    apiUploadFile<DocumentView>('/api/documents', { filePath, fileName, timeout: 120000, onProgress }),
  create: (body: CreateContractRequest, key?: string) => apiRequest<ContractView>('POST', '/api/contracts', { data: body, ...idem(key) }),
  /** Replaces a draft's content (same body as create; drafts only, by their sender). */
  update: (id: string, body: CreateContractRequest, key?: string) => apiRequest<ContractView>('PUT', c(id), { data: body, ...idem(key) }),
  list: (query: string) => apiRequest<ContractList>('GET', `/api/contracts?${query}`),
  counts: () => apiRequest<ContractCounts>('GET', '/api/contracts/counts'),
  get: (id: string) => apiRequest<ContractView>('GET', c(id)),
  timeline: (id: string) => apiRequest<ContractTimeline>('GET', `${c(id)}/timeline`),
  signatures: (id: string) => apiRequest<ContractSignatures>('GET', `${c(id)}/signatures`),
  send: (id: string, key?: string) => apiRequest<ContractView>('POST', `${c(id)}/send`, { data: {}, ...idem(key) }),
  view: (id: string) => apiRequest<ContractView>('POST', `${c(id)}/view`, { data: {}, ...idem() }),
  /** `key` must be the same on a retry of the same attempt, so a retried sign never signs twice. */
  sign: (id: string, body: SignContractRequest, key: string) =>
    apiRequest<SignContractResponse>('POST', `${c(id)}/sign`, { data: body as Record<string, unknown>, timeout: 60000, ...idem(key) }),
  decline: (id: string, reason: string, key?: string) => apiRequest<ContractView>('POST', `${c(id)}/decline`, { data: { reason }, ...idem(key) }),
  /** 延期: a later deadline (ISO with offset), before the current one passes. */
  extendDeadline: (id: string, deadline: string, key?: string) => apiRequest<ContractView>('POST', `${c(id)}/deadline`, { data: { deadline }, ...idem(key) }),
  /** 催办: one party, or without `partyId` every party whose turn it is. */
  chase: (id: string, partyId?: string, key?: string) => apiRequest<ChaseResponse>('POST', `${c(id)}/chase`, { data: partyId ? { partyId } : {}, ...idem(key) }),
  /** 续签: a new draft from a completed contract (sender only), with new dates. */
  renew: (id: string, body: RenewContractRequest, key?: string) => apiRequest<ContractView>('POST', `${c(id)}/renew`, { data: body, ...idem(key) }),
  revoke: (id: string, reason: string, key?: string) => apiRequest<ContractView>('POST', `${c(id)}/revoke`, { data: { reason }, ...idem(key) }),
  archive: (id: string, archived: boolean) => apiRequest<ContractView>('POST', `${c(id)}/archive`, { data: { archived }, ...idem() }),
  pdfPath: (id: string, version: 'current' | 'original' = 'current') => `${c(id)}/pdf?version=${version}`,
  /** The signed 证据报告 (PDF) and the evidence package (zip) of a completed contract. */
  evidenceReportPath: (id: string) => `${c(id)}/evidence/report`,
  evidencePackagePath: (id: string) => `${c(id)}/evidence/package`,
  pagePath: (id: string, page: number, width = 750) => `${c(id)}/pages/${page}?width=${width}`,

  /** The raw PNG of a page image, or undefined when the page does not exist (or cannot be had). */
  pagePng: async (id: string, page: number, width = 750): Promise<Uint8Array | undefined> => {
    try {
      const r = await Taro.request({ url: `${API_BASE_URL}${c(id)}/pages/${page}?width=${width}`, method: 'GET', header: { Accept: 'image/png', ...authHeader() }, responseType: 'arraybuffer', dataType: 'arraybuffer', timeout: 30000 })
      return r.statusCode === 200 ? new Uint8Array(r.data as ArrayBuffer) : undefined
    } catch {
      return undefined
    }
  },

  intentCode: (contractId: string, signerId: string, documentHash: string) =>
    apiRequest<SmsCodeSent>('POST', '/api/signing/intent/sms-codes', { data: { contractId, signerId, documentHash } }),
  intentConfirm: (contractId: string, signerId: string, documentHash: string, code: string) =>
    apiRequest<IntentProofView>('POST', '/api/signing/intent/confirm', { data: { method: 'sms', contractId, signerId, documentHash, code } }),

  link: (token: string) => apiRequest<SigningLinkView>('GET', `/api/signing-links/${encodeURIComponent(token)}`),
  linkCode: (token: string) => apiRequest<SmsCodeSent>('POST', `/api/signing-links/${encodeURIComponent(token)}/sms-codes`, { data: {} }),
  /** Logs in with the link's code and keeps the session as the SMS login does. */
  linkLogin: async (token: string, code: string) => {
    const r = await apiRequest<SigningLinkLoginResponse>('POST', `/api/signing-links/${encodeURIComponent(token)}/login`, { data: { code } })
    saveSession(r.token, r.expiresInSeconds)
    return r
  },
}
