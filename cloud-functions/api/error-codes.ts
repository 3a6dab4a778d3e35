/**
 * Every error code the API can answer with, and the message a user sees for it.
 * Import-free: the front end may import this file's values. HTTP statuses live in
 * `runtime/http-status.ts` (one table).
 */
export const ERROR_MESSAGES = {
  BAD_REQUEST: '请求格式不正确',
  BAD_JSON: '请求体不是有效的 JSON',
  VALIDATION_FAILED: '请求参数不正确',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  PAYLOAD_TOO_LARGE: '请求体超过大小限制',
  UNAUTHENTICATED: '请先登录',
  SESSION_EXPIRED: '登录已过期，请重新登录',
  FORBIDDEN: '没有权限执行此操作',
  NOT_FOUND: '资源不存在',
  ROUTE_NOT_FOUND: '接口不存在',
  METHOD_NOT_ALLOWED: '不支持该请求方法',
  CONFLICT: '数据已被修改，请刷新后重试',
  NOT_A_PDF: '文件不是有效的 PDF',
  DOCUMENT_NOT_FOUND: '文档不存在',
  LINK_EXPIRED: '链接已过期',
  LINK_INVALID: '链接无效',
  INTERNAL: '服务器内部错误，请稍后重试',
  UNAVAILABLE: '服务暂时不可用，请稍后重试',
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

/** Error response body: `{"error":{"code","message"}}`. */
export type ErrorBody = { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } }
