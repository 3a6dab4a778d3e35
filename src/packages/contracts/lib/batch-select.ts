import type { ContractSummary } from '@api/contracts.types'
import { MAX_BATCH_CONTRACTS } from '@api/batch-limits'

/** At most this many contracts in one batch (the server refuses more). */
export const MAX_BATCH_SELECTION = MAX_BATCH_CONTRACTS

/** A contract can go into a batch when it is the caller's turn to sign it. */
export const batchSelectable = (c: ContractSummary): boolean => c.myTurn && c.status === 'sent'

/** `ids` with `id` added or removed (never more than {@link MAX_BATCH_SELECTION}). */
export function toggleSelection(ids: readonly string[], id: string): string[] {
  if (ids.includes(id)) return ids.filter((x) => x !== id)
  return ids.length >= MAX_BATCH_SELECTION ? [...ids] : [...ids, id]
}

/** 全选: every selectable contract shown (up to the limit); again when all are chosen: none. */
export function selectAll(items: readonly ContractSummary[], ids: readonly string[]): string[] {
  const all = items.filter(batchSelectable).map((c) => c.contractId)
  if (all.length > 0 && all.slice(0, MAX_BATCH_SELECTION).every((id) => ids.includes(id))) return []
  return all.slice(0, MAX_BATCH_SELECTION)
}

/** 选择此发起方的全部: the selection plus every selectable contract of `senderName` shown (up to the limit). */
export function selectSender(items: readonly ContractSummary[], ids: readonly string[], senderName: string): string[] {
  const more = items.filter((c) => batchSelectable(c) && c.senderName === senderName && !ids.includes(c.contractId)).map((c) => c.contractId)
  return [...ids, ...more].slice(0, MAX_BATCH_SELECTION)
}

/** The batch page for the chosen contracts. */
export const batchPageUrl = (ids: readonly string[]) => `/packages/signing/pages/batch/index?ids=${ids.join(',')}`
