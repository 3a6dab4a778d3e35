/**
 * The due-reminders index (issue 18, "no hot partition"): each party's reminders go to one of
 * REMINDER_SHARDS index partitions chosen by a hash of contract and party, and the tick's reader
 * takes the due ones from every shard (and from the unsharded partition that reminders scheduled
 * before the sharding stay in), oldest first, at most `limit`. Against the real SQLite store.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import type { NotificationsDeps } from '../../cloud-functions/use-cases/notifications/deps'
import { findDueReminders } from '../../cloud-functions/use-cases/notifications/find-due-reminders'
import { REMINDER_INDEX, REMINDER_SHARDS, reminderIndexPartitions, reminderShardOf } from '../../cloud-functions/use-cases/notifications/records'
import { scheduleReminders } from '../../cloud-functions/use-cases/notifications/schedule-reminders'
import { ManualClock } from '../support/manual-clock'

/** 10:00 in Shanghai: no quiet-hour deferral for reminders whole days later. */
const start = new Date('2026-03-02T02:00:00Z')
const day = 86400_000
let dir: string
let metadata: SqliteMetadataStore
const clock = new ManualClock(start)
/** findDueReminders reads only the clock and the metadata store. */
const deps = () => ({ metadata, clock }) as unknown as NotificationsDeps

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-reminder-shards-'))
  metadata = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock })
})
afterAll(async () => {
  await metadata?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

it('spreads the parties\' reminders over the shards; the due ones come back from all of them, oldest first', async () => {
  // 24 parties notified one minute apart, each with reminders 1 and 3 days later.
  for (let i = 0; i < 24; i++) {
    const notifiedAt = new Date(start.getTime() + i * 60_000).toISOString()
    await scheduleReminders(metadata, { contractId: `CT-R-${i}`, partyId: 'A', notifiedAt, deadline: new Date(start.getTime() + 10 * day).toISOString(), rules: { afterDays: [1, 3] } })
  }
  const perShard = await Promise.all(Array.from({ length: REMINDER_SHARDS }, (_, n) => metadata.queryIndex(`${REMINDER_INDEX}#${n}`, { limit: 100 })))
  expect(perShard.map((p) => p.items.length).reduce((a, b) => a + b, 0)).toBe(48)
  expect(perShard.filter((p) => p.items.length > 0).length).toBeGreaterThanOrEqual(REMINDER_SHARDS - 1)
  for (const [n, page] of perShard.entries()) for (const item of page.items) expect(reminderShardOf(String(item.contractId), String(item.partyId))).toBe(n)
  expect((await metadata.queryIndex(REMINDER_INDEX, { limit: 100 })).items).toEqual([])

  // 1 day and 10 minutes in: the first 11 parties' day-1 reminders are due (minutes 0..10), not the 3-day ones.
  clock.advanceSeconds(day / 1000 + 10 * 60)
  const due = await findDueReminders(deps(), 100)
  expect(due.map((i) => [i.contractId, i.slot])).toEqual(Array.from({ length: 11 }, (_, i) => [`CT-R-${i}`, 'd1']))
  expect((await findDueReminders(deps(), 4)).map((i) => i.contractId)).toEqual(['CT-R-0', 'CT-R-1', 'CT-R-2', 'CT-R-3'])
})

it('still finds a reminder in the unsharded partition (scheduled before the sharding), in due order with the others', async () => {
  const [first] = await findDueReminders(deps(), 1)
  const { version, ...rest } = first!
  // As the previous release wrote it: the same reminder under REMINDER#DUE, due a minute earlier than all others.
  const legacySort = `${new Date(start.getTime() + day - 60_000).toISOString()}#CT-LEGACY#A#d1`
  expect((await metadata.put({ ...rest, contractId: 'CT-LEGACY', gsi1pk: REMINDER_INDEX, gsi1sk: legacySort }, { expectedVersion: version })).ok).toBe(true)
  expect(reminderIndexPartitions()).toContain(REMINDER_INDEX)
  const due = await findDueReminders(deps(), 3)
  expect(due.map((i) => i.contractId)).toEqual(['CT-LEGACY', 'CT-R-1', 'CT-R-2'])
})
