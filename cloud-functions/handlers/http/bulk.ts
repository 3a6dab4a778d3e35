import { BULK_JOB_ID, ZBulkJobDetail, ZBulkJobList, ZBulkJobView, ZBulkPreview, ZBulkRowsQuery, ZBulkUploadFields } from '../../api/bulk.types'
import { SPREADSHEET_LIMITS } from '../../core/bulk/read-spreadsheet'
import { err } from '../../core/shared/result'
import { lambdaHandler } from '../../runtime/bootstrap'
import { errorResponse, fromDomainError, fromResult, json, type HttpEvent } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { withBulkServices } from '../../runtime/services'
import { getBulkSend } from '../../use-cases/bulk/get-bulk-send'
import { listBulkSends } from '../../use-cases/bulk/list-bulk-sends'
import { previewBulkSend } from '../../use-cases/bulk/preview-bulk-send'
import { startBulkSend } from '../../use-cases/bulk/start-bulk-send'
import { readUpload } from '../read-upload'
import { requestContext } from '../request-context'
import { signedIn } from '../signed-in'

const USER_ONLY = '请使用账号登录后批量发起'
const UPLOAD_ERRORS = ['NOT_A_SPREADSHEET', 'SPREADSHEET_TOO_LARGE', 'SPREADSHEET_UNREADABLE', 'MULTIPART_MALFORMED', 'TEMPLATE_NOT_FOUND', 'TEMPLATE_DISABLED'] as const

/** The spreadsheet and its fields (multipart: `file` plus the text fields of {@link ZBulkUploadFields}), bounded before anything parses it. */
async function readSheetUpload(event: HttpEvent) {
  const upload = await readUpload(event, {
    rawTypes: [],
    maxBytes: SPREADSHEET_LIMITS.maxBytes,
    limitRaw: true,
    tooLarge: () => err('SPREADSHEET_TOO_LARGE', `表格文件超过 ${SPREADSHEET_LIMITS.maxBytes / 1024 / 1024} MB 上限`, { maxBytes: SPREADSHEET_LIMITS.maxBytes }).error,
    unsupported: '请以 multipart/form-data 上传 CSV 或 XLSX 表格（字段 file）',
  })
  if (!upload.ok) return upload
  const fields = ZBulkUploadFields.safeParse(upload.value.fields)
  if (!fields.success) return err('VALIDATION_FAILED', fields.error.issues.map((i) => i.message).join('；'), { fields: fields.error.issues.map((i) => i.path.join('.')) })
  return { ok: true as const, value: { bytes: upload.value.bytes, fileName: fields.data.fileName ?? upload.value.fileName, fields: fields.data } }
}

/** Bulk send (批量发起): preview a spreadsheet against a template, confirm it as a job, follow the job. A signed-in account only. */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/bulk-sends/preview',
    doc: {
      summary: '批量发起：预览表格（不发送）',
      description: 'multipart/form-data：`file` 为 CSV（UTF-8 或 GBK）或 XLSX，≤ 5 MB、≤ 5,000 行，类型按内容判断；列：每个占位符一列（列名即占位符），每个非发起方角色「<角色名>姓名」「<角色名>手机」（企业角色另加「<角色名>企业名称」）。返回前几行和每一行的问题。',
      tags: ['bulk'],
      contentType: 'multipart/form-data',
      body: ZBulkUploadFields,
      response: ZBulkPreview,
      errors: [...UPLOAD_ERRORS],
    },
    handle: signedIn(async (event, { deps, session }) => {
      const upload = await readSheetUpload(event)
      if (!upload.ok) return fromDomainError(upload.error)
      const services = await withBulkServices(deps)
      return fromResult(await previewBulkSend(services, { userId: session.sub, templateId: upload.value.fields.templateId, bytes: upload.value.bytes }))
    }, USER_ONLY),
  },
  {
    method: 'POST',
    path: '/api/bulk-sends',
    doc: {
      summary: '批量发起：确认并开始发送',
      description: '与预览相同的上传（另需 `deadline`）。新建任务返回 201；同一模板、同一文件（字节相同）再次上传返回 200 和已有任务，不会重复发送。有问题的行不发送，列在任务的行结果里。',
      tags: ['bulk'],
      contentType: 'multipart/form-data',
      body: ZBulkUploadFields,
      response: ZBulkJobView,
      responseStatus: 201,
      errors: [...UPLOAD_ERRORS],
    },
    handle: signedIn(async (event, { deps, session }) => {
      const upload = await readSheetUpload(event)
      if (!upload.ok) return fromDomainError(upload.error)
      const { fields, bytes, fileName } = upload.value
      if (!fields.deadline) return errorResponse('VALIDATION_FAILED', '请填写签署截止时间', { fields: ['deadline'] })
      const services = await withBulkServices(deps)
      const started = await startBulkSend(services, {
        userId: session.sub,
        templateId: fields.templateId,
        bytes,
        deadline: fields.deadline,
        request: requestContext(event, session.sub),
        ...(fileName ? { fileName } : {}),
        ...(fields.title ? { title: fields.title } : {}),
        ...(fields.senderCompanyId ? { senderCompanyId: fields.senderCompanyId } : {}),
      })
      if (!started.ok) return fromDomainError(started.error)
      return json(started.value.created ? 201 : 200, started.value.job)
    }, USER_ONLY),
  },
  {
    method: 'GET',
    path: '/api/bulk-sends',
    doc: { summary: '我的批量发起任务', tags: ['bulk'], response: ZBulkJobList },
    handle: signedIn(async (_event, { deps, session }) => json(200, await listBulkSends(deps, { userId: session.sub })), USER_ONLY),
  },
  {
    method: 'GET',
    path: '/api/bulk-sends/{jobId}',
    doc: { summary: '批量发起进度与逐行结果（分页）', tags: ['bulk'], query: ZBulkRowsQuery, response: ZBulkJobDetail, errors: ['BULK_SEND_NOT_FOUND'] },
    handle: signedIn(async (event, { deps, params, session }) => {
      if (!BULK_JOB_ID.test(params.jobId ?? '')) return errorResponse('BULK_SEND_NOT_FOUND', '批量发起任务不存在')
      const query = ZBulkRowsQuery.safeParse(event.queryStringParameters ?? {})
      if (!query.success) return errorResponse('VALIDATION_FAILED', '查询参数不正确', { fields: query.error.issues.map((i) => i.path.join('.')) })
      return fromResult(await getBulkSend(deps, { userId: session.sub, jobId: params.jobId!, ...query.data }))
    }, USER_ONLY),
  },
]

export const handler = lambdaHandler(routes)
