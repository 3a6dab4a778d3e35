import type { BatchItemError, BatchPreviewItem, BatchSignItem } from '@api/contracts.types'
import { MAX_BATCH_CONTRACTS } from '@api/batch-limits'

/** At most this many contracts in one batch (the server refuses more). */
export const MAX_BATCH = MAX_BATCH_CONTRACTS
const ID = /^[A-Za-z0-9_-]{1,64}$/

/** The contract ids of the page's `ids` parameter (comma separated): well-formed, each once, at most {@link MAX_BATCH}. */
export function parseBatchIds(param: string | undefined): string[] {
  const ids = decodeURIComponent(param ?? '')
    .split(',')
    .filter((id) => ID.test(id))
  return [...new Set(ids)].slice(0, MAX_BATCH)
}

/** Where a contract of the batch stands on the page: before signing (ready or why not), while signing, after. */
export type BatchRow = { item: BatchPreviewItem; outcome?: BatchSignItem }

/** The signing acts the batch intent names: the ready contracts with their party and document hash. */
export function intentItems(rows: readonly BatchRow[]) {
  return rows.filter((r) => r.item.ready && r.item.signerId && r.item.documentHash).map((r) => ({ contractId: r.item.contractId, signerId: r.item.signerId!, documentHash: r.item.documentHash! }))
}

/** What the signer must choose once for the batch: a personal signature (any person party), a company seal (any company party). */
export function marksNeeded(rows: readonly BatchRow[]): { signature: boolean; seal: boolean } {
  const ready = rows.filter((r) => r.item.ready)
  return { signature: ready.some((r) => r.item.partyKind !== 'company'), seal: ready.some((r) => r.item.partyKind === 'company') }
}

/** The outcome text of one contract, in Chinese. */
export function outcomeText(o: BatchSignItem): string {
  if (o.status === 'signed') return '已签署'
  if (o.status === 'awaiting-seal-approval') return '已提交用印申请，审批通过后请单独签署'
  return o.error.message
}

/** A failed item for a call that got no answer (network) or an error answer: the whole call's error. */
export function failedItem(contractId: string, error: BatchItemError): BatchSignItem {
  return { contractId, status: 'failed', error }
}

/** Counts of the outcomes so far. */
export function tally(rows: readonly BatchRow[]): { signed: number; failed: number } {
  return { signed: rows.filter((r) => r.outcome?.status === 'signed').length, failed: rows.filter((r) => r.outcome && r.outcome.status !== 'signed').length }
}
