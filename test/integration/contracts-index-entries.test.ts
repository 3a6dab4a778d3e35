/**
 * A new contract's index entries (the sender's "sent" entry and one "inbox" entry per party phone)
 * are written in transactions of at most 25 operations (the store's limit): a contract with more
 * parties than one transaction takes still gets every entry, on the real SQLite store.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import { MAX_TRANSACT_OPERATIONS } from '../../cloud-functions/ports/metadata-store'
import { contractKey, sentPartition } from '../../cloud-functions/use-cases/contracts/records'
import { seedContract } from '../support/seed-contract'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-index-'))
const metadata = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock: { now: () => new Date() } })

afterAll(async () => {
  await metadata.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

it.each([1, 24, 30, 50])('writes the sender entry and every one of %i parties\u2019 inbox entries', async (count) => {
  const contractId = `CT-INDEX-${count}`
  const transacts: number[] = []
  const transact = metadata.transact.bind(metadata)
  const counting = Object.assign(Object.create(metadata) as SqliteMetadataStore, {
    transact: (operations: Parameters<SqliteMetadataStore['transact']>[0]) => {
      transacts.push(operations.length)
      return transact(operations)
    },
  })
  await seedContract({ metadata: counting }, { contractId, status: 'sent', createdBy: 'U-SENDER', parties: Array.from({ length: count }, (_, i) => ({ signerId: `P${i}`, role: 'signer' as const })) })

  const partition = contractKey(contractId).pk
  const entries = (await metadata.query(partition, { limit: 200 })).items.filter((i) => i.type === 'contract-index')
  expect(entries.map((e) => e.sk).sort()).toEqual(['SENDER', ...Array.from({ length: count }, (_, i) => `PARTY#P${i}`)].sort())
  // Each party's entry is in the inbox index of its own phone, the sender's in the sender's sent box.
  expect(new Set(entries.filter((e) => e.sk !== 'SENDER').map((e) => e.gsi1pk)).size).toBe(count)
  expect((await metadata.queryIndex(sentPartition('U-SENDER'), { limit: 200 })).items.map((i) => i.pk)).toContain(partition)
  // One commit per 25 entries, none larger than the store takes.
  expect(transacts).toEqual(Array.from({ length: Math.ceil((count + 1) / MAX_TRANSACT_OPERATIONS) }, (_, i) => Math.min(MAX_TRANSACT_OPERATIONS, count + 1 - i * MAX_TRANSACT_OPERATIONS)))
})
