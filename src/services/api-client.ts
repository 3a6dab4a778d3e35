import Taro from '@tarojs/taro'
import type { ErrorBody, ErrorCode } from '@api/error-codes'
import { authHeader, clearSession } from './session'

/** Failures that happen before the server answers with an error body. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE'

/** Every non-2xx answer and every transport failure becomes one of these; pages switch on `code`. */
export class ApiError extends Error {
  readonly code: ErrorCode | ClientErrorCode
  /** HTTP status; 0 when no response arrived. */
  readonly status: number

  constructor(code: ErrorCode | ClientErrorCode, message: string, status: number) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

export type RequestOptions = {
  data?: Record<string, unknown> | unknown[]
  header?: Record<string, string>
  /** Milliseconds. */
  timeout?: number
}

function isErrorBody(data: unknown): data is ErrorBody {
  if (typeof data !== 'object' || data === null || !('error' in data)) return false
  const error = (data as { error: unknown }).error
  return typeof error === 'object' && error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
}

/** A server error; a session the server no longer accepts is forgotten, so pages show the logged-out state. */
function serverError(code: ErrorCode, message: string, status: number): ApiError {
  if (code === 'UNAUTHENTICATED' || code === 'SESSION_EXPIRED') clearSession()
  return new ApiError(code, message, status)
}

/**
 * Calls `${API_BASE_URL}${path}` (path starts with `/api/`) with the session's bearer token (from
 * the one session service) and resolves with the 2xx JSON body.
 */
export async function apiRequest<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
  let response: { statusCode: number; data: unknown }
  try {
    response = await Taro.request({
      url: `${API_BASE_URL}${path}`,
      method,
      data: options.data,
      header: { Accept: 'application/json', 'Content-Type': 'application/json', ...authHeader(), ...options.header },
      timeout: options.timeout ?? 15000,
      dataType: 'json',
    })
  } catch (err) {
    const detail = (err as { errMsg?: string; message?: string } | undefined)
    throw new ApiError('NETWORK_ERROR', `网络请求失败：${detail?.errMsg ?? detail?.message ?? String(err)}`, 0)
  }
  const { statusCode, data } = response
  if (statusCode >= 200 && statusCode < 300) return data as T
  if (isErrorBody(data)) throw serverError(data.error.code, data.error.message, statusCode)
  throw new ApiError('BAD_RESPONSE', `服务器返回了异常状态（HTTP ${statusCode}）`, statusCode)
}

export const apiGet = <T>(path: string, options?: Omit<RequestOptions, 'data'>) => apiRequest<T>('GET', path, options)
export const apiPost = <T>(path: string, data: RequestOptions['data'], options?: Omit<RequestOptions, 'data'>) =>
  apiRequest<T>('POST', path, { ...options, data })

export type UploadOptions = {
  /** A local file path: a weapp temp path (chooseMessageFile) or, on H5, a blob: URL. */
  filePath: string
  /** Multipart field name; default `file`. */
  name?: string
  fileName?: string
  header?: Record<string, string>
  /** Extra multipart text fields. */
  formData?: Record<string, string>
  /** Milliseconds. */
  timeout?: number
  /** Called with the percentage sent so far (0–100). */
  onProgress?: (percent: number) => void
}

/**
 * Uploads a file as multipart/form-data (`Taro.uploadFile`, which H5 and weapp both provide) to
 * `${API_BASE_URL}${path}` and resolves with the 2xx JSON body; failures become {@link ApiError}s
 * as in {@link apiRequest}.
 */
export async function apiUploadFile<T>(path: string, options: UploadOptions): Promise<T> {
  let response: { statusCode: number; data: unknown }
  try {
    const task = Taro.uploadFile({
      url: `${API_BASE_URL}${path}`,
      filePath: options.filePath,
      name: options.name ?? 'file',
      fileName: options.fileName,
      formData: options.formData,
      header: { Accept: 'application/json', ...authHeader(), ...options.header },
      timeout: options.timeout ?? 60000,
    })
    // Taro's upload task (weapp and H5) reports progress through `progress(cb)`.
    const onProgress = options.onProgress
    if (onProgress) (task as { progress?: (cb: (r: { progress: number }) => void) => unknown }).progress?.((r) => onProgress(r.progress))
    response = await task
  } catch (err) {
    const detail = err as { errMsg?: string; message?: string } | undefined
    throw new ApiError('NETWORK_ERROR', `上传失败，请检查网络后重试（${detail?.errMsg ?? detail?.message ?? String(err)}）`, 0)
  }
  const { statusCode } = response
  let data: unknown = response.data
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data)
    } catch {
      throw new ApiError('BAD_RESPONSE', `服务器返回了异常状态（HTTP ${statusCode}）`, statusCode)
    }
  }
  if (statusCode >= 200 && statusCode < 300) return data as T
  if (isErrorBody(data)) throw serverError(data.error.code, data.error.message, statusCode)
  throw new ApiError('BAD_RESPONSE', `服务器返回了异常状态（HTTP ${statusCode}）`, statusCode)
}
