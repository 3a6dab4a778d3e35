import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import type { EvidenceEvent, IntentConfirmedData } from '../../cloud-functions/core/evidence/evidence-event'
import type { MetadataStore, WriteResult } from '../../cloud-functions/ports/metadata-store'
import { appendEvidence, EVIDENCE_APPEND_ATTEMPTS } from '../../cloud-functions/use-cases/evidence/append-evidence'
import { evidenceKey } from '../../cloud-functions/use-cases/evidence/records'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { ManualClock } from '../support/manual-clock'

const START = new Date('2026-03-01T04:00:00Z')
const hex = (s: string) => createHash('sha256').update(s).digest('hex')
const intent = (contractId: string, n: number): EvidenceEvent => ({
  type: 'INTENT_CONFIRMED',
  data: { contractId, signerId: `S-${n}`, proofId: `P-${n}`, documentHash: hex('document'), method: 'sms', proofHash: hex(`proof ${n}`) },
})

/** `store` with some methods replaced (the rest delegate to it). */
const overriding = (store: MetadataStore, overrides: Partial<MetadataStore>): MetadataStore =>
  new Proxy(store, { get: (target, p, receiver) => (p in overrides ? overrides[p as keyof MetadataStore] : Reflect.get(target, p, receiver)) })

/** Resolves once `n` callers have arrived: makes a race happen on purpose. */
const barrier = (n: number) => {
  let arrived = 0
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return () => {
    if (++arrived >= n) open()
    return opened
  }
}

describe('evidence chain on the SQLite metadata store (append with conditional writes, verify)', () => {
  let dir: string
  let clock: ManualClock
  let stores: SqliteMetadataStore[]
  /** A new connection to the same database file (as a second Lambda or process would have). */
  const connect = () => {
    const store = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock })
    stores.push(store)
    return store
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-evidence-'))
    clock = new ManualClock(START)
    stores = []
  })
  afterEach(async () => {
    for (const s of stores) await s.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('two concurrent appends to one contract land as seq 1 and 2; exactly one retries; the chain verifies', async () => {
    // Prepare: two connections; each reads the (empty) head, then waits until the other has read it too.
    const bothRead = barrier(2)
    const racing = [connect(), connect()].map((store) => {
      let first = true
      return overriding(store, {
        query: async (pk, options) => {
          const page = await store.query(pk, options)
          if (first) {
            first = false
            await bothRead()
          }
          return page
        },
      })
    })

    // Act
    const [a, b] = await Promise.all([
      appendEvidence({ metadata: racing[0] }, { event: intent('C-1', 1), at: clock.now() }),
      appendEvidence({ metadata: racing[1] }, { event: intent('C-1', 2), at: clock.now() }),
    ])

    // Assess
    if (!a.ok || !b.ok) throw new Error(JSON.stringify([a, b]))
    expect([a.value.record.seq, b.value.record.seq].sort()).toEqual([1, 2])
    expect([a.value.attempts, b.value.attempts].sort()).toEqual([1, 2])
    const [first, second] = [a.value.record, b.value.record].sort((x, y) => x.seq - y.seq)
    expect(second.prevHash).toBe(first.hash)
    const chain = await verifyEvidenceChain({ metadata: connect() }, { contractId: 'C-1' })
    expect(chain).toEqual({ ok: true, value: { length: 2, head: second.hash, records: [first, second] } })
    expect(chain.ok && chain.value.records.map((r) => (r.data as IntentConfirmedData).signerId).sort()).toEqual(['S-1', 'S-2'])
  })

  it('appends in order, chains of other contracts apart; an empty chain verifies', async () => {
    // Prepare
    const metadata = connect()

    // Act
    for (let n = 1; n <= 3; n++) {
      clock.advanceSeconds(1)
      expect(await appendEvidence({ metadata }, { event: intent('C-1', n), at: clock.now() })).toMatchObject({ ok: true, value: { attempts: 1, record: { seq: n } } })
    }
    await appendEvidence({ metadata }, { event: intent('C-2', 1), at: clock.now() })

    // Assess
    expect(await verifyEvidenceChain({ metadata }, { contractId: 'C-1' })).toMatchObject({ ok: true, value: { length: 3 } })
    expect(await verifyEvidenceChain({ metadata }, { contractId: 'C-2' })).toMatchObject({ ok: true, value: { length: 1 } })
    expect(await verifyEvidenceChain({ metadata }, { contractId: 'C-3' })).toMatchObject({ ok: true, value: { length: 0, records: [] } })
    expect((await metadata.get(evidenceKey('C-1', 2).pk, evidenceKey('C-1', 2).sk))?.sk).toBe('SEQ#0000000002')
  })

  it.each([
    ['an edited field written back through the store', 'hash-mismatch', 2, async (m: MetadataStore) => {
      const key = evidenceKey('C-1', 2)
      const { version, ...item } = (await m.get(key.pk, key.sk))!
      const record = item.record as { data: object }
      await m.put({ ...item, record: { ...record, data: { ...record.data, documentHash: hex('another document') } } }, { expectedVersion: version })
    }],
    ['a deleted record', 'seq-mismatch', 2, async (m: MetadataStore) => {
      await m.delete(evidenceKey('C-1', 2).pk, evidenceKey('C-1', 2).sk)
    }],
    ['a record moved to another key', 'seq-mismatch', 3, async (m: MetadataStore) => {
      const from = evidenceKey('C-1', 3)
      const { version: _v, ...item } = (await m.get(from.pk, from.sk))!
      await m.delete(from.pk, from.sk)
      await m.put({ ...item, ...evidenceKey('C-1', 4) })
    }],
  ])('verification fails after %s (%s at seq %s)', async (_name, reason, seq, tamper) => {
    // Prepare
    const metadata = connect()
    for (let n = 1; n <= 3; n++) await appendEvidence({ metadata }, { event: intent('C-1', n), at: clock.now() })
    expect((await verifyEvidenceChain({ metadata }, { contractId: 'C-1' })).ok).toBe(true)

    // Act
    await tamper(metadata)

    // Assess
    expect(await verifyEvidenceChain({ metadata }, { contractId: 'C-1' })).toEqual({
      ok: false,
      error: { code: 'EVIDENCE_CHAIN_BROKEN', message: expect.any(String), details: { seq, reason } },
    })
  })

  it('remembers the head it wrote: the next append on the same store reads nothing first', async () => {
    // Prepare
    const store = connect()
    let queries = 0
    const counting = overriding(store, { query: async (pk, options) => (queries++, store.query(pk, options)) })

    // Act
    for (let n = 1; n <= 3; n++) await appendEvidence({ metadata: counting }, { event: intent('C-1', n), at: clock.now() })

    // Assess
    expect(queries).toBe(1)
    expect(await verifyEvidenceChain({ metadata: store }, { contractId: 'C-1' })).toMatchObject({ ok: true, value: { length: 3 } })
  })

  it('a remembered head another process has moved since is re-read, and that try is not counted as a lost race', async () => {
    // Prepare: this process appends (and remembers seq 1); another connection appends seq 2 and 3.
    const here = connect()
    const there = connect()
    await appendEvidence({ metadata: here }, { event: intent('C-1', 1), at: clock.now() })
    await appendEvidence({ metadata: there }, { event: intent('C-1', 2), at: clock.now() })
    await appendEvidence({ metadata: there }, { event: intent('C-1', 3), at: clock.now() })

    // Act
    const r = await appendEvidence({ metadata: here }, { event: intent('C-1', 4), at: clock.now() })

    // Assess
    expect(r).toMatchObject({ ok: true, value: { attempts: 1, record: { seq: 4 } } })
    const chain = await verifyEvidenceChain({ metadata: connect() }, { contractId: 'C-1' })
    expect(chain).toMatchObject({ ok: true, value: { length: 4 } })
    expect(chain.ok && chain.value.records.map((x) => (x.data as IntentConfirmedData).signerId)).toEqual(['S-1', 'S-2', 'S-3', 'S-4'])
  })

  it(`gives up with CONFLICT after ${EVIDENCE_APPEND_ATTEMPTS} lost races`, async () => {
    // Prepare: every evidence write loses (another writer always took the seq first).
    const store = connect()
    let writes = 0
    const losing = overriding(store, {
      put: async (): Promise<WriteResult> => {
        writes++
        return { ok: false, code: 'CONFLICT', message: 'taken' }
      },
    })

    // Act
    const r = await appendEvidence({ metadata: losing }, { event: intent('C-1', 1), at: clock.now() })

    // Assess
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'contention', attempts: EVIDENCE_APPEND_ATTEMPTS } } })
    expect(writes).toBe(EVIDENCE_APPEND_ATTEMPTS)
  })

  it('writes the `with` operations in the same transaction: their conflict records nothing and is not retried', async () => {
    // Prepare
    const metadata = connect()
    await metadata.put({ pk: 'THING#1', sk: 'A', n: 1 })
    let transactions = 0
    const counting = overriding(metadata, { transact: async (ops) => (transactions++, metadata.transact(ops)) })
    const withThing = (sk: string) => [{ put: { pk: 'THING#1', sk, n: 2 }, condition: { mustNotExist: true as const } }]

    // Act
    const clash = await appendEvidence({ metadata: counting }, { event: intent('C-1', 1), at: clock.now(), with: withThing('A') })
    const fine = await appendEvidence({ metadata: counting }, { event: intent('C-1', 1), at: clock.now(), with: withThing('B') })

    // Assess
    expect(clash).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'with-conflict' } } })
    expect(fine).toMatchObject({ ok: true, value: { record: { seq: 1 } } })
    expect(transactions).toBe(2)
    expect(await metadata.get('THING#1', 'B')).toMatchObject({ n: 2 })
    expect(await verifyEvidenceChain({ metadata }, { contractId: 'C-1' })).toMatchObject({ ok: true, value: { length: 1 } })
  })
})
