import type { ContractView } from '@api/contracts.types'
import type { CreateContractFromTemplateRequest, CreateTemplateRequest, TemplateList, TemplateView, UpdateTemplateRequest } from '@api/templates.types'
import Taro from '@tarojs/taro'
import { apiRequest } from './api-client'
import { authHeader } from './session'
import { newIdempotencyKey } from './contracts-api'

const t = (id: string) => `/api/templates/${encodeURIComponent(id)}`

/** Contract templates of a company (see cloud-functions/api/templates.types.ts): members use them, admins manage them. */
export const templatesApi = {
  list: (companyId: string, includeDisabled = false) => apiRequest<TemplateList>('GET', `/api/templates?companyId=${encodeURIComponent(companyId)}${includeDisabled ? '&includeDisabled=true' : ''}`),
  get: (id: string, version?: number) => apiRequest<TemplateView>('GET', `${t(id)}${version ? `?version=${version}` : ''}`),
  create: (body: CreateTemplateRequest) => apiRequest<TemplateView>('POST', '/api/templates', { data: body }),
  update: (id: string, body: UpdateTemplateRequest) => apiRequest<TemplateView>('PUT', t(id), { data: body }),
  setEnabled: (id: string, enabled: boolean) => apiRequest<TemplateView>('POST', `${t(id)}/enabled`, { data: { enabled } }),
  /** A page image of a template version's document (company members). */
  pagePath: (id: string, page: number, width = 750, version?: number) => `${t(id)}/pages/${page}?width=${width}${version ? `&version=${version}` : ''}`,
  /** A page image of the caller's own upload (the editor, before the template is saved with it). */
  documentPagePath: (documentId: string, page: number, width = 750) => `/api/documents/${encodeURIComponent(documentId)}/pages/${page}?width=${width}`,
  /** The raw PNG of an upload's page image (its size tells the page's proportions), or undefined when the page does not exist. */
  documentPagePng: async (documentId: string, page: number, width = 750): Promise<Uint8Array | undefined> => {
    try {
      const url = `${API_BASE_URL}/api/documents/${encodeURIComponent(documentId)}/pages/${page}?width=${width}`
      const r = await Taro.request({ url, method: 'GET', header: { Accept: 'image/png', ...authHeader() }, responseType: 'arraybuffer', dataType: 'arraybuffer', timeout: 30000 })
      return r.statusCode === 200 ? new Uint8Array(r.data as ArrayBuffer) : undefined
    } catch {
      return undefined
    }
  },
  createContract: (id: string, body: CreateContractFromTemplateRequest, key?: string) =>
    apiRequest<ContractView>('POST', `${t(id)}/contracts`, { data: body, header: { 'Idempotency-Key': key ?? newIdempotencyKey() } }),
}
