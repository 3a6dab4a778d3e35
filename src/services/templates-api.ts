import type { ContractView } from '@api/contracts.types'
import type { CreateContractFromTemplateRequest, CreateTemplateRequest, TemplateList, TemplateView, UpdateTemplateRequest } from '@api/templates.types'
import { apiRequest } from './api-client'
import { newIdempotencyKey } from './contracts-api'

const t = (id: string) => `/api/templates/${encodeURIComponent(id)}`

/** Contract templates of a company (see cloud-functions/api/templates.types.ts): members use them, admins manage them. */
export const templatesApi = {
  list: (companyId: string, includeDisabled = false) => apiRequest<TemplateList>('GET', `/api/templates?companyId=${encodeURIComponent(companyId)}${includeDisabled ? '&includeDisabled=true' : ''}`),
  get: (id: string, version?: number) => apiRequest<TemplateView>('GET', `${t(id)}${version ? `?version=${version}` : ''}`),
  create: (body: CreateTemplateRequest) => apiRequest<TemplateView>('POST', '/api/templates', { data: body }),
  update: (id: string, body: UpdateTemplateRequest) => apiRequest<TemplateView>('PUT', t(id), { data: body }),
  setEnabled: (id: string, enabled: boolean) => apiRequest<TemplateView>('POST', `${t(id)}/enabled`, { data: { enabled } }),
  createContract: (id: string, body: CreateContractFromTemplateRequest, key?: string) =>
    apiRequest<ContractView>('POST', `${t(id)}/contracts`, { data: body, header: { 'Idempotency-Key': key ?? newIdempotencyKey() } }),
}
