import { ERROR_MESSAGES, type ErrorCode } from '@api/error-codes'
import { ApiError, type ClientErrorCode } from './api-client'

/** Messages of failures that happen before the server answers. */
export const CLIENT_ERROR_MESSAGES: Record<ClientErrorCode, string> = {
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  BAD_RESPONSE: '服务器返回了无法识别的结果，请稍后重试',
}

/** Request fields the server names in validation messages, as a user knows them. */
const FIELD_LABELS: Record<string, string> = {
  phone: '手机号',
  code: '验证码',
  name: '姓名',
  idNumber: '身份证号',
  companyName: '单位名称',
  creditCode: '统一社会信用代码',
  legalRepName: '法定代表人姓名',
  legalRepIdNumber: '法定代表人身份证号',
  bankName: '开户银行',
  bankAccount: '对公账号',
  amount: '打款金额',
  role: '角色',
  validUntil: '授权截止日期',
  templateIds: '适用模板',
  sealId: '印章',
  contractId: '合同',
  reason: '用印事由',
  sealType: '印章类型',
  spec: '印章样式',
  kind: '印章样式',
  layout: '版式',
  strokes: '笔迹',
  width: '宽度',
  height: '高度',
  file: '文件',
  returnUrl: '返回地址',
  comment: '审批意见',
}

const LATIN_WORD = /[A-Za-z]{3,}/

/** Replace the field names a validation message lists (`companyName`, `validUntil、validUntil`) by their labels, once each. */
function labelFields(message: string): string {
  const at = message.search(/[:：]/)
  if (at < 0) return message
  const head = message.slice(0, at)
  const tail = message.slice(at + 1)
  const names = tail.split(/[、,，;；\s]+/).filter(Boolean)
  // Only a list of request field names (`companyName`, `spec.companyName`) is relabelled.
  if (names.length === 0 || !names.every((n) => /^[A-Za-z][\w.[\]]*$/.test(n))) return message
  const label = (n: string) => FIELD_LABELS[n.split('.').pop()!.replace(/\[\d+\]$/, '')] ?? FIELD_LABELS[n.split('.')[0]!]
  if (!names.every((n) => label(n) !== undefined)) return head
  const labels = [...new Set(names.map((n) => label(n)!))]
  return `${head}：${labels.join('、')}`
}

/** A message fit to show: Chinese, with no raw field name, English text or framework output in it. */
const isReadable = (message: string) => /[\u4e00-\u9fa5]/.test(message) && !LATIN_WORD.test(message.replace(/PDF|PNG|JPEG|JSON|OCSP|CRL|HTTP|SHA-\d+|DSS|CMS/g, ''))

/**
 * The one error-text function of the app: the user-facing Chinese sentence for any failure. The
 * server's own message when it is readable Chinese (it often names the limit or field); otherwise
 * the message of its error code (`api/error-codes.ts`), or of the client's failure; never English
 * or framework text such as `uploadFile:fail undefined`.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const message = labelFields(err.message)
    if (isReadable(message)) return message
    if (err.code in CLIENT_ERROR_MESSAGES) return CLIENT_ERROR_MESSAGES[err.code as ClientErrorCode]
    return ERROR_MESSAGES[err.code as ErrorCode] ?? '操作失败，请稍后重试'
  }
  const message = err instanceof Error ? err.message : typeof err === 'object' && err !== null && 'errMsg' in err ? String((err as { errMsg: unknown }).errMsg) : String(err)
  return isReadable(message) ? message : '操作失败，请稍后重试'
}
