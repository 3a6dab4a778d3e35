import type { z } from 'zod'
import {
  ZCreateContractFromTemplateRequest,
  ZCreateTemplateRequest,
  ZSetTemplateEnabledRequest,
  ZTemplateGetQuery,
  ZTemplateListQuery,
  ZUpdateTemplateRequest,
} from '../../api/templates.types'
import { ZPageImageQuery } from '../../api/contracts.types'
import type { Result } from '../../core/shared/result'
import { lambdaHandler } from '../../runtime/bootstrap'
import { binary, errorResponse, fromDomainError } from '../../runtime/http'
import { withContractServices } from '../../runtime/services'
import type { Route, RouteDoc } from '../../runtime/router'
import { createContractFromTemplate } from '../../use-cases/templates/create-contract-from-template'
import { createTemplate } from '../../use-cases/templates/create-template'
import { getTemplate } from '../../use-cases/templates/get-template'
import { getTemplatePageImage } from '../../use-cases/templates/get-template-page-image'
import { listTemplates } from '../../use-cases/templates/list-templates'
import { setTemplateEnabled } from '../../use-cases/templates/set-template-enabled'
import { updateTemplate } from '../../use-cases/templates/update-template'
import { contractServicesRoute, type ContractServicesCall } from '../contract-services-route'
import { parseQuery } from '../parse-query'
import { signedIn } from '../signed-in'

const PAGE_INDEX = /^(0|[1-9]\d{0,3})$/
const ZTemplatePageQuery = ZPageImageQuery.extend(ZTemplateGetQuery.shape).strict()

/** A templates route for a logged-in user, served with the contracts services (the CPU pool fills placeholders). */
function templateRoute<S extends z.ZodType | undefined>(
  method: Route['method'],
  path: string,
  schema: S,
  run: (c: ContractServicesCall<S extends z.ZodType ? z.infer<S> : undefined>) => Promise<Result<unknown>>,
  options: { status?: number; idempotent?: boolean; doc: RouteDoc },
): Route {
  return contractServicesRoute(method, path, schema, run, { ...options, tag: 'templates', userOnly: '请使用账号登录后使用合同模板' })
}

/**
 * Contract templates (api/templates.types.ts): company admins create, edit (new version) and
 * disable them; every member lists them and creates contract drafts from them.
 */
export const routes: Route[] = [
  templateRoute(
    'POST',
    '/api/templates',
    ZCreateTemplateRequest,
    ({ deps, userId, body }) => createTemplate(deps, { userId, ...body }),
    { status: 201, doc: { summary: '创建合同模板（企业管理员）：文件、角色、各角色的签署位置和填写项', errors: ['FORBIDDEN', 'DOCUMENT_NOT_FOUND', 'TEMPLATE_INVALID', 'NOT_A_PDF'] } },
  ),
  templateRoute(
    'GET',
    '/api/templates',
    undefined,
    async ({ deps, userId, event }) => {
      const q = parseQuery(event, ZTemplateListQuery)
      if (!q.ok) return q
      return listTemplates(deps, { userId, companyId: q.value.companyId, includeDisabled: q.value.includeDisabled === 'true' })
    },
    { doc: { summary: '企业的合同模板列表（企业成员；停用的模板需 includeDisabled=true）', query: ZTemplateListQuery, errors: ['FORBIDDEN', 'VALIDATION_FAILED'] } },
  ),
  templateRoute(
    'GET',
    '/api/templates/{templateId}',
    undefined,
    async ({ deps, userId, params, event }) => {
      const q = parseQuery(event, ZTemplateGetQuery)
      if (!q.ok) return q
      return getTemplate(deps, { userId, templateId: params.templateId!, ...(q.value.version ? { version: q.value.version } : {}) })
    },
    { doc: { summary: '模板详情（默认最新版本，可用 version 查看历史版本）', query: ZTemplateGetQuery, errors: ['TEMPLATE_NOT_FOUND', 'VALIDATION_FAILED'] } },
  ),
  {
    method: 'GET',
    path: '/api/templates/{templateId}/pages/{page}',
    doc: {
      summary: '模板文件的页面图片（企业成员；页码从 0 开始，按宽度缩放的 PNG，缓存于对象存储；默认最新版本）',
      tags: ['templates'],
      query: ZTemplatePageQuery,
      responseContentType: 'image/png',
      errors: ['TEMPLATE_NOT_FOUND', 'PAGE_OUT_OF_RANGE', 'RENDER_WIDTH_INVALID', 'RENDER_TOO_MANY_PIXELS', 'DOCUMENT_NOT_FOUND', 'NOT_A_PDF', 'UNAVAILABLE'],
    },
    handle: signedIn(async (event, { deps, params, session }) => {
      if (!PAGE_INDEX.test(params.page ?? '')) return errorResponse('PAGE_OUT_OF_RANGE', '页码应为从 0 开始的整数', { page: params.page })
      const query = ZTemplatePageQuery.safeParse(event.queryStringParameters ?? {})
      if (!query.success) return errorResponse('RENDER_WIDTH_INVALID', '图片宽度 width 应为 100 到 2000 之间的整数，version 应为正整数', { field: 'width', minWidth: 100, maxWidth: 2000 })
      const { width, version } = query.data
      const image = await getTemplatePageImage(await withContractServices(deps), { userId: session.sub, templateId: params.templateId!, page: Number(params.page), width, ...(version ? { version } : {}) })
      if (!image.ok) return fromDomainError(image.error)
      return binary(200, image.value.png, 'image/png', { 'cache-control': 'private, no-cache', etag: `"${image.value.sha256}-${params.page}-${width}"` })
    }, '请使用账号登录后使用合同模板'),
  },
  templateRoute('PUT', '/api/templates/{templateId}', ZUpdateTemplateRequest, ({ deps, userId, body, params }) => updateTemplate(deps, { userId, templateId: params.templateId!, ...body }), {
    doc: { summary: '修改模板（企业管理员）：生成新版本，已发起的合同仍使用原版本', errors: ['TEMPLATE_NOT_FOUND', 'FORBIDDEN', 'DOCUMENT_NOT_FOUND', 'TEMPLATE_INVALID', 'CONFLICT'] },
  }),
  templateRoute('POST', '/api/templates/{templateId}/enabled', ZSetTemplateEnabledRequest, ({ deps, userId, body, params }) => setTemplateEnabled(deps, { userId, templateId: params.templateId!, enabled: body.enabled }), {
    doc: { summary: '停用或启用模板（企业管理员）', errors: ['TEMPLATE_NOT_FOUND', 'FORBIDDEN', 'CONFLICT'] },
  }),
  templateRoute(
    'POST',
    '/api/templates/{templateId}/contracts',
    ZCreateContractFromTemplateRequest,
    ({ deps, userId, body, params, request }) => createContractFromTemplate(deps, { userId, request, templateId: params.templateId!, ...body }),
    {
      status: 201,
      idempotent: true,
      doc: {
        summary: '用模板发起合同：填写项写入 PDF（中文字体），按角色生成签署方和签署位置，得到合同草稿（再调用发送接口）',
        errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_DISABLED', 'TEMPLATE_VALUE_INVALID', 'TEMPLATE_VALUE_TOO_LONG', 'PERSON_NOT_VERIFIED', 'COMPANY_NOT_VERIFIED', 'FORBIDDEN', 'CONTRACT_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'],
      },
    },
  ),
]

export const handler = lambdaHandler(routes)
