import type { BatchPreview, BatchSignResponse } from '@api/contracts.types'
import type { SmsCodeSent } from '@api/identity.types'
import type { BatchIntentItem, BatchIntentProofView } from '@api/signing.types'
import { apiRequest } from './api-client'
import { newIdempotencyKey } from './contracts-api'

/**
 * 批量签署 over HTTP: the preview of the chosen contracts, ONE intent (SMS code) for all of them,
 * then the signatures (`POST /api/contracts/batch-sign`, an Idempotency-Key per call, the same on
 * a retry).
 */
export const batchSignApi = {
  preview: (contractIds: string[]) => apiRequest<BatchPreview>('POST', '/api/contracts/batch-sign/preview', { data: { contractIds } }),
  intentCode: (items: BatchIntentItem[]) => apiRequest<SmsCodeSent>('POST', '/api/signing/intent/batches/sms-codes', { data: { items } }),
  intentConfirm: (items: BatchIntentItem[], code: string) => apiRequest<BatchIntentProofView>('POST', '/api/signing/intent/batches', { data: { items, method: 'sms', code } }),
  sign: (body: { batchId: string; contractIds: string[]; signatureId?: string; sealId?: string }, key: string = newIdempotencyKey()) =>
    apiRequest<BatchSignResponse>('POST', '/api/contracts/batch-sign', { data: body, timeout: 120000, header: { 'Idempotency-Key': key } }),
}
