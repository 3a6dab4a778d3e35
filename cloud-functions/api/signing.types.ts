import * as z from 'zod'
import { MAX_BATCH_CONTRACTS } from './batch-limits'

/**
 * Intent verification (意愿认证) for one signing act, bound to contract + signer + the SHA-256 of the
 * document the signer saw. Bearer token required.
 * - `POST /api/signing/intent/sms-codes` {@link IntentTarget} → 202 `SmsCodeSent` (to the verified phone)
 * - `POST /api/signing/intent/face` {@link IntentFaceRequest} → {@link IntentFaceStarted} (open `url`)
 * - `POST /api/signing/intent/confirm` {@link IntentConfirmRequest} → 201 {@link IntentProofView}
 */
const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '编号格式不正确')
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, '文档哈希应为 64 位小写十六进制 SHA-256')

export const ZIntentTarget = z.object({ contractId: id, signerId: id, documentHash: sha256 }).strict()
export const ZIntentFaceRequest = ZIntentTarget.extend({ returnUrl: z.string().max(1000).optional() }).strict()
export const ZIntentConfirmRequest = z.discriminatedUnion('method', [
  ZIntentTarget.extend({ method: z.literal('sms'), code: z.string().regex(/^\d{6}$/, '验证码应为 6 位数字') }).strict(),
  ZIntentTarget.extend({ method: z.literal('face'), challengeId: id }).strict(),
])

export type IntentTarget = z.infer<typeof ZIntentTarget>
export type IntentFaceRequest = z.infer<typeof ZIntentFaceRequest>
export type IntentConfirmRequest = z.infer<typeof ZIntentConfirmRequest>

export type IntentFaceStarted = { challengeId: string; url: string; expiresInSeconds: number }

export type IntentProofView = {
  proofId: string
  /** SHA-256 (hex) of the proof's canonical JSON: what the signature's certificate binds. */
  proofHash: string
  contractId: string
  signerId: string
  documentHash: string
  method: 'sms' | 'face'
  confirmedAt: string
  /** Until when the signing step accepts it. */
  expiresAt: string
}

/** {@link IntentFaceStarted} and {@link IntentProofView} for the OpenAPI document. */
export const ZIntentFaceStarted = z.object({ challengeId: z.string(), url: z.string(), expiresInSeconds: z.number().int() }) satisfies z.ZodType<IntentFaceStarted>
export const ZIntentProofView = z.object({
  proofId: z.string(),
  proofHash: z.string().describe('意愿证明规范 JSON 的 SHA-256（十六进制）：签名证书所绑定的值'),
  contractId: z.string(),
  signerId: z.string(),
  documentHash: z.string(),
  method: z.enum(['sms', 'face']),
  confirmedAt: z.string(),
  expiresAt: z.string().describe('签署步骤接受此证明的截止时间'),
}) satisfies z.ZodType<IntentProofView>

/**
 * Batch intent (批量签署): ONE confirmation for several signing acts of the caller's account (an
 * account session; a signing link acts for one contract only). `items` come from
 * `POST /api/contracts/batch-sign/preview`; at most 50.
 * - `POST /api/signing/intent/batches/sms-codes` {@link BatchIntentTarget} → 202 `SmsCodeSent`
 * - `POST /api/signing/intent/batches/face` {@link BatchIntentFaceRequest} → {@link IntentFaceStarted}
 * - `POST /api/signing/intent/batches` {@link BatchIntentConfirmRequest} → 201 {@link BatchIntentProofView}
 * - `GET /api/signing/intent/batches/{batchId}` → {@link BatchIntentProofView} (its account only)
 */
export const ZBatchIntentItem = z.object({ contractId: id, signerId: id, documentHash: sha256 }).strict()
const batchItems = z
  .array(ZBatchIntentItem)
  .min(1, '请至少选择一份合同')
  .max(MAX_BATCH_CONTRACTS, `一次最多批量签署 ${MAX_BATCH_CONTRACTS} 份合同`)
  .refine((items) => new Set(items.map((i) => i.contractId)).size === items.length, '同一份合同不能重复选择')
export const ZBatchIntentTarget = z.object({ items: batchItems }).strict()
export const ZBatchIntentFaceRequest = ZBatchIntentTarget.extend({ returnUrl: z.string().max(1000).optional() }).strict()
export const ZBatchIntentConfirmRequest = z.discriminatedUnion('method', [
  ZBatchIntentTarget.extend({ method: z.literal('sms'), code: z.string().regex(/^\d{6}$/, '验证码应为 6 位数字') }).strict(),
  ZBatchIntentTarget.extend({ method: z.literal('face'), challengeId: id }).strict(),
])
export const BATCH_ID = /^[A-Za-z0-9_-]{1,64}$/

export type BatchIntentItem = z.infer<typeof ZBatchIntentItem>
export type BatchIntentTarget = z.infer<typeof ZBatchIntentTarget>
export type BatchIntentFaceRequest = z.infer<typeof ZBatchIntentFaceRequest>
export type BatchIntentConfirmRequest = z.infer<typeof ZBatchIntentConfirmRequest>

export type BatchIntentProofView = {
  batchId: string
  /** SHA-256 (hex) of the batch proof's canonical JSON; each contract's proof names it. */
  proofHash: string
  method: 'sms' | 'face'
  confirmedAt: string
  expiresAt: string
  /** Every contract of the batch, the document hash it will sign, and its own proof (used once, by `POST /api/contracts/batch-sign`). */
  items: Array<BatchIntentItem & { proofId: string; proofHash: string; usedAt?: string }>
}

export const ZBatchIntentProofView = z.object({
  batchId: z.string(),
  proofHash: z.string().describe('批量意愿证明规范 JSON 的 SHA-256（十六进制）：每份合同的意愿证明都包含它'),
  method: z.enum(['sms', 'face']),
  confirmedAt: z.string(),
  expiresAt: z.string(),
  items: z.array(z.object({ contractId: z.string(), signerId: z.string(), documentHash: z.string(), proofId: z.string(), proofHash: z.string(), usedAt: z.string().optional() })),
}) satisfies z.ZodType<BatchIntentProofView>
