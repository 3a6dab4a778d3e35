import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteMetadataStore } from '../../../cloud-functions/adapters/local/sqlite-metadata-store'
import type { Session } from '../../../cloud-functions/core/auth/session-token'
import type { MetadataStore } from '../../../cloud-functions/ports/metadata-store'
import { isSessionRevoked } from '../../../cloud-functions/use-cases/auth/is-session-revoked'
import { logOut, logOutEverywhere } from '../../../cloud-functions/use-cases/auth/log-out'
import { SESSION_REVOCATION_TTL_MS } from '../../../cloud-functions/use-cases/auth/session-revocation-cache'
import { ManualClock } from '../../support/manual-clock'

const START = new Date('2026-03-01T04:00:00Z')

/** `store` counting its `get` calls. */
const counting = (store: MetadataStore) => {
  const counter = { gets: 0 }
  const proxy = new Proxy(store, {
    get: (target, p, receiver) =>
      p === 'get' ? (pk: string, sk: string) => ((counter.gets += 1), target.get(pk, sk)) : Reflect.get(target, p, receiver),
  })
  return { store: proxy, counter }
}

describe('session revocation: cached per process for a short time, logouts effective at once', () => {
  let dir: string
  let clock: ManualClock
  let stores: SqliteMetadataStore[]
  const connect = () => {
    const store = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock })
    stores.push(store)
    return store
  }
  const session = (sid: string, sub = 'U-1'): Session => ({ kind: 'user', sub, sid, iat: Math.floor(START.getTime() / 1000), iatMs: START.getTime(), exp: Math.floor(START.getTime() / 1000) + 7200 })

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qy-session-cache-'))
    clock = new ManualClock(START)
    stores = []
  })
  afterEach(async () => {
    for (const s of stores) await s.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('reads the store once for repeated checks of one session, then not again within the TTL', async () => {
    const { store, counter } = counting(connect())
    const s = session('sid-a')
    expect(await isSessionRevoked({ metadata: store }, s)).toBe(false)
    expect(counter.gets).toBe(2)
    expect(await isSessionRevoked({ metadata: store }, s)).toBe(false)
    expect(await isSessionRevoked({ metadata: store }, s)).toBe(false)
    expect(counter.gets).toBe(2)
    // Another session of the same subject: only its own id is read.
    expect(await isSessionRevoked({ metadata: store }, session('sid-b'))).toBe(false)
    expect(counter.gets).toBe(3)
  })

  it('logout of one session is refused at once in the same process; the other session still works', async () => {
    const store = connect()
    const a = session('sid-a')
    const b = session('sid-b')
    expect(await isSessionRevoked({ metadata: store }, a)).toBe(false)
    expect(await isSessionRevoked({ metadata: store }, b)).toBe(false)
    await logOut({ metadata: store, clock }, a)
    expect(await isSessionRevoked({ metadata: store }, a)).toBe(true)
    expect(await isSessionRevoked({ metadata: store }, b)).toBe(false)
  })

  it('logout everywhere refuses every earlier session of the subject at once, and not another subject nor a later login', async () => {
    const store = connect()
    const a = session('sid-a')
    const other = session('sid-o', 'U-2')
    expect(await isSessionRevoked({ metadata: store }, a)).toBe(false)
    expect(await isSessionRevoked({ metadata: store }, other)).toBe(false)
    clock.advanceSeconds(1)
    await logOutEverywhere({ metadata: store, clock }, a)
    expect(await isSessionRevoked({ metadata: store }, a)).toBe(true)
    expect(await isSessionRevoked({ metadata: store }, session('sid-c'))).toBe(true)
    expect(await isSessionRevoked({ metadata: store }, other)).toBe(false)
    const later: Session = { ...session('sid-d'), iatMs: clock.now().getTime() + 1 }
    expect(await isSessionRevoked({ metadata: store }, later)).toBe(false)
  })

  it('a check under way while the session is logged out does not leave a stale "not revoked" behind', async () => {
    const store = connect()
    const a = session('sid-a')
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const slow = new Proxy(store, {
      get: (target, p, receiver) => (p === 'get' ? async (pk: string, sk: string) => { const item = await target.get(pk, sk); await gate; return item } : Reflect.get(target, p, receiver)),
    })
    const pending = isSessionRevoked({ metadata: slow }, a)
    await logOut({ metadata: slow, clock }, a)
    release()
    expect(await pending).toBe(false) // it read before the logout
    expect(await isSessionRevoked({ metadata: slow }, a)).toBe(true)
  })

  it('another process (its own store connection) sees a logout made elsewhere once its TTL has passed', async () => {
    const here = connect()
    const there = connect()
    const a = session('sid-a')
    expect(await isSessionRevoked({ metadata: there }, a)).toBe(false)
    await logOut({ metadata: here, clock }, a)
    expect(await isSessionRevoked({ metadata: here }, a)).toBe(true)
    await new Promise((r) => setTimeout(r, SESSION_REVOCATION_TTL_MS + 50))
    expect(await isSessionRevoked({ metadata: there }, a)).toBe(true)
  }, 20_000)
})
