import { partyName, type Contract, type ContractStatus } from './contract'
import { validityState } from './contract-validity'
import { isLive } from './party-of-user'
import { whoseTurn } from './signing-turn'

/**
 * The contract lists (待我签署 / 待他人签署 / 已完成 / 全部) as pure functions: which box a contract
 * is in for a viewer, the filters and search, the merge of the viewer's index partitions (sent and
 * received, newest first), and the home page counts. The use case reads the records; this decides.
 */

export type ListBox = 'todo' | 'waiting' | 'completed' | 'all'

/** Who looks at the list: their account and, if they are one, their party on the contract. */
export type ListViewer = { userId: string; partyId?: string }

export type ListFilter = {
  box: ListBox
  status?: ContractStatus
  /** Search over the title and the parties' names (case-insensitive, contains). */
  q?: string
  /** A party's name, company name or acting member's name contains this. */
  party?: string
  /** ISO instants, inclusive. */
  createdFrom?: string
  createdTo?: string
  deadlineFrom?: string
  deadlineTo?: string
  /** 即将到期 (`expiring`: completed, validity ends within 30 days) or 已到期 (`ended`: its validity end date passed): `core/contracts/contract-validity.ts`. */
  validity?: 'expiring' | 'ended'
}

/** It is the viewer's turn to sign: a live contract whose current group holds the viewer's unsigned signer party. */
export function isMyTurn(c: Contract, viewer: ListViewer, now: Date): boolean {
  if (!viewer.partyId || !isLive(c, now)) return false
  const party = c.parties.find((p) => p.partyId === viewer.partyId)
  return party?.role === 'signer' && whoseTurn(c).includes(viewer.partyId)
}

/** Whether the viewer appears in the list at all: the sender always; a party once the contract was sent (a draft, or one waiting for approval, is the sender's own). */
export function isListedFor(c: Contract, viewer: ListViewer): boolean {
  if (c.senderUserId === viewer.userId) return true
  return viewer.partyId !== undefined && c.status !== 'draft' && c.status !== 'pending_approval'
}

/**
 * The box a contract is in for the viewer:
 * - `todo` (待我签署): the viewer's turn;
 * - `waiting` (待他人签署): live, not the viewer's turn, and the viewer sent it or already signed it; or the viewer's own contract waiting for approval;
 * - `completed` (已完成): completed;
 * - `all` (全部): every contract listed for the viewer.
 */
export function inBox(c: Contract, viewer: ListViewer, box: ListBox, now: Date): boolean {
  switch (box) {
    case 'todo':
      return isMyTurn(c, viewer, now)
    case 'waiting': {
      // Waiting for the company's approval (审批中) is waiting for others, from the sender's side.
      if (c.status === 'pending_approval') return c.senderUserId === viewer.userId
      if (!isLive(c, now) || isMyTurn(c, viewer, now)) return false
      const signed = viewer.partyId !== undefined && c.signers[viewer.partyId]?.status === 'signed'
      return c.senderUserId === viewer.userId || signed
    }
    case 'completed':
      return c.status === 'completed'
    case 'all':
      return true
  }
}

const contains = (text: string, needle: string) => text.toLocaleLowerCase('zh-CN').includes(needle.toLocaleLowerCase('zh-CN'))
const partyNames = (c: Contract) => c.parties.flatMap((p) => (p.kind === 'company' ? [partyName(p), p.member.name] : [partyName(p)]))
const within = (at: string, from?: string, to?: string) => {
  const t = Date.parse(at)
  return (from === undefined || t >= Date.parse(from)) && (to === undefined || t <= Date.parse(to))
}

/** The filters other than the box: status, party name, search, created and deadline ranges, validity at `now` (all must hold; absent ones hold; a validity filter without `now` holds for none). */
export function matchesFilter(c: Contract, filter: Omit<ListFilter, 'box'>, now?: Date): boolean {
  if (filter.status && c.status !== filter.status) return false
  if (filter.validity && (!now || validityState(c, now) !== filter.validity)) return false
  if (filter.party && !partyNames(c).some((n) => contains(n, filter.party!))) return false
  if (filter.q && !contains(c.title, filter.q) && !partyNames(c).some((n) => contains(n, filter.q!))) return false
  if (!within(c.createdAt, filter.createdFrom, filter.createdTo)) return false
  if (!within(c.deadline, filter.deadlineFrom, filter.deadlineTo)) return false
  return true
}

/** One entry of an index partition (`SENT#…`, `INBOX#…`): its contract and its sort key `<createdAt>#<contractId>`. */
export type IndexEntry = { contractId: string; sort: string }

/** The newest entries of one index partition below the cursor, newest first; `more`: the partition holds older ones not read. */
export type IndexPage = { entries: IndexEntry[]; more: boolean }

/**
 * The entries of several index partitions in one list, newest first, each contract once — only as
 * far as is safe: a partition with unread older entries could hold one newer than another
 * partition's oldest read entry, so the merge stops at the newest "oldest read entry" among the
 * partitions with more (the frontier). The next call resumes below the last entry used.
 */
export function mergeIndexPages(pages: readonly IndexPage[]): IndexEntry[] {
  let frontier: string | undefined
  for (const p of pages) {
    const last = p.entries[p.entries.length - 1]
    if (p.more && last && (frontier === undefined || last.sort > frontier)) frontier = last.sort
  }
  const seen = new Set<string>()
  return pages
    .flatMap((p) => p.entries)
    .filter((e) => frontier === undefined || e.sort >= frontier)
    .sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : 0))
    .filter((e) => (seen.has(e.contractId) ? false : (seen.add(e.contractId), true)))
}

/** How soon a deadline counts as 即将截止. */
export const EXPIRING_SOON_MS = 3 * 86400_000

export type ListCounts = { toSign: number; waitingForOthers: number; expiringSoon: number; completed: number }

/** The home page counts over the viewer's contracts: 待我签署, 待他人签署, 即将截止 (live, deadline within 3 days), 已完成. */
export function countContracts(rows: readonly { contract: Contract; viewer: ListViewer }[], now: Date): ListCounts {
  const counts: ListCounts = { toSign: 0, waitingForOthers: 0, expiringSoon: 0, completed: 0 }
  for (const { contract: c, viewer } of rows) {
    if (!isListedFor(c, viewer)) continue
    if (inBox(c, viewer, 'todo', now)) counts.toSign++
    if (inBox(c, viewer, 'waiting', now)) counts.waitingForOthers++
    if (isLive(c, now) && Date.parse(c.deadline) - now.getTime() <= EXPIRING_SOON_MS) counts.expiringSoon++
    if (c.status === 'completed') counts.completed++
  }
  return counts
}
