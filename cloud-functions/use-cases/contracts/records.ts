import { createHash } from 'node:crypto'
import type { Contract, Party } from '../../core/contracts/contract'
import type { ContractEvent } from '../../core/contracts/contract-events'
import { isLive } from '../../core/contracts/party-of-user'
import { decryptPersonalData, encryptPersonalData, lookupHash, type PersonalDataKeys } from '../../core/identity/personal-data'
import { maskPhone } from '../../core/shared/mask'
import { err, ok, type Result } from '../../core/shared/result'
import { MAX_TRANSACT_OPERATIONS, type Item, type MetadataStore, type NewItem, type TransactOperation } from '../../ports/metadata-store'

/**
 * The contracts area's records. One partition per contract holds its state, its index entries and
 * its timeline; signing links and idempotency answers have their own partitions.
 *
 * | record | pk | sk | index (gsi1pk / gsi1sk) |
 * |---|---|---|---|
 * | contract | `CONTRACT#<id>` | `META` | `CONTRACTS#LIVE#<0–7>` / `<deadline>#<id>` while sent (shard by a hash of the id) |
 * | a party's inbox entry | `CONTRACT#<id>` | `PARTY#<partyId>` | `INBOX#<phoneHash>` / `<createdAt>#<id>` |
 * | the sender's entry | `CONTRACT#<id>` | `SENDER` | `SENT#<userId>` / `<createdAt>#<id>` |
 * | timeline (the events of one transition) | `CONTRACT#<id>` | `EVENT#<seq, 6 digits>` | |
 * | a party's current signing link | `CONTRACT#<id>` | `LINK#<partyId>` | |
 * | a company party's latest 用印申请 (the request itself is the seals area's) | `CONTRACT#<id>` | `SEALREQ#<partyId>` | |
 * | signing link | `SIGNLINK#<sha256(token)>` | `LINK` | (TTL: the deadline + 30 days; it works only until the deadline) |
 * | archived by a user | `ARCHIVE#<userId>` | `<contractId>` | |
 * | idempotent answer | `IDEMPOTENCY#<userId>#<key>` | `ANSWER` | (TTL: 24 h) |
 * | signed revision | object `contracts/<id>/<sha256>.pdf` (content-addressed, never overwritten) | | |
 * | page image | object `contracts/<id>/pages/<sha256>-<page>-<width>.png` | | |
 *
 * The contract item (`type: 'contract'`) holds the core {@link Contract} (`contract`) with every
 * phone replaced by its masked form, and the phones themselves encrypted (`phones[partyId]`:
 * `enc` + lookup `hash`), so no phone is stored in clear. Every change is one conditional write on
 * the item's `version`.
 */
export const contractKey = (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'META' })
const partition = (contractId: string) => `CONTRACT#${contractId}`
const indexSort = (c: Pick<Contract, 'createdAt' | 'contractId'>) => `${c.createdAt}#${c.contractId}`
export const inboxPartition = (phoneHash: string) => `INBOX#${phoneHash}`
export const sentPartition = (userId: string) => `SENT#${userId}`
export const archiveKey = (userId: string, contractId: string) => ({ pk: `ARCHIVE#${userId}`, sk: contractId })
export const archivePartition = (userId: string) => `ARCHIVE#${userId}`
export const signingLinkKey = (tokenHash: string) => ({ pk: `SIGNLINK#${tokenHash}`, sk: 'LINK' })
export const partyLinkKey = (contractId: string, partyId: string) => ({ pk: partition(contractId), sk: `LINK#${partyId}` })
/** The latest 用印申请 a company party's sign raised: `companyId` + `requestId` (the seals area's `COMPANY#<c>` / `SEALREQ#<requestId>`). */
export const partySealRequestKey = (contractId: string, partyId: string) => ({ pk: partition(contractId), sk: `SEALREQ#${partyId}` })
/** When the sender last chased (催办) a party: `lastChasedAt` (ISO); read-modify-write on its version. */
export const chaseKey = (contractId: string, partyId: string) => ({ pk: partition(contractId), sk: `CHASE#${partyId}` })
/** The notices sent to one phone (by its lookup hash) in the last 24 hours, for the carriers' limits (`core/contracts/carrier-limits.ts`). */
export const noticeQuotaKey = (phoneHash: string) => ({ pk: `NOTICEQUOTA#${phoneHash}`, sk: 'SENT' })
/**
 * Sent contracts are in the index ordered by deadline, so the scheduled tick finds the expired ones;
 * they leave it when they end. The index copies the whole contract item (projection ALL, several KB)
 * at every change while it is sent, so one partition would take every contract's writes: they are
 * spread over {@link LIVE_SHARDS} partitions `CONTRACTS#LIVE#<n>` by a hash of the contract id, and
 * the tick reads them all (with `CONTRACTS#LIVE`, where contracts sent before the sharding stay
 * until their next change).
 */
export const LIVE_INDEX = 'CONTRACTS#LIVE'
export const LIVE_SHARDS = 8
export const liveShardOf = (contractId: string): number => createHash('sha256').update(contractId).digest()[0]! % LIVE_SHARDS
const liveShardPk = (shard: number) => `${LIVE_INDEX}#${shard}`
const liveIndexKey = (c: Contract) => (c.status === 'sent' ? { gsi1pk: liveShardPk(liveShardOf(c.contractId)), gsi1sk: `${c.deadline}#${c.contractId}` } : {})
export const idempotencyKey = (userId: string, key: string) => ({ pk: `IDEMPOTENCY#${userId}#${key}`, sk: 'ANSWER' })
const eventKey = (contractId: string, seq: number) => ({ pk: partition(contractId), sk: `EVENT#${String(seq).padStart(6, '0')}` })

/** Object keys: revisions are content-addressed per contract; page images by revision, page and width. */
export const revisionObjectKey = (contractId: string, sha256: string) => `contracts/${contractId}/${sha256}.pdf`
export const pageImageObjectKey = (contractId: string, sha256: string, page: number, width: number) => `contracts/${contractId}/pages/${sha256}-${page}-${width}.png`

export type PartyPhone = { enc: string; hash: string }

export type ContractItem = Item & ContractFields
export type ContractFields = {
  type: 'contract'
  contract: Contract
  phones: Record<string, PartyPhone>
  /** Display names fixed at creation. */
  senderName: string
  senderCompanyName?: string
  fileName?: string
  /** Timeline items stored so far (the next one is `eventCount + 1`). */
  eventCount: number
  /** The uploaded PDF's displayed page sizes, for placing fields on a draft (a sent contract has them in `contract.document.pages`). */
  draftPages?: { width: number; height: number }[]
  /**
   * The layout of the document `sha256` read at creation (page sizes and the areas already signed),
   * so that sending this draft does not read it again while the draft still has that document.
   */
  draftLayout?: { sha256: string; pages: { width: number; height: number }[]; signedAreas: { page: number; rect: [number, number, number, number] }[] }
  /** The completed contract's final revision (LTV: DSS + document time-stamp), once added. */
  finalSha256?: string
  /** 续签: the contract this draft was created from, and (on the original) the draft that renews it. */
  renewedFrom?: string
  renewedBy?: string
}

/** A contract whose phones are masked: what is stored, and what use cases hand around. */
export type StoredContract = { item: ContractItem; contract: Contract }

export function phoneOf(p: Party): string {
  return p.kind === 'person' ? p.phone : p.member.phone
}

function withPhone(p: Party, phone: string): Party {
  return p.kind === 'person' ? { ...p, phone } : { ...p, member: { ...p.member, phone } }
}

/** The contract with its phones masked, and the encrypted phones (for a new or edited draft whose phones are in clear). */
export function sealPhones(keys: PersonalDataKeys, c: Contract): { contract: Contract; phones: Record<string, PartyPhone> } {
  const phones: Record<string, PartyPhone> = {}
  for (const p of c.parties) {
    const phone = phoneOf(p)
    phones[p.partyId] = { enc: encryptPersonalData(keys, 'phone', phone), hash: lookupHash(keys, 'phone', phone) }
  }
  return { contract: { ...c, parties: c.parties.map((p) => withPhone(p, maskPhone(phoneOf(p)))) }, phones }
}

/** The contract with its phones in clear (only in memory: sending needs them for the structural checks and the messages). */
export function openPhones(keys: PersonalDataKeys, item: ContractItem): Contract {
  return { ...item.contract, parties: item.contract.parties.map((p) => withPhone(p, decryptPersonalData(keys, 'phone', item.phones[p.partyId]!.enc))) }
}

/** A party's phone in clear, to send it a message. */
export function partyPhone(keys: PersonalDataKeys, item: ContractItem, partyId: string): string | undefined {
  const stored = item.phones[partyId]
  return stored ? decryptPersonalData(keys, 'phone', stored.enc) : undefined
}

export async function loadContractItem(metadata: MetadataStore, contractId: string): Promise<ContractItem | undefined> {
  const key = contractKey(contractId)
  const item = await metadata.get(key.pk, key.sk)
  return item?.type === 'contract' ? (item as ContractItem) : undefined
}

function indexEntries(item: ContractFields): NewItem[] {
  const c = item.contract
  const entries: NewItem[] = [{ pk: partition(c.contractId), sk: 'SENDER', type: 'contract-index', gsi1pk: sentPartition(c.senderUserId), gsi1sk: indexSort(c) }]
  const seen = new Set<string>()
  for (const p of c.parties) {
    const hash = item.phones[p.partyId]!.hash
    if (seen.has(hash)) continue
    seen.add(hash)
    entries.push({ pk: partition(c.contractId), sk: `PARTY#${p.partyId}`, type: 'contract-index', gsi1pk: inboxPartition(hash), gsi1sk: indexSort(c) })
  }
  return entries
}

/**
 * Index entries that ride in the draft's own commit (`createContractItem`'s `commit`) when there are
 * at most this many: the sender's and nine party phones. The commit's other writes (the draft and
 * its first evidence records) must then fit in the rest of one transaction's 25.
 */
const INDEX_ENTRIES_WITH_DRAFT = 10

/**
 * A new draft and its index entries (idempotent puts). `CONFLICT` if the id is taken. With `commit`,
 * the draft's write is handed to it to run in one transaction with other writes (its evidence
 * records), and with it the index entries of a contract of up to nine parties; the entries of a
 * larger one follow in as few transactions as the store takes.
 */
export async function createContractItem(metadata: MetadataStore, item: ContractFields, commit?: (operations: TransactOperation[]) => Promise<{ ok: boolean }>): Promise<Result<ContractItem>> {
  const full: NewItem & ContractFields = { ...contractKey(item.contract.contractId), ...item }
  const entries = indexEntries(full)
  const withDraft = commit && entries.length <= INDEX_ENTRIES_WITH_DRAFT
  const draft: TransactOperation = { put: full, condition: { mustNotExist: true } }
  const written = commit ? await commit(withDraft ? [draft, ...entries.map((put) => ({ put }))] : [draft]) : await metadata.put(full, { mustNotExist: true })
  if (!written.ok) return err('CONFLICT', '合同编号已存在')
  if (!withDraft) await writeIndexEntries(metadata, entries.map((put) => ({ put })))
  return ok({ ...full, version: 1 })
}

/**
 * Index entry writes (puts and deletes, without conditions) in as few transactions as the store
 * takes ({@link MAX_TRANSACT_OPERATIONS} each): a contract's entries (the sender's and one per party
 * phone) are one commit, not one each (each commit waits for its own flush of the log).
 */
async function writeIndexEntries(metadata: MetadataStore, operations: TransactOperation[]): Promise<void> {
  for (let i = 0; i < operations.length; i += MAX_TRANSACT_OPERATIONS) {
    const written = await metadata.transact(operations.slice(i, i + MAX_TRANSACT_OPERATIONS))
    // Writes without conditions cannot conflict; a store that says otherwise is broken.
    if (!written.ok) throw new Error(`index entries not written: ${written.message}`)
  }
}

/**
 * 续签: the new draft (`renewedFrom` the original) and the original marked `renewedBy` it, in one
 * transaction — the original on the version read, so two renewals at once make one draft; then
 * the draft's index entries. `CONFLICT` when the original changed meanwhile (the caller reloads).
 */
export async function createRenewalItem(metadata: MetadataStore, original: ContractItem, draft: ContractFields): Promise<Result<ContractItem>> {
  const full: NewItem & ContractFields = { ...contractKey(draft.contract.contractId), ...draft, renewedFrom: original.contract.contractId }
  const marked: ContractItem = { ...original, renewedBy: draft.contract.contractId }
  const written = await metadata.transact([{ put: full, condition: { mustNotExist: true } }, ...updateOperations(marked, { contract: original.contract })])
  if (!written.ok) return err('CONFLICT', '合同已被修改，请刷新后重试')
  await writeIndexEntries(metadata, indexEntries(full).map((put) => ({ put })))
  return ok({ ...full, version: 1 })
}

/**
 * The operations that replace `item` with `next` and record `events` (one timeline item per
 * transition): a conditional write on the item's version. Run them with `metadata.transact` (or in
 * `appendEvidence`'s `with`). When the parties changed (an edited draft), call
 * {@link syncIndexEntries} after the write.
 */
export function updateOperations(item: ContractItem, next: { contract: Contract; phones?: Record<string, PartyPhone>; finalSha256?: string }, events: readonly ContractEvent[] = []): TransactOperation[] {
  const { version, gsi1pk: _pk, gsi1sk: _sk, ...rest } = item
  const seq = item.eventCount + (events.length ? 1 : 0)
  const updated: NewItem = {
    ...rest,
    contract: next.contract,
    phones: next.phones ?? item.phones,
    eventCount: seq,
    ...(next.finalSha256 ? { finalSha256: next.finalSha256 } : {}),
    ...liveIndexKey(next.contract),
  }
  const operations: TransactOperation[] = [{ put: updated, condition: { expectedVersion: version } }]
  if (events.length) operations.push({ put: { ...eventKey(item.contract.contractId, seq), type: 'contract-event', events: [...events] }, condition: { mustNotExist: true } })
  return operations
}

/**
 * After a draft's parties changed: index entries of the new parties put, those of removed ones
 * deleted (an entry whose key stays is replaced by its put), in as few commits as the store takes.
 */
export async function syncIndexEntries(metadata: MetadataStore, before: ContractFields, after: ContractFields): Promise<void> {
  const next = indexEntries(after)
  const kept = new Set(next.map((e) => e.sk))
  const removed = indexEntries(before).filter((e) => !kept.has(e.sk))
  await writeIndexEntries(metadata, [...removed.map((e) => ({ delete: { pk: e.pk, sk: e.sk } })), ...next.map((put) => ({ put }))])
}

/** The contract's timeline events, oldest first. */
export async function listContractEvents(metadata: MetadataStore, contractId: string): Promise<ContractEvent[]> {
  const page = await metadata.query(partition(contractId), { skPrefix: 'EVENT#', limit: 1000 })
  return page.items.flatMap((i) => i.events as ContractEvent[])
}

/**
 * Entries of one index partition (`SENT#…`, `INBOX#…`), newest first, at most `limit`, only those
 * older than the sort key `before` when given; `more`: older entries remain.
 */
export async function listIndexEntries(metadata: MetadataStore, gsi1pk: string, limit: number, before?: string): Promise<{ entries: { contractId: string; sort: string }[]; more: boolean }> {
  const page = await metadata.queryIndex(gsi1pk, { reverse: true, limit, ...(before !== undefined ? { before } : {}) })
  return { entries: page.items.map((i) => ({ contractId: String(i.pk).slice('CONTRACT#'.length), sort: String(i.gsi1sk) })), more: page.next !== undefined }
}

/** Ids of sent contracts whose deadline is before `now`, oldest first, at most `limit`: every shard of the live index read in parallel, merged by deadline. */
export async function listExpiredContracts(metadata: MetadataStore, now: Date, limit: number): Promise<string[]> {
  const partitions = [LIVE_INDEX, ...Array.from({ length: LIVE_SHARDS }, (_, shard) => liveShardPk(shard))]
  const pages = await Promise.all(partitions.map((p) => metadata.queryIndex(p, { limit })))
  const cut = now.toISOString()
  return pages
    .flatMap((page) => page.items)
    .filter((i) => String(i.gsi1sk) < cut)
    .sort((a, b) => (String(a.gsi1sk) < String(b.gsi1sk) ? -1 : String(a.gsi1sk) > String(b.gsi1sk) ? 1 : 0))
    .slice(0, limit)
    .map((i) => String(i.contract && (i.contract as Contract).contractId))
}

/** Whether `userId` archived the contract. */
export async function isArchived(metadata: MetadataStore, userId: string, contractId: string): Promise<boolean> {
  const key = archiveKey(userId, contractId)
  return (await metadata.get(key.pk, key.sk)) !== undefined
}

/** Archive the contract for `userId` (only for them), or take it back out; doing it twice changes nothing. */
export async function setArchived(metadata: MetadataStore, userId: string, contractId: string, archived: boolean, now: Date): Promise<void> {
  const key = archiveKey(userId, contractId)
  if (archived) {
    if (!(await metadata.get(key.pk, key.sk))) await metadata.put({ ...key, type: 'contract-archive', archivedAt: now.toISOString() })
  } else await metadata.delete(key.pk, key.sk)
}

/** The ids of the contracts `userId` archived. */
export async function listArchived(metadata: MetadataStore, userId: string): Promise<Set<string>> {
  const page = await metadata.query(archivePartition(userId), { limit: 1000 })
  return new Set(page.items.map((i) => String(i.sk)))
}

/**
 * The live contract `contractId` and the caller's party `signerId` in it — only when the contract
 * exists, is live (sent, before its deadline), and that party is a signer bound to `userId`.
 * Anything else is the same `CONTRACT_NOT_FOUND` (404): a caller learns nothing about contracts
 * they are not a party of. Intent verification (意愿认证) is open only through it.
 */
export async function findLiveContractSigner(
  deps: { metadata: MetadataStore },
  input: { contractId: string; signerId: string; userId: string; now: Date },
): Promise<Result<{ contract: Contract; party: Party }>> {
  const item = await loadContractItem(deps.metadata, input.contractId)
  const party = item?.contract.parties.find((p) => p.partyId === input.signerId)
  const boundTo = party ? (party.kind === 'person' ? party.userId : party.member.userId) : undefined
  if (!item || !isLive(item.contract, input.now) || !party || party.role !== 'signer' || boundTo !== input.userId) {
    return err('CONTRACT_NOT_FOUND', '合同不存在或您不是该合同的签署方')
  }
  return ok({ contract: item.contract, party })
}

/** A company party's sign raised (or found) the 用印申请 `requestId` of `companyId`: the contract's pointer to it, replaced by a later one. */
export async function recordPartySealRequest(metadata: MetadataStore, contractId: string, partyId: string, request: { companyId: string; requestId: string }): Promise<void> {
  await metadata.put({ ...partySealRequestKey(contractId, partyId), type: 'contract-seal-request', partyId, companyId: request.companyId, requestId: request.requestId })
}

/** The 用印申请 pointers of a contract's company parties. */
export async function listPartySealRequests(metadata: MetadataStore, contractId: string): Promise<Array<{ partyId: string; companyId: string; requestId: string }>> {
  const page = await metadata.query(partition(contractId), { skPrefix: 'SEALREQ#', limit: 50 })
  return page.items.map((i) => ({ partyId: String(i.partyId), companyId: String(i.companyId), requestId: String(i.requestId) }))
}
