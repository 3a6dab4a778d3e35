/**
 * The live-contracts index (issue 18, "no hot partition"): a sent contract's item is in one of
 * LIVE_SHARDS index partitions chosen by a hash of its id, so the writes of every contract change
 * are spread; the expiry tick reads every shard (and the unsharded partition that contracts sent
 * before the sharding stay in) and still takes the expired contracts oldest deadline first.
 * Against the real SQLite metadata store.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import { LIVE_INDEX, LIVE_SHARDS, listExpiredContracts, liveShardOf, loadContractItem, updateOperations } from '../../cloud-functions/use-cases/contracts/records'
import { ManualClock } from '../support/manual-clock'
import { seedContract } from '../support/seed-contract'

const start = new Date('2026-03-01T02:00:00Z')
const day = 86400_000
let dir: string
let metadata: SqliteMetadataStore

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-live-shards-'))
  metadata = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock: new ManualClock(start) })
})
afterAll(async () => {
  await metadata?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** A sent contract whose deadline is `start + deadlineDays` (seedContract sets created + 7 days), written as a transition writes it. */
async function sent(contractId: string, deadlineDays: number): Promise<void> {
  await seedContract({ metadata }, { contractId, status: 'sent', parties: [{ signerId: 'A', role: 'signer' }], createdBy: 'U1', now: new Date(start.getTime() + (deadlineDays - 7) * day) })
  const item = (await loadContractItem(metadata, contractId))!
  expect((await metadata.transact(updateOperations(item, { contract: item.contract }))).ok).toBe(true)
}

it('spreads sent contracts over the shards and lists the expired ones from all of them, oldest deadline first', async () => {
  const ids = Array.from({ length: 40 }, (_, i) => `CT-SHARD-${String(i).padStart(2, '0')}`)
  // Deadlines 1..40 days after start, in an order unrelated to the shards.
  for (const [i, id] of ids.entries()) await sent(id, 1 + ((i * 7) % 40))
  const deadlineOf = (id: string) => 1 + ((ids.indexOf(id) * 7) % 40)

  const perShard = await Promise.all(Array.from({ length: LIVE_SHARDS }, (_, s) => metadata.queryIndex(`${LIVE_INDEX}#${s}`, { limit: 100 })))
  const counts = perShard.map((p) => p.items.length)
  expect(counts.reduce((a, b) => a + b, 0)).toBe(40)
  expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(LIVE_SHARDS - 1)
  expect(Math.max(...counts)).toBeLessThan(20)
  for (const [s, page] of perShard.entries()) for (const item of page.items) expect(liveShardOf(String((item.contract as { contractId: string }).contractId))).toBe(s)
  expect((await metadata.queryIndex(LIVE_INDEX, { limit: 100 })).items).toEqual([])

  // 20.5 days in: the 20 contracts with deadlines 1..20 have expired, listed by deadline.
  const now = new Date(start.getTime() + 20.5 * day)
  const expired = await listExpiredContracts(metadata, now, 100)
  expect(expired.map(deadlineOf)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  // A tick's limit takes the oldest deadlines across all shards.
  expect((await listExpiredContracts(metadata, now, 5)).map(deadlineOf)).toEqual([1, 2, 3, 4, 5])
})

it('still finds a contract indexed in the unsharded partition (sent before the sharding), in deadline order with the others', async () => {
  await sent('CT-LEGACY-1', 0.5)
  const item = (await loadContractItem(metadata, 'CT-LEGACY-1'))!
  const { version, ...rest } = item
  // As the previous release wrote it: the whole item under CONTRACTS#LIVE.
  expect((await metadata.put({ ...rest, gsi1pk: LIVE_INDEX, gsi1sk: `${item.contract.deadline}#CT-LEGACY-1` }, { expectedVersion: version })).ok).toBe(true)
  expect((await metadata.queryIndex(LIVE_INDEX, { limit: 10 })).items).toHaveLength(1)
  const expired = await listExpiredContracts(metadata, new Date(start.getTime() + 2.5 * day), 3)
  expect(expired[0]).toBe('CT-LEGACY-1')
  expect(expired).toHaveLength(3)
  // Its next change moves it to its shard.
  const reloaded = (await loadContractItem(metadata, 'CT-LEGACY-1'))!
  expect((await metadata.transact(updateOperations(reloaded, { contract: reloaded.contract }))).ok).toBe(true)
  expect((await metadata.queryIndex(LIVE_INDEX, { limit: 10 })).items).toEqual([])
  expect((await metadata.queryIndex(`${LIVE_INDEX}#${liveShardOf('CT-LEGACY-1')}`, { limit: 100 })).items.map((i) => i.gsi1sk)).toContain(`${reloaded.contract.deadline}#CT-LEGACY-1`)
})
