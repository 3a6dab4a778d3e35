import * as z from 'zod'

/**
 * Contract templates (issue 16). A template belongs to a company: its admins (管理员) create, edit
 * (each edit is a new version) and disable it; every member uses it to create contracts. Bearer
 * token required.
 *
 * - `POST /api/templates` {@link CreateTemplateRequest} → 201 {@link TemplateView} (admins of `companyId`)
 * - `GET /api/templates?companyId=&includeDisabled=` → {@link TemplateList} (members)
 * - `GET /api/templates/{templateId}?version=` → {@link TemplateView} (members; the latest version by default)
 * - `PUT /api/templates/{templateId}` {@link UpdateTemplateRequest} → {@link TemplateView} (admins: version N+1)
 * - `POST /api/templates/{templateId}/enabled` {@link SetTemplateEnabledRequest} → {@link TemplateView} (admins: 停用 / 启用)
 * - `POST /api/templates/{templateId}/contracts` {@link CreateContractFromTemplateRequest} → 201 `ContractView` (a draft; send it with `POST /api/contracts/{id}/send`)
 */

export const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/
const localId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, '编号格式不正确')
const coordinate = z.number().finite().min(-100000).max(100000)
const size = z.number().finite().positive().max(100000)
const rect = z.tuple([coordinate, coordinate, size, size])
const page = z.number().int().min(0).max(9999)
const phone = z.string().regex(/^1[3-9]\d{9}$/, '请填写正确的 11 位手机号')
const personName = z.string().trim().min(1, '请填写名称').max(60, '名称不能超过 60 个字')

/** A placeholder key as written in the document (`{{乙方姓名}}` → `乙方姓名`): 1–20 characters, no braces or control characters. */
export const ZPlaceholderKey = z
  .string()
  .trim()
  .min(1, '请填写填写项名称')
  .refine((k) => [...k].length <= 20, '填写项名称不能超过 20 个字')
  // eslint-disable-next-line no-control-regex
  .refine((k) => !/[{}\u0000-\u001f\u007f]/.test(k), '填写项名称不能含有花括号或控制字符')

export const ZTemplateRole = z
  .object({
    roleId: localId,
    /** 甲方, 乙方, … */
    label: z.string().trim().min(1, '请填写角色名称').max(20, '角色名称不能超过 20 个字'),
    kind: z.enum(['person', 'company']),
    /** Filled by the sender (the sending company, or the sending person) when a contract is made. */
    sender: z.literal(true).optional(),
  })
  .strict()

export const ZTemplatePlaceholder = z
  .object({
    key: ZPlaceholderKey,
    page,
    /** [x, y, width, height] in display space (points, origin bottom-left), as contract fields. */
    rect,
    /** Points, 6–36 (default 12). */
    fontSize: z.number().finite().min(6).max(36).optional(),
    /** Characters. */
    maxLength: z.number().int().min(1).max(500).optional(),
  })
  .strict()

const placed = { fieldId: localId, roleId: localId, page, rect }
/** The contract field shapes (api/contracts.types.ts `ZFieldInput`) with `roleId` instead of `partyId`. */
export const ZTemplateField = z.discriminatedUnion('kind', [
  z.object({ ...placed, kind: z.literal('signature') }).strict(),
  z.object({ ...placed, kind: z.literal('seal') }).strict(),
  z.object({ ...placed, kind: z.literal('date'), format: z.enum(['YYYY-MM-DD', 'YYYY年MM月DD日']).optional() }).strict(),
  z.object({ ...placed, kind: z.literal('text'), required: z.boolean(), maxLength: z.number().int().min(1).max(2000), label: z.string().max(40).optional() }).strict(),
  z.object({ ...placed, kind: z.literal('checkbox'), required: z.boolean(), label: z.string().max(40).optional() }).strict(),
  z.object({ kind: z.literal('cross-page-seal'), fieldId: localId, roleId: localId, size: z.number().finite().min(40).max(300), y: coordinate.optional() }).strict(),
])

export const ZUpdateTemplateRequest = z
  .object({
    name: z.string().trim().min(1, '请填写模板名称').max(100, '模板名称不能超过 100 个字'),
    /** An uploaded document of the caller (`POST /api/documents`); the template keeps its own reference. */
    documentId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, '文档编号格式不正确'),
    roles: z.array(ZTemplateRole).min(1, '请至少添加一个角色').max(20, '角色不能超过 20 个'),
    fields: z.array(ZTemplateField).max(500, '签署位置不能超过 500 个'),
    placeholders: z.array(ZTemplatePlaceholder).max(100, '填写项不能超过 100 个'),
  })
  .strict()
const companyId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '企业编号格式不正确')
/** A new template of company `companyId` (the caller must be its admin). */
export const ZCreateTemplateRequest = ZUpdateTemplateRequest.extend({ companyId }).strict()

export const ZSetTemplateEnabledRequest = z.object({ enabled: z.boolean() }).strict()
export const ZTemplateListQuery = z.object({ companyId, includeDisabled: z.enum(['true', 'false']).default('false') }).strict()
export const ZTemplateGetQuery = z.object({ version: z.coerce.number().int().min(1).max(100000).optional() }).strict()

export const ZCreateContractFromTemplateRequest = z
  .object({
    /** The contract's title (default: the template's name). */
    title: z.string().trim().min(1).max(200).optional(),
    /** ISO 8601 instant: the signing deadline. */
    deadline: z.string().datetime({ offset: true, message: '截止时间格式不正确' }),
    /** Placeholder key → text (every placeholder of the template). */
    values: z.record(z.string().max(100), z.string().max(2000, '填写内容不能超过 2000 个字')).default({}),
    /** Role id → who fills it (every role but the sender's). For a company role, `name` is the acting member and `companyName` the company. */
    parties: z.record(localId, z.object({ name: personName, phone, companyName: z.string().trim().min(1).max(100).optional() }).strict()).default({}),
  })
  .strict()

export type TemplateRoleInput = z.infer<typeof ZTemplateRole>
export type TemplatePlaceholderInput = z.infer<typeof ZTemplatePlaceholder>
export type TemplateFieldInput = z.infer<typeof ZTemplateField>
export type UpdateTemplateRequest = z.infer<typeof ZUpdateTemplateRequest>
export type CreateTemplateRequest = z.infer<typeof ZCreateTemplateRequest>
export type SetTemplateEnabledRequest = z.infer<typeof ZSetTemplateEnabledRequest>
export type CreateContractFromTemplateRequest = z.input<typeof ZCreateContractFromTemplateRequest>

/** One version of a template as the API shows it. */
export type TemplateView = {
  templateId: string
  companyId: string
  name: string
  /** This view's version (1, 2, …). */
  version: number
  /** The latest version. */
  latestVersion: number
  enabled: boolean
  documentId: string
  fileName: string
  /** Page sizes of the document (display space, points). */
  pages: { width: number; height: number }[]
  roles: TemplateRoleInput[]
  fields: TemplateFieldInput[]
  placeholders: TemplatePlaceholderInput[]
  createdAt: string
  updatedAt: string
  /** Every version: number and when it was made, oldest first. */
  versions: { version: number; createdAt: string; name: string }[]
  /** Whether the caller may edit and disable it (a company admin). */
  canManage: boolean
}

export type TemplateSummary = Pick<TemplateView, 'templateId' | 'companyId' | 'name' | 'latestVersion' | 'enabled' | 'updatedAt' | 'canManage'> & { placeholderCount: number; roleLabels: string[] }
export type TemplateList = { items: TemplateSummary[]; canManage: boolean }
