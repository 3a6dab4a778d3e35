import Taro from '@tarojs/taro'
import type { ErrorBody } from '@api/error-codes'
import type {
  CheckSealUseRequest,
  CreatePersonalSealRequest,
  CreateSealRequest,
  CreateSealUseRequest,
  GrantSealRequest,
  HandwritingRequest,
  MySealsResponse,
  PersonalSignatureListResponse,
  PersonalSignatureView,
  SealCheckResponse,
  SealGrantListResponse,
  SealGrantView,
  SealListResponse,
  SealRequestListResponse,
  SealRequestView,
  SealSpecInput,
  SealView,
} from '@api/seals.types'
import { ApiError, apiRequest, apiUploadFile, type HttpMethod } from './api-client'
import { authHeader } from './session'

const call = <T>(method: HttpMethod, path: string, data?: Record<string, unknown>) => apiRequest<T>(method, path, { data })

/** UTF-8 bytes → string without TextDecoder (not available in every mini-program runtime). */
function utf8(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += '%' + b.toString(16).padStart(2, '0')
  try {
    return decodeURIComponent(s)
  } catch {
    return ''
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Base64 of `bytes` (Taro's arrayBufferToBase64 differs between H5, which wants a Uint8Array, and weapp). */
export function toBase64(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!
    out += c === undefined ? '=' : B64[c & 63]!
  }
  return out
}

/** A PNG answer as a `data:` URL for `<Image>` (the image routes need the session header, which `<Image src>` cannot send). */
export async function fetchImage(method: 'GET' | 'POST', path: string, data?: Record<string, unknown>): Promise<string> {
  let response: { statusCode: number; data: unknown }
  try {
    response = await Taro.request({
      url: `${API_BASE_URL}${path}`,
      method,
      data,
      header: { Accept: 'image/png, application/json', ...authHeader() },
      responseType: 'arraybuffer',
      dataType: 'arraybuffer',
      timeout: 30000,
    })
  } catch (err) {
    const detail = err as { errMsg?: string; message?: string } | undefined
    throw new ApiError('NETWORK_ERROR', `网络请求失败：${detail?.errMsg ?? detail?.message ?? String(err)}`, 0)
  }
  const bytes = new Uint8Array(response.data as ArrayBuffer)
  if (response.statusCode === 200) return `data:image/png;base64,${toBase64(bytes)}`
  try {
    const body = JSON.parse(utf8(bytes)) as ErrorBody
    throw new ApiError(body.error.code, body.error.message, response.statusCode)
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw new ApiError('BAD_RESPONSE', `服务器返回了异常状态（HTTP ${response.statusCode}）`, response.statusCode)
  }
}

export const previewSeal = (spec: SealSpecInput) => fetchImage('POST', '/api/seals/preview', spec as unknown as Record<string, unknown>)
export const previewHandwriting = (input: HandwritingRequest) => fetchImage('POST', '/api/seals/handwriting/preview', input as unknown as Record<string, unknown>)
export const sealImage = (imagePath: string) => fetchImage('GET', imagePath)

export const listMySeals = () => call<MySealsResponse>('GET', '/api/seals/mine')
export const listCompanySeals = (companyId: string) => call<SealListResponse>('GET', `/api/seals/companies/${companyId}/seals`)
export const createCompanySeal = (companyId: string, body: CreateSealRequest) => call<SealView>('POST', `/api/seals/companies/${companyId}/seals`, body)
export const listGrants = (companyId: string, sealId: string) => call<SealGrantListResponse>('GET', `/api/seals/companies/${companyId}/seals/${sealId}/grants`)
export const grantSeal = (companyId: string, sealId: string, userId: string, body: GrantSealRequest) =>
  call<SealGrantView>('PUT', `/api/seals/companies/${companyId}/seals/${sealId}/grants/${userId}`, body)
export const revokeGrant = (companyId: string, sealId: string, userId: string) => call<unknown>('DELETE', `/api/seals/companies/${companyId}/seals/${sealId}/grants/${userId}`)
export const checkSealUse = (companyId: string, sealId: string, body: CheckSealUseRequest) => call<SealCheckResponse>('POST', `/api/seals/companies/${companyId}/seals/${sealId}/check`, body)
export const listRequests = (companyId: string, status?: 'pending' | 'approved' | 'rejected') =>
  call<SealRequestListResponse>('GET', `/api/seals/companies/${companyId}/requests${status ? `?status=${status}` : ''}`)
export const requestSealUse = (companyId: string, body: CreateSealUseRequest) => call<SealRequestView>('POST', `/api/seals/companies/${companyId}/requests`, body)
export const decideRequest = (companyId: string, requestId: string, decision: 'approve' | 'reject', comment?: string) =>
  call<SealRequestView>('POST', `/api/seals/companies/${companyId}/requests/${requestId}/${decision}`, comment ? { comment } : {})
export const listPersonalSignatures = () => call<PersonalSignatureListResponse>('GET', '/api/seals/personal')
export const createPersonalSeal = (body: CreatePersonalSealRequest) => call<PersonalSignatureView>('POST', '/api/seals/personal', body)
export const saveHandwriting = (input: HandwritingRequest) => call<PersonalSignatureView>('POST', '/api/seals/personal/handwriting', input as unknown as Record<string, unknown>)

/**
 * Uploads an image file (a path from `chooseImage`) as multipart `file` to a seals upload route:
 * `/api/seals/companies/{companyId}/seals/upload` or `/api/seals/personal/handwriting-photo`.
 */
export function uploadImage<T>(path: string, filePath: string, fields: Record<string, string> = {}): Promise<T> {
  return apiUploadFile<T>(path, { filePath, formData: fields })
}
