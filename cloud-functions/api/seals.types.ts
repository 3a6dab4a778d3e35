import * as z from 'zod'

/**
 * Seals and signatures (all under `/api/seals/`, Bearer session required):
 *
 * Previews (nothing stored) → `image/png`:
 * - `POST /api/seals/preview` body {@link SealSpecInput}
 * - `POST /api/seals/handwriting/preview` body {@link HandwritingRequest}
 *
 * Company seals (`{companyId}`: members read; admins of a verified company write):
 * - `GET  /api/seals/companies/{companyId}/seals` → {@link SealListResponse}
 * - `POST /api/seals/companies/{companyId}/seals` body {@link CreateSealRequest} → 201 {@link SealView}
 * - `POST /api/seals/companies/{companyId}/seals/upload` multipart (`file`, optional `name`, `sealType`)
 *   or a raw `image/png` / `image/jpeg` body → 201 {@link SealView} (white → transparent, red normalised)
 * - `GET  /api/seals/companies/{companyId}/seals/{sealId}` → {@link SealView}
 * - `PATCH /api/seals/companies/{companyId}/seals/{sealId}` body {@link UpdateSealRequest} → {@link SealView}
 * - `GET  /api/seals/companies/{companyId}/seals/{sealId}/image` → `image/png` (print resolution)
 * - `GET  /api/seals/companies/{companyId}/seals/{sealId}/vector` → `application/pdf` (generated seals: real size, vector)
 * - `GET  /api/seals/companies/{companyId}/seals/{sealId}/grants` → {@link SealGrantListResponse} (admin)
 * - `PUT  /api/seals/companies/{companyId}/seals/{sealId}/grants/{userId}` body {@link GrantSealRequest} → {@link SealGrantView} (admin)
 * - `DELETE /api/seals/companies/{companyId}/seals/{sealId}/grants/{userId}` → 204 (admin)
 * - `POST /api/seals/companies/{companyId}/seals/{sealId}/check` body {@link CheckSealUseRequest} → {@link SealCheckResponse} or 403 `SEAL_NOT_AUTHORISED`
 * - `GET  /api/seals/companies/{companyId}/seals/{sealId}/uses` → {@link SealUseListResponse} (every use: who, when, which contract)
 *
 * 用印审批:
 * - `POST /api/seals/companies/{companyId}/requests` body {@link CreateSealUseRequest} → 201 {@link SealRequestView}
 * - `GET  /api/seals/companies/{companyId}/requests?status=pending` → {@link SealRequestListResponse} (admins: all; others: their own)
 * - `POST /api/seals/companies/{companyId}/requests/{requestId}/approve` body {@link DecideSealRequest} → {@link SealRequestView}
 * - `POST /api/seals/companies/{companyId}/requests/{requestId}/reject` body {@link DecideSealRequest} → {@link SealRequestView}
 *
 * Personal seals and handwritten signatures (the caller's own):
 * - `GET  /api/seals/personal` → {@link PersonalSignatureListResponse}
 * - `POST /api/seals/personal` body {@link CreatePersonalSealRequest} → 201 {@link PersonalSignatureView}
 * - `POST /api/seals/personal/handwriting` body {@link HandwritingRequest} → 201 {@link PersonalSignatureView}
 * - `POST /api/seals/personal/handwriting-photo` multipart `file` or raw image → 201 {@link PersonalSignatureView}
 * - `GET  /api/seals/personal/{signatureId}/image` → `image/png`
 * - `GET  /api/seals/mine` → {@link MySealsResponse}: company seals the caller may use
 */

export const COMPANY_SEAL_TYPE_VALUES = ['公章', '合同专用章', '财务专用章'] as const

const companyName = z.string().trim().min(2, '单位名称至少 2 个字').max(60, '单位名称过长')
const personName = z.string().trim().min(2, '姓名至少 2 个字').max(12, '姓名过长')
const sealType = z.enum(COMPANY_SEAL_TYPE_VALUES)
const code = z.string().regex(/^\d{13}$/, '印章编码应为 13 位数字').optional()

export const ZCompanySealSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('company-round'), companyName, sealType, code }).strict(),
  z.object({ kind: z.literal('company-oval'), companyName, sealType, code }).strict(),
  z.object({ kind: z.literal('legal-representative'), name: personName }).strict(),
])
export const ZPersonalSealSpec = z.object({ kind: z.literal('personal-square'), name: personName, layout: z.enum(['2x2', '2x3']).optional() }).strict()
export const ZSealSpec = z.discriminatedUnion('kind', [...ZCompanySealSpec.options, ZPersonalSealSpec])
export type SealSpecInput = z.infer<typeof ZSealSpec>

/** A safe id for path segments and object keys. */
export const ZId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确')

export const ZCreateSealRequest = z.object({ spec: ZCompanySealSpec, name: z.string().trim().min(1).max(30).optional() }).strict()
export type CreateSealRequest = z.infer<typeof ZCreateSealRequest>

export const ZUpdateSealRequest = z
  .object({ status: z.enum(['active', 'disabled']).optional(), name: z.string().trim().min(1).max(30).optional(), expectedVersion: z.number().int().positive().optional() })
  .strict()
export type UpdateSealRequest = z.infer<typeof ZUpdateSealRequest>

/**
 * A personal seal (人名章) carries the caller's verified real name (实名认证), which the server takes
 * from the identity record: the request chooses only the layout, and a request naming anyone is
 * refused (`VALIDATION_FAILED`). Not verified → 403 `PERSON_NOT_VERIFIED`.
 */
export const ZCreatePersonalSealRequest = z.object({ layout: z.enum(['2x2', '2x3']).optional() }).strict()
export type CreatePersonalSealRequest = z.infer<typeof ZCreatePersonalSealRequest>

const ZStrokePoint = z.object({ x: z.number().finite(), y: z.number().finite(), t: z.number().finite().optional(), p: z.number().min(0).max(1).optional() }).strict()
export const ZHandwritingRequest = z
  .object({
    // Sizes are checked by core/seals/handwriting.ts (HANDWRITING_LIMITS), which answers with its own codes.
    width: z.number().int(),
    height: z.number().int(),
    strokes: z.array(z.array(ZStrokePoint)).min(1, '签名为空，请先书写'),
  })
  .strict()
export type HandwritingRequest = z.infer<typeof ZHandwritingRequest>

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '日期无效')
export const ZGrantSealRequest = z.object({ validUntil: isoDate, templateIds: z.array(ZId).max(50).optional() }).strict()
export type GrantSealRequest = z.infer<typeof ZGrantSealRequest>

export const ZCreateSealUseRequest = z.object({ sealId: ZId, contractId: ZId, templateId: ZId.optional(), reason: z.string().trim().max(200).optional() }).strict()
export type CreateSealUseRequest = z.infer<typeof ZCreateSealUseRequest>

export const ZDecideSealRequest = z.object({ comment: z.string().trim().max(200).optional() }).strict()
export type DecideSealRequest = z.infer<typeof ZDecideSealRequest>

export const ZCheckSealUseRequest = z.object({ contractId: ZId, templateId: ZId.optional() }).strict()
export type CheckSealUseRequest = z.infer<typeof ZCheckSealUseRequest>

export type SealKindView = 'company-round' | 'company-oval' | 'legal-representative' | 'uploaded'

export type SealView = {
  sealId: string
  companyId: string
  /** Display name, e.g. 合同专用章. */
  name: string
  kind: SealKindView
  sealType?: (typeof COMPANY_SEAL_TYPE_VALUES)[number]
  status: 'active' | 'disabled'
  /** The stored PNG's size in pixels. */
  width: number
  height: number
  /** Real size of generated seals, millimetres. */
  widthMm?: number
  heightMm?: number
  createdBy: string
  /** ISO 8601. */
  createdAt: string
  version: number
  /** API path of the PNG (send the session's Bearer token). */
  imagePath: string
}
export type SealListResponse = { seals: SealView[] }

export type SealGrantView = { sealId: string; userId: string; validUntil: string; templateIds?: string[]; grantedBy: string; grantedAt: string }
export type SealGrantListResponse = { grants: SealGrantView[] }

export type SealRequestView = {
  requestId: string
  companyId: string
  sealId: string
  contractId: string
  templateId?: string
  requesterId: string
  reason?: string
  status: 'pending' | 'approved' | 'rejected'
  createdAt: string
  decidedBy?: string
  decidedAt?: string
  comment?: string
}
export type SealRequestListResponse = { requests: SealRequestView[] }

export type SealCheckResponse = { allowed: true; via: 'admin' | 'grant'; requestId?: string }

export type SealUseView = { sealId: string; companyId: string; userId: string; contractId: string; requestId?: string; via: 'admin' | 'grant'; usedAt: string }
export type SealUseListResponse = { uses: SealUseView[] }

export type PersonalSignatureView = {
  signatureId: string
  kind: 'personal-seal' | 'handwriting' | 'handwriting-photo'
  /** A personal seal's text: the verified real name it carries (absent for handwriting). */
  name?: string
  width: number
  height: number
  createdAt: string
  imagePath: string
}
export type PersonalSignatureListResponse = { signatures: PersonalSignatureView[] }

export type MySealsResponse = { seals: Array<SealView & { via: 'admin' | 'grant'; validUntil?: string; templateIds?: string[] }> }

// ---------------------------------------------------------------- response schemas (for /api/openapi.json)

const via = z.enum(['admin', 'grant'])
export const ZSealView = z.object({
  sealId: z.string(),
  companyId: z.string(),
  name: z.string(),
  kind: z.enum(['company-round', 'company-oval', 'legal-representative', 'uploaded']),
  sealType: z.enum(COMPANY_SEAL_TYPE_VALUES).optional(),
  status: z.enum(['active', 'disabled']),
  width: z.number().int(),
  height: z.number().int(),
  widthMm: z.number().optional(),
  heightMm: z.number().optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
  imagePath: z.string().describe('PNG 的接口路径（带会话的 Bearer 令牌访问）'),
}) satisfies z.ZodType<SealView>
export const ZSealListResponse = z.object({ seals: z.array(ZSealView) }) satisfies z.ZodType<SealListResponse>
export const ZSealGrantView = z.object({
  sealId: z.string(),
  userId: z.string(),
  validUntil: z.string(),
  templateIds: z.array(z.string()).optional(),
  grantedBy: z.string(),
  grantedAt: z.string(),
}) satisfies z.ZodType<SealGrantView>
export const ZSealGrantListResponse = z.object({ grants: z.array(ZSealGrantView) }) satisfies z.ZodType<SealGrantListResponse>
export const ZSealRequestView = z.object({
  requestId: z.string(),
  companyId: z.string(),
  sealId: z.string(),
  contractId: z.string(),
  templateId: z.string().optional(),
  requesterId: z.string(),
  reason: z.string().optional(),
  status: z.enum(['pending', 'approved', 'rejected']),
  createdAt: z.string(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  comment: z.string().optional(),
}) satisfies z.ZodType<SealRequestView>
export const ZSealRequestListResponse = z.object({ requests: z.array(ZSealRequestView) }) satisfies z.ZodType<SealRequestListResponse>
export const ZSealCheckResponse = z.object({ allowed: z.literal(true), via, requestId: z.string().optional() }) satisfies z.ZodType<SealCheckResponse>
export const ZSealUseListResponse = z.object({
  uses: z.array(
    z.object({ sealId: z.string(), companyId: z.string(), userId: z.string(), contractId: z.string(), requestId: z.string().optional(), via, usedAt: z.string() }),
  ),
}) satisfies z.ZodType<SealUseListResponse>
export const ZPersonalSignatureView = z.object({
  signatureId: z.string(),
  kind: z.enum(['personal-seal', 'handwriting', 'handwriting-photo']),
  width: z.number().int(),
  height: z.number().int(),
  createdAt: z.string(),
  imagePath: z.string(),
}) satisfies z.ZodType<PersonalSignatureView>
export const ZPersonalSignatureListResponse = z.object({ signatures: z.array(ZPersonalSignatureView) }) satisfies z.ZodType<PersonalSignatureListResponse>
export const ZMySealsResponse = z.object({
  seals: z.array(ZSealView.extend({ via, validUntil: z.string().optional(), templateIds: z.array(z.string()).optional() })),
}) satisfies z.ZodType<MySealsResponse>
