import { randomBytes } from 'node:crypto'
import {
  InvalidCursorError,
  type Item,
  type MetadataStore,
  type NewItem,
  type QueryOptions,
  type TransactOperation,
} from '../../cloud-functions/ports/metadata-store'
import type { ManualClock } from '../support/manual-clock'

/** What {@link metadataStoreContract} runs against; made fresh for every test. */
export type MetadataStoreFixture = {
  store: MetadataStore
  /** The clock `store` (and every `openSecond()` store) reads. */
  clock: ManualClock
  /** Another, independent instance over the same data: a second SQLite connection, a second DynamoDB client. */
  openSecond: () => Promise<MetadataStore>
  /** Close `store`, every second instance, and release the test's resources. */
  close: () => Promise<void>
}

/**
 * The {@link MetadataStore} contract. Each test gets a fresh fixture and uses partition keys of
 * its own, so backends may share one database or table across tests.
 *
 * @example
 * metadataStoreContract('SqliteMetadataStore', async () => { ...; return { store, clock, openSecond, close } })
 */
export function metadataStoreContract(name: string, setup: () => Promise<MetadataStoreFixture>): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let fixture: MetadataStoreFixture
    let store: MetadataStore
    let clock: ManualClock
    const run = randomBytes(4).toString('hex')
    let counter = 0
    /** A partition key no other test uses. */
    let pk: (name?: string) => string

    beforeEach(async () => {
      const test = ++counter
      pk = (n = 'p') => `${run}#${test}#${n}`
      fixture = await setup()
      store = fixture.store
      clock = fixture.clock
    })
    afterEach(async () => {
      await fixture?.close()
    })

    const all = async (page: Promise<{ items: Item[] }>) => (await page).items.map((i) => i.sk)

    /** Every page of a query, following `next`. */
    async function pages(q: (options: QueryOptions) => Promise<{ items: Item[]; next?: string }>, options: QueryOptions) {
      const result: string[][] = []
      let cursor: string | undefined
      for (let guard = 0; guard < 50; guard++) {
        const page = await q({ ...options, cursor })
        result.push(page.items.map((i) => i.sk))
        cursor = page.next
        if (!cursor) return result
      }
      throw new Error('too many pages')
    }

    describe('get and put', () => {
      it('answers undefined for a missing item', async () => {
        expect(await store.get(pk(), 'nothing')).toBeUndefined()
      })

      it('stores an item with version 1 and round-trips JSON attributes', async () => {
        // Prepare
        const item: NewItem = {
          pk: pk(),
          sk: 'contract#1',
          title: '房屋租赁合同',
          amount: 1234.5,
          signed: false,
          note: null,
          empty: '',
          signers: [{ name: '张三', order: 1 }, { name: 'Li Si', order: 2 }],
          meta: { nested: { deep: [1, 'two', true] } },
          skipped: undefined,
        }
        // Act
        const result = await store.put(item)
        // Assess
        expect(result).toEqual({ ok: true })
        const { skipped: _skipped, ...stored } = item
        expect(await store.get(item.pk, item.sk)).toStrictEqual({ ...stored, version: 1 })
      })

      it('replaces the whole item on an unconditional put and bumps the version', async () => {
        const key = { pk: pk(), sk: 'a' }
        await store.put({ ...key, x: 1, y: 2 })
        await store.put({ ...key, x: 3 })
        expect(await store.get(key.pk, key.sk)).toStrictEqual({ ...key, x: 3, version: 2 })
        await store.put({ ...key, x: 4 })
        expect((await store.get(key.pk, key.sk))?.version).toBe(3)
      })

      it('manages the version itself: a version in the written item is ignored', async () => {
        const key = { pk: pk(), sk: 'a' }
        await store.put({ ...key, v: 1 })
        const item = (await store.get(key.pk, key.sk)) as Item
        expect(await store.put({ ...item, version: 41, v: 2 }, { expectedVersion: item.version })).toEqual({ ok: true })
        expect(await store.get(key.pk, key.sk)).toStrictEqual({ ...key, v: 2, version: 2 })
      })

      it('creates only once with mustNotExist', async () => {
        const key = { pk: pk(), sk: 'meta' }
        expect(await store.put({ ...key, who: 'first' }, { mustNotExist: true })).toEqual({ ok: true })
        const second = await store.put({ ...key, who: 'second' }, { mustNotExist: true })
        expect(second).toMatchObject({ ok: false, code: 'CONFLICT' })
        expect(second.ok === false && typeof second.message).toBe('string')
        expect(await store.get(key.pk, key.sk)).toStrictEqual({ ...key, who: 'first', version: 1 })
      })

      it('writes with the expected version, and rejects a stale one leaving the item unchanged', async () => {
        const key = { pk: pk(), sk: 'doc' }
        await store.put({ ...key, status: 'DRAFT' }, { mustNotExist: true })
        expect(await store.put({ ...key, status: 'SENT' }, { expectedVersion: 1 })).toEqual({ ok: true })
        // Act: a writer that still holds version 1
        const stale = await store.put({ ...key, status: 'CANCELLED' }, { expectedVersion: 1 })
        // Assess
        expect(stale).toMatchObject({ ok: false, code: 'CONFLICT' })
        expect(await store.get(key.pk, key.sk)).toStrictEqual({ ...key, status: 'SENT', version: 2 })
        expect(await store.put({ ...key, status: 'SIGNED' }, { expectedVersion: 2 })).toEqual({ ok: true })
        expect((await store.get(key.pk, key.sk))?.version).toBe(3)
      })

      it('rejects an expected version for a missing item', async () => {
        expect(await store.put({ pk: pk(), sk: 'x' }, { expectedVersion: 1 })).toMatchObject({ ok: false, code: 'CONFLICT' })
        expect(await store.get(pk(), 'x')).toBeUndefined()
      })

      it('rejects empty keys as a bug', async () => {
        await expect(store.put({ pk: '', sk: 'a' })).rejects.toThrow(TypeError)
        await expect(store.put({ pk: pk(), sk: '' })).rejects.toThrow(TypeError)
        await expect(store.get('', 'a')).rejects.toThrow(TypeError)
        await expect(store.put({ pk: pk(), sk: 'a', gsi1pk: '' })).rejects.toThrow(TypeError)
      })
    })

    describe('concurrency between two instances', () => {
      it('lets exactly one of two concurrent read-modify-writes win', async () => {
        const other = await fixture.openSecond()
        for (let round = 0; round < 5; round++) {
          // Prepare: both instances read the same version
          const key = { pk: pk(), sk: `race-${round}` }
          await store.put({ ...key, counter: 0 }, { mustNotExist: true })
          const [mine, theirs] = await Promise.all([store.get(key.pk, key.sk), other.get(key.pk, key.sk)])
          expect(mine?.version).toBe(1)
          expect(theirs?.version).toBe(1)
          // Act: both write with that version at the same time
          const results = await Promise.all([
            store.put({ ...key, counter: 1, by: 'A' }, { expectedVersion: (mine as Item).version }),
            other.put({ ...key, counter: 1, by: 'B' }, { expectedVersion: (theirs as Item).version }),
          ])
          // Assess
          const winners = results.filter((r) => r.ok)
          expect(winners).toHaveLength(1)
          expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ ok: false, code: 'CONFLICT' })])
          const by = results[0].ok ? 'A' : 'B'
          expect(await other.get(key.pk, key.sk)).toStrictEqual({ ...key, counter: 1, by, version: 2 })
          expect(await store.get(key.pk, key.sk)).toStrictEqual({ ...key, counter: 1, by, version: 2 })
        }
      })

      it('lets exactly one of two concurrent creates win', async () => {
        const other = await fixture.openSecond()
        const key = { pk: pk(), sk: 'once' }
        const results = await Promise.all([
          store.put({ ...key, by: 'A' }, { mustNotExist: true }),
          other.put({ ...key, by: 'B' }, { mustNotExist: true }),
        ])
        expect(results.filter((r) => r.ok)).toHaveLength(1)
        expect((await store.get(key.pk, key.sk))?.version).toBe(1)
      })
    })

    describe('delete', () => {
      it('deletes unconditionally, and deleting a missing item is fine', async () => {
        const key = { pk: pk(), sk: 'a' }
        await store.put(key)
        expect(await store.delete(key.pk, key.sk)).toEqual({ ok: true })
        expect(await store.get(key.pk, key.sk)).toBeUndefined()
        expect(await store.delete(key.pk, key.sk)).toEqual({ ok: true })
      })

      it('deletes only at the expected version', async () => {
        const key = { pk: pk(), sk: 'a' }
        await store.put({ ...key, n: 1 })
        await store.put({ ...key, n: 2 })
        expect(await store.delete(key.pk, key.sk, { expectedVersion: 1 })).toMatchObject({ ok: false, code: 'CONFLICT' })
        expect(await store.get(key.pk, key.sk)).toStrictEqual({ ...key, n: 2, version: 2 })
        expect(await store.delete(key.pk, key.sk, { expectedVersion: 2 })).toEqual({ ok: true })
        expect(await store.get(key.pk, key.sk)).toBeUndefined()
        expect(await store.delete(key.pk, key.sk, { expectedVersion: 2 })).toMatchObject({ ok: false, code: 'CONFLICT' })
      })
    })

    describe('transact', () => {
      async function seed() {
        const p = pk()
        await store.put({ pk: p, sk: 'a', v: 'a1' })
        await store.put({ pk: p, sk: 'b', v: 'b1' })
        await store.put({ pk: p, sk: 'b', v: 'b2' })
        await store.put({ pk: p, sk: 'c', v: 'c1' })
        await store.put({ pk: p, sk: 'd', v: 'd1' })
        return p
      }
      const snapshot = async (p: string) => (await store.query(p)).items

      it('applies puts, deletes and checks together', async () => {
        const p = await seed()
        const result = await store.transact([
          { put: { pk: p, sk: 'a', v: 'a2' }, condition: { expectedVersion: 1 } },
          { put: { pk: p, sk: 'new', v: 'n1' }, condition: { mustNotExist: true } },
          { put: { pk: p, sk: 'd', v: 'd2' } },
          { delete: { pk: p, sk: 'b' }, condition: { expectedVersion: 2 } },
          { check: { pk: p, sk: 'c' }, condition: { expectedVersion: 1 } },
        ])
        expect(result).toEqual({ ok: true })
        expect(await snapshot(p)).toStrictEqual([
          { pk: p, sk: 'a', v: 'a2', version: 2 },
          { pk: p, sk: 'c', v: 'c1', version: 1 },
          { pk: p, sk: 'd', v: 'd2', version: 2 },
          { pk: p, sk: 'new', v: 'n1', version: 1 },
        ])
      })

      it('changes nothing when the last condition fails', async () => {
        const p = await seed()
        const before = await snapshot(p)
        const result = await store.transact([
          { put: { pk: p, sk: 'a', v: 'a2' }, condition: { expectedVersion: 1 } },
          { put: { pk: p, sk: 'new', v: 'n1' }, condition: { mustNotExist: true } },
          { put: { pk: p, sk: 'd', v: 'd2' } },
          { delete: { pk: p, sk: 'b' }, condition: { expectedVersion: 2 } },
          { check: { pk: p, sk: 'c' }, condition: { expectedVersion: 7 } },
        ])
        expect(result).toMatchObject({ ok: false, code: 'CONFLICT' })
        expect(await snapshot(p)).toStrictEqual(before)
        expect(await store.get(p, 'new')).toBeUndefined()
      })

      it('fails on a create of an existing item and on a check of a missing one', async () => {
        const p = await seed()
        expect(
          await store.transact([
            { put: { pk: p, sk: 'x', v: 1 }, condition: { mustNotExist: true } },
            { put: { pk: p, sk: 'a', v: 'again' }, condition: { mustNotExist: true } },
          ]),
        ).toMatchObject({ ok: false, code: 'CONFLICT' })
        expect(
          await store.transact([
            { put: { pk: p, sk: 'x', v: 1 }, condition: { mustNotExist: true } },
            { check: { pk: p, sk: 'missing' }, condition: { expectedVersion: 1 } },
          ]),
        ).toMatchObject({ ok: false, code: 'CONFLICT' })
        expect(await store.get(p, 'x')).toBeUndefined()
      })

      it('rejects more than 25 operations and the same item twice, as bugs', async () => {
        const p = pk()
        const many: TransactOperation[] = Array.from({ length: 26 }, (_, i) => ({ put: { pk: p, sk: `i${i}` } }))
        await expect(store.transact(many)).rejects.toThrow(RangeError)
        await expect(
          store.transact([{ put: { pk: p, sk: 'a' } }, { delete: { pk: p, sk: 'a' } }]),
        ).rejects.toThrow(TypeError)
        expect((await store.query(p)).items).toEqual([])
      })
    })

    describe('query', () => {
      async function seed() {
        const p = pk()
        for (const sk of ['doc#03', 'doc#01', 'evt#02', 'doc#05', 'doc#02', 'evt#01', 'doc#04', 'Doc#00']) {
          await store.put({ pk: p, sk, n: sk })
        }
        await store.put({ pk: pk('other'), sk: 'doc#00' })
        return p
      }

      it('returns a partition ordered by sort key, or reversed', async () => {
        const p = await seed()
        const sorted = ['Doc#00', 'doc#01', 'doc#02', 'doc#03', 'doc#04', 'doc#05', 'evt#01', 'evt#02']
        expect(await all(store.query(p))).toEqual(sorted)
        expect(await all(store.query(p, { reverse: true }))).toEqual([...sorted].reverse())
        expect((await store.query(p)).next).toBeUndefined()
        expect((await store.query(pk('empty'))).items).toEqual([])
      })

      it('filters by sort key prefix', async () => {
        const p = await seed()
        expect(await all(store.query(p, { skPrefix: 'doc#' }))).toEqual(['doc#01', 'doc#02', 'doc#03', 'doc#04', 'doc#05'])
        expect(await all(store.query(p, { skPrefix: 'evt#', reverse: true }))).toEqual(['evt#02', 'evt#01'])
        expect(await all(store.query(p, { skPrefix: 'zzz' }))).toEqual([])
      })

      it('lists below a sort key (before), forwards or backwards', async () => {
        const p = await seed()
        expect(await all(store.query(p, { before: 'doc#03' }))).toEqual(['Doc#00', 'doc#01', 'doc#02'])
        expect(await all(store.query(p, { before: 'evt#01', reverse: true, limit: 2 }))).toEqual(['doc#05', 'doc#04'])
      })

      it('pages with limit and cursor, forwards and backwards, the last page without next', async () => {
        const p = await seed()
        expect(await pages((o) => store.query(p, o), { skPrefix: 'doc#', limit: 2 })).toEqual([
          ['doc#01', 'doc#02'],
          ['doc#03', 'doc#04'],
          ['doc#05'],
        ])
        expect(await pages((o) => store.query(p, o), { skPrefix: 'doc#', limit: 2, reverse: true })).toEqual([
          ['doc#05', 'doc#04'],
          ['doc#03', 'doc#02'],
          ['doc#01'],
        ])
        expect(await pages((o) => store.query(p, o), { limit: 4 })).toEqual([
          ['Doc#00', 'doc#01', 'doc#02', 'doc#03'],
          ['doc#04', 'doc#05', 'evt#01', 'evt#02'],
        ])
        expect(await pages((o) => store.query(p, o), { limit: 100 })).toHaveLength(1)
      })

      it('rejects a cursor it did not make', async () => {
        const p = await seed()
        await expect(store.query(p, { cursor: 'not a cursor!' })).rejects.toThrow(InvalidCursorError)
        await expect(store.query(p, { cursor: Buffer.from('[1,2]').toString('base64url') })).rejects.toThrow(InvalidCursorError)
        await expect(store.query(p, { limit: 0 })).rejects.toThrow(RangeError)
      })
    })

    describe('queryIndex', () => {
      async function seed() {
        const signer = pk('signer')
        const [c1, c2, c3] = [pk('c1'), pk('c2'), pk('c3')]
        await store.put({ pk: c1, sk: 'meta', gsi1pk: signer, gsi1sk: 'PENDING#2024-03-01', n: 1 })
        await store.put({ pk: c2, sk: 'meta', gsi1pk: signer, gsi1sk: 'PENDING#2024-01-15', n: 2 })
        await store.put({ pk: c3, sk: 'meta', gsi1pk: signer, gsi1sk: 'SIGNED#2023-12-31', n: 3 })
        await store.put({ pk: c1, sk: 'party#1', gsi1pk: signer, gsi1sk: 'PENDING#2024-02-01', n: 4 })
        await store.put({ pk: c2, sk: 'party#9', gsi1pk: signer, gsi1sk: 'PENDING#2024-04-01', n: 5 })
        await store.put({ pk: c3, sk: 'not-indexed', n: 6 })
        await store.put({ pk: c3, sk: 'other-signer', gsi1pk: pk('signer2'), gsi1sk: 'PENDING#2024-01-01', n: 7 })
        return signer
      }
      const ns = async (page: Promise<{ items: Item[] }>) => (await page).items.map((i) => i.n)

      it('returns the items of one index key ordered by gsi1sk, or reversed', async () => {
        const signer = await seed()
        expect(await ns(store.queryIndex(signer))).toEqual([2, 4, 1, 5, 3])
        expect(await ns(store.queryIndex(signer, { reverse: true }))).toEqual([3, 5, 1, 4, 2])
        const first = (await store.queryIndex(signer)).items[0]
        expect(first).toStrictEqual({ pk: pk('c2'), sk: 'meta', gsi1pk: signer, gsi1sk: 'PENDING#2024-01-15', n: 2, version: 1 })
      })

      it('filters by gsi1sk prefix and pages with limit and cursor', async () => {
        const signer = await seed()
        expect(await ns(store.queryIndex(signer, { skPrefix: 'PENDING#' }))).toEqual([2, 4, 1, 5])
        expect(await ns(store.queryIndex(signer, { skPrefix: 'SIGNED#' }))).toEqual([3])
        const forward = await pages((o) => store.queryIndex(signer, o), { skPrefix: 'PENDING#', limit: 3 })
        expect(forward.map((page) => page.length)).toEqual([3, 1])
        const backward = await pages((o) => store.queryIndex(signer, o), { limit: 2, reverse: true })
        expect(backward.map((page) => page.length)).toEqual([2, 2, 1])
        const n = async (o: QueryOptions) => {
          const items: unknown[] = []
          let cursor: string | undefined
          do {
            const page = await store.queryIndex(signer, { ...o, cursor })
            items.push(...page.items.map((i) => i.n))
            cursor = page.next
          } while (cursor)
          return items
        }
        expect(await n({ limit: 2 })).toEqual([2, 4, 1, 5, 3])
        expect(await n({ limit: 1, reverse: true })).toEqual([3, 5, 1, 4, 2])
      })

      it('lists below a sort key (before), newest first, with limit; not combined with a prefix', async () => {
        const signer = await seed()
        expect(await ns(store.queryIndex(signer, { reverse: true, before: 'PENDING#2024-03-01' }))).toEqual([4, 2])
        expect(await ns(store.queryIndex(signer, { reverse: true, before: 'SIGNED#2023-12-31', limit: 2 }))).toEqual([5, 1])
        expect(await ns(store.queryIndex(signer, { before: 'PENDING#2024-02-01' }))).toEqual([2])
        expect(await ns(store.queryIndex(signer, { before: 'A' }))).toEqual([])
        await expect(store.queryIndex(signer, { before: 'X', skPrefix: 'PENDING#' })).rejects.toThrow(TypeError)
      })

      it('follows updates of the index key', async () => {
        const signer = await seed()
        const item = (await store.get(pk('c1'), 'meta')) as Item
        await store.put({ ...item, gsi1sk: 'SIGNED#2024-05-01' }, { expectedVersion: item.version })
        expect(await ns(store.queryIndex(signer, { skPrefix: 'PENDING#' }))).toEqual([2, 4, 5])
        expect(await ns(store.queryIndex(signer, { skPrefix: 'SIGNED#' }))).toEqual([3, 1])
        await store.delete(pk('c2'), 'meta')
        expect(await ns(store.queryIndex(signer))).toEqual([4, 5, 3, 1])
      })
    })

    describe('TTL', () => {
      it('hides an item whose expiresAt has passed from get, query and queryIndex', async () => {
        // Prepare
        const p = pk()
        const g = pk('index')
        const now = clock.nowSeconds()
        await store.put({ pk: p, sk: 'a-live', gsi1pk: g, gsi1sk: '1', expiresAt: now + 60 })
        await store.put({ pk: p, sk: 'b-expired', gsi1pk: g, gsi1sk: '2', expiresAt: now - 10 })
        await store.put({ pk: p, sk: 'c-forever', gsi1pk: g, gsi1sk: '3' })
        await store.put({ pk: p, sk: 'd-expired', gsi1pk: g, gsi1sk: '4', expiresAt: now - 1 })
        await store.put({ pk: p, sk: 'e-live', gsi1pk: g, gsi1sk: '5', expiresAt: now + 3600 })
        // Assess
        expect(await store.get(p, 'b-expired')).toBeUndefined()
        expect(await store.get(p, 'a-live')).toMatchObject({ expiresAt: now + 60 })
        expect(await all(store.query(p))).toEqual(['a-live', 'c-forever', 'e-live'])
        expect(await all(store.queryIndex(g))).toEqual(['a-live', 'c-forever', 'e-live'])
        // Pages stay full although expired items sit between live ones
        expect(await pages((o) => store.query(p, o), { limit: 2 })).toEqual([['a-live', 'c-forever'], ['e-live']])
        expect(await pages((o) => store.queryIndex(g, o), { limit: 2 })).toEqual([['a-live', 'c-forever'], ['e-live']])
        // Act: time passes
        clock.advanceSeconds(61)
        expect(await store.get(p, 'a-live')).toBeUndefined()
        expect(await all(store.query(p))).toEqual(['c-forever', 'e-live'])
        expect(await all(store.queryIndex(g))).toEqual(['c-forever', 'e-live'])
      })

      it('treats an expired item as absent for conditions', async () => {
        const key = { pk: pk(), sk: 'session' }
        await store.put({ ...key, expiresAt: clock.nowSeconds() + 30, n: 1 }, { mustNotExist: true })
        expect(await store.put({ ...key, n: 2 }, { mustNotExist: true })).toMatchObject({ ok: false, code: 'CONFLICT' })
        clock.advanceSeconds(31)
        expect(await store.put({ ...key, n: 3 }, { expectedVersion: 1 })).toMatchObject({ ok: false, code: 'CONFLICT' })
        expect(await store.put({ ...key, n: 4 }, { mustNotExist: true })).toEqual({ ok: true })
        expect(await store.get(key.pk, key.sk)).toStrictEqual({ ...key, n: 4, version: 1 })
      })
    })

    it('describes its backend', async () => {
      const d = await store.describe()
      expect(d.kind.length).toBeGreaterThan(0)
      expect(d.version.length).toBeGreaterThan(0)
    })
  })
}
