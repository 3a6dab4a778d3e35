import type { ContractCounts, ContractList, ContractSummary } from '../../api/contracts.types'
import { countContracts, inBox, isListedFor, matchesFilter, mergeIndexPages, type IndexEntry, type ListFilter, type ListViewer } from '../../core/contracts/contract-list'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { callerParty, toContractSummary, type Caller } from './contract-view'
import { loadCaller } from './find-contract'
import { inboxPartition, listArchived, listIndexEntries, loadContractItem, sentPartition, type ContractItem } from './records'

/** Index entries read per index partition (sent, and one inbox per phone of the caller) in one call. */
export const LIST_READ_PER_PARTITION = 100
/** Contracts loaded (and filtered) per list call at most. */
export const LIST_SCAN_LIMIT = 100
/** Contracts the counts look at: the caller's newest ones. */
export const COUNTS_SCAN_LIMIT = 500

const SORT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z#[A-Za-z0-9_-]{1,64}$/

/** The cursor handed to the client: the sort key of the last contract a page looked at, base64url (opaque to the client). */
export function encodeListCursor(sort: string): string {
  return Buffer.from(`c1:${sort}`, 'utf8').toString('base64url')
}

export function decodeListCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!text.startsWith('c1:')) return undefined
  const sort = text.slice(3)
  return SORT.test(sort) ? sort : undefined
}

/** The index partitions of the caller's contracts: those they sent, and the inbox of each of their phones. */
function partitionsOf(caller: Caller): string[] {
  return [...new Set([sentPartition(caller.userId), ...caller.phoneHashes.map(inboxPartition)])]
}

const viewerOf = (item: ContractItem, caller: Caller): ListViewer => {
  const party = callerParty(item, caller)
  return { userId: caller.userId, ...(party ? { partyId: party.partyId } : {}) }
}

/** Contract reads in flight at once. */
const LOAD_BATCH = 25

/** Loads the contracts of `entries` (in order, {@link LOAD_BATCH} reads at a time), the caller's only (an index entry of a phone bound to another account is skipped). */
async function loadVisible(metadata: MetadataStore, entries: readonly IndexEntry[], caller: Caller): Promise<{ entry: IndexEntry; item?: ContractItem; viewer?: ListViewer }[]> {
  const items: (ContractItem | undefined)[] = []
  for (let i = 0; i < entries.length; i += LOAD_BATCH) items.push(...(await Promise.all(entries.slice(i, i + LOAD_BATCH).map((e) => loadContractItem(metadata, e.contractId)))))
  return entries.map((entry, i) => {
    const item = items[i]
    if (!item) return { entry }
    const viewer = viewerOf(item, caller)
    return isListedFor(item.contract, viewer) ? { entry, item, viewer } : { entry }
  })
}

export type ListContractsInput = ListFilter & { userId: string; archived: boolean; cursor?: string; limit: number }

/**
 * The caller's contracts, sent and received, newest first (by creation), each once: the sender's
 * `SENT#<userId>` index and the caller's `INBOX#<phoneHash>` indexes merged. Filters: the box
 * (todo / waiting / completed / all), status, party name, search over the title and the parties'
 * names, created and deadline ranges, validity (即将到期 / 已到期), archived (only the caller's archived ones, or only the others).
 *
 * The work per call is bounded: at most {@link LIST_READ_PER_PARTITION} index entries are read per
 * partition and at most {@link LIST_SCAN_LIMIT} contracts are loaded. When the filters match few
 * contracts, a page may therefore hold fewer than `limit` items — even none — and still carry
 * `next`; the client asks again with it. `next` is the sort key of the last contract looked at, so
 * contracts created meanwhile never shift a page (they are newer than any cursor). A cursor not made
 * here is `VALIDATION_FAILED`.
 */
export async function listContracts(deps: { metadata: MetadataStore; clock: Clock }, input: ListContractsInput): Promise<Result<ContractList>> {
  const before = input.cursor === undefined ? undefined : decodeListCursor(input.cursor)
  if (input.cursor !== undefined && before === undefined) return err('VALIDATION_FAILED', '分页参数 cursor 无效，请从第一页重新加载', { field: 'cursor' })
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const now = deps.clock.now()
  const [pages, archived] = await Promise.all([
    Promise.all(partitionsOf(caller).map((p) => listIndexEntries(deps.metadata, p, LIST_READ_PER_PARTITION, before))),
    listArchived(deps.metadata, input.userId),
  ])
  const merged = mergeIndexPages(pages)
  const candidates = merged.slice(0, LIST_SCAN_LIMIT)
  const more = pages.some((p) => p.more) || merged.length > candidates.length

  const items: ContractSummary[] = []
  let last: string | undefined
  let full = false
  const batch = Math.max(input.limit, LOAD_BATCH)
  for (let i = 0; i < candidates.length && !full; i += batch) {
    for (const row of await loadVisible(deps.metadata, candidates.slice(i, i + batch), caller)) {
      last = row.entry.sort
      const { item, viewer } = row
      if (item && viewer && archived.has(item.contract.contractId) === input.archived && inBox(item.contract, viewer, input.box, now) && matchesFilter(item.contract, input, now)) {
        items.push(toContractSummary(item, caller, now))
        if (items.length === input.limit) {
          full = true
          break
        }
      }
    }
  }
  const exhausted = !more && last === candidates[candidates.length - 1]?.sort
  return ok({ items, ...(last !== undefined && !exhausted ? { next: encodeListCursor(last) } : {}) })
}

/**
 * The home page counts over the caller's newest {@link COUNTS_SCAN_LIMIT} contracts (sent and
 * received, archived ones left out): 待我签署, 待他人签署, 即将截止 (live, deadline within 3 days),
 * 已完成.
 */
export async function countMyContracts(deps: { metadata: MetadataStore; clock: Clock }, input: { userId: string }): Promise<Result<ContractCounts>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const [pages, archived] = await Promise.all([
    Promise.all(partitionsOf(caller).map((p) => listIndexEntries(deps.metadata, p, COUNTS_SCAN_LIMIT))),
    listArchived(deps.metadata, input.userId),
  ])
  const entries = mergeIndexPages(pages)
    .slice(0, COUNTS_SCAN_LIMIT)
    .filter((e) => !archived.has(e.contractId))
  const rows = (await loadVisible(deps.metadata, entries, caller)).flatMap((r) => (r.item && r.viewer ? [{ contract: r.item.contract, viewer: r.viewer }] : []))
  return ok(countContracts(rows, deps.clock.now()))
}
