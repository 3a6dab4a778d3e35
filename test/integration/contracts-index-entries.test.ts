/**
 * A new contract's index entries (the sender's "sent" entry and one "inbox" entry per party phone)
 * are written in transactions of at most 25 operations (the store's limit): a contract with more
 * parties than one transaction takes still gets every entry, on the real SQLite store. When the
 * draft is written through a commit of its own (its evidence records), a contract of up to nine
 * parties has its entries in that same commit.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import type { Contract } from '../../cloud-functions/core/contracts/contract'
import { derivePersonalDataKeys } from '../../cloud-functions/core/identity/personal-data'
import { MAX_TRANSACT_OPERATIONS, type TransactOperation } from '../../cloud-functions/ports/metadata-store'
import { contractKey, createContractItem, inboxPartition, sealPhones, sentPartition, syncIndexEntries } from '../../cloud-functions/use-cases/contracts/records'
import { seedContract } from '../support/seed-contract'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-index-'))
const metadata = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock: { now: () => new Date() } })

afterAll(async () => {
  await metadata.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

it.each([1, 24, 30, 50])('writes the sender entry and every one of %i parties\u2019 inbox entries', async (count) => {
  const contractId = `CT-INDEX-${count}`
  // A spy on the real store's transact (it still writes), to see how the entries were committed.
  const spy = jest.spyOn(metadata, 'transact')
  await seedContract({ metadata }, { contractId, status: 'sent', createdBy: 'U-SENDER', parties: Array.from({ length: count }, (_, i) => ({ signerId: `P${i}`, role: 'signer' as const })) })
  const transacts = spy.mock.calls.map(([operations]) => operations.length)
  spy.mockRestore()

  const partition = contractKey(contractId).pk
  const entries = (await metadata.query(partition, { limit: 200 })).items.filter((i) => i.type === 'contract-index')
  expect(entries.map((e) => e.sk).sort()).toEqual(['SENDER', ...Array.from({ length: count }, (_, i) => `PARTY#P${i}`)].sort())
  // Each party's entry is in the inbox index of its own phone, the sender's in the sender's sent box.
  expect(new Set(entries.filter((e) => e.sk !== 'SENDER').map((e) => e.gsi1pk)).size).toBe(count)
  expect((await metadata.queryIndex(sentPartition('U-SENDER'), { limit: 200 })).items.map((i) => i.pk)).toContain(partition)
  // One commit per 25 entries, none larger than the store takes.
  expect(transacts).toEqual(Array.from({ length: Math.ceil((count + 1) / MAX_TRANSACT_OPERATIONS) }, (_, i) => Math.min(MAX_TRANSACT_OPERATIONS, count + 1 - i * MAX_TRANSACT_OPERATIONS)))
})

const keys = derivePersonalDataKeys(randomBytes(32))

/**
 * A draft of `count` parties (or of the given party ids and phones), phones sealed, as
 * `createContract` hands it to `createContractItem`.
 */
function contractFields(contractId: string, count: number, given?: Array<{ partyId: string; phone: string }>) {
  const now = new Date()
  const parties = (given ?? Array.from({ length: count }, (_, i) => ({ partyId: `P${i}`, phone: `1390001${String(1000 + i)}` }))).map((p, i) => ({ ...p, role: 'signer' as const, kind: 'person' as const, name: `签署人${i + 1}` }))
  const contract: Contract = {
    contractId,
    title: '测试合同',
    senderUserId: 'U-COMMIT',
    parties,
    order: [parties.map((p) => p.partyId)],
    fields: [],
    deadline: new Date(now.getTime() + 7 * 86400_000).toISOString(),
    createdAt: now.toISOString(),
    status: 'draft',
    document: { originalSha256: '0'.repeat(64) },
    signers: {},
  }
  return { type: 'contract' as const, ...sealPhones(keys, contract), senderName: '发起人', eventCount: 0 }
}

it.each([
  [2, [1 + 3], []],
  [9, [1 + 10], []],
  [10, [1], [11]],
  [30, [1], [25, 6]],
])('with a commit of the draft’s own, %i parties: draft commit of %j operations, then index commits %j', async (count, commitSizes, after) => {
  const contractId = `CT-COMMIT-${count}`
  const commits: number[] = []
  const transact = metadata.transact.bind(metadata)
  const spy = jest.spyOn(metadata, 'transact')
  const created = await createContractItem(metadata, contractFields(contractId, count), (operations: TransactOperation[]) => {
    commits.push(operations.length)
    return transact(operations)
  })
  const transacts = spy.mock.calls.map(([operations]) => operations.length)
  spy.mockRestore()
  expect(created.ok).toBe(true)
  expect(commits).toEqual(commitSizes)
  expect(transacts).toEqual(after)
  const entries = (await metadata.query(contractKey(contractId).pk, { limit: 200 })).items.filter((i) => i.type === 'contract-index')
  expect(entries).toHaveLength(count + 1)
  expect((await metadata.get(contractKey(contractId).pk, contractKey(contractId).sk))?.type).toBe('contract')
})

it('writes no index entry when the draft’s commit fails (the id is taken)', async () => {
  const contractId = 'CT-COMMIT-TAKEN'
  const fields = contractFields(contractId, 2)
  expect((await createContractItem(metadata, fields, (operations) => metadata.transact(operations))).ok).toBe(true)
  for (const e of (await metadata.query(contractKey(contractId).pk, { limit: 200 })).items) if (e.type === 'contract-index') await metadata.delete(e.pk, e.sk)
  const again = await createContractItem(metadata, fields, (operations) => metadata.transact(operations))
  expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  expect((await metadata.query(contractKey(contractId).pk, { limit: 200 })).items.filter((i) => i.type === 'contract-index')).toEqual([])
})

it('re-indexes an edited draft in one commit: a removed party’s entry deleted, a changed phone’s entry moved, a new party added', async () => {
  const contractId = 'CT-SYNC'
  const before = contractFields(contractId, 0, [
    { partyId: 'A', phone: '13900030001' },
    { partyId: 'B', phone: '13900030002' },
    { partyId: 'C', phone: '13900030003' },
  ])
  expect((await createContractItem(metadata, before)).ok).toBe(true)
  const after = contractFields(contractId, 0, [
    { partyId: 'A', phone: '13900030001' },
    { partyId: 'B', phone: '13900030009' },
    { partyId: 'D', phone: '13900030004' },
  ])
  const spy = jest.spyOn(metadata, 'transact')
  await syncIndexEntries(metadata, before, after)
  const transacts = spy.mock.calls.map(([operations]) => operations.length)
  spy.mockRestore()
  // C deleted; SENDER, A, B (replaced) and D put.
  expect(transacts).toEqual([5])
  const entries = (await metadata.query(contractKey(contractId).pk, { limit: 200 })).items.filter((i) => i.type === 'contract-index')
  expect(entries.map((e) => e.sk).sort()).toEqual(['PARTY#A', 'PARTY#B', 'PARTY#D', 'SENDER'])
  const inbox = async (partyId: string, f: typeof before) => (await metadata.queryIndex(inboxPartition(f.phones[partyId]!.hash), { limit: 10 })).items.map((i) => i.pk)
  expect(await inbox('C', before)).toEqual([])
  expect(await inbox('B', before)).toEqual([])
  expect(await inbox('B', after)).toEqual([contractKey(contractId).pk])
  expect(await inbox('D', after)).toEqual([contractKey(contractId).pk])
  expect(await inbox('A', after)).toEqual([contractKey(contractId).pk])
})
