import type { MetadataStore } from '../../ports/metadata-store'

/** How long this process trusts what it read about a session's revocation (ms). */
export const SESSION_REVOCATION_TTL_MS = 5000
/** Entries kept per store before the cache starts afresh (a bound on memory, not an LRU). */
const MAX_ENTRIES = 20_000

type Entry<T> = { value: T; until: number }
type Cache = { notRevoked: Map<string, Entry<true>>; epochs: Map<string, Entry<number | undefined>>; generation: number }

const caches = new WeakMap<MetadataStore, Cache>()

/**
 * What this process last read about session revocation, per metadata store, for
 * {@link SESSION_REVOCATION_TTL_MS}: that a session id was not revoked, and a subject's "logged out
 * everywhere" time (or that it has none). A revoked session is never cached, so once seen it stays
 * refused. This process's own revocation writes (`log-out.ts`) drop the entries they changed once
 * written, and a read that was under way meanwhile is not remembered (`generation`), so logout and
 * logout-all take effect at once here; another process (another Lambda instance)
 * that cached a session before the logout admits it for at most the TTL.
 */
export function sessionRevocationCache(metadata: MetadataStore) {
  let cache = caches.get(metadata)
  if (!cache) caches.set(metadata, (cache = { notRevoked: new Map(), epochs: new Map(), generation: 0 }))
  const c = cache
  const fresh = <T>(m: Map<string, Entry<T>>, key: string): Entry<T> | undefined => {
    const e = m.get(key)
    if (e && e.until > performance.now()) return e
    if (e) m.delete(key)
    return undefined
  }
  const remember = <T>(m: Map<string, Entry<T>>, key: string, value: T, generation: number) => {
    if (generation !== c.generation) return
    if (m.size >= MAX_ENTRIES) m.clear()
    m.set(key, { value, until: performance.now() + SESSION_REVOCATION_TTL_MS })
  }
  return {
    /** Taken before the reads whose outcome is then remembered. */
    generation: () => c.generation,
    /** True when this session id was read as not revoked within the TTL. */
    knownNotRevoked: (sid: string) => fresh(c.notRevoked, sid) !== undefined,
    rememberNotRevoked: (sid: string, generation: number) => remember(c.notRevoked, sid, true as const, generation),
    /** The subject's cached epoch: `{ revokedBeforeMs }` (undefined: none) or undefined when not cached. */
    epoch: (sub: string) => {
      const e = fresh(c.epochs, sub)
      return e ? { revokedBeforeMs: e.value } : undefined
    },
    rememberEpoch: (sub: string, revokedBeforeMs: number | undefined, generation: number) => remember(c.epochs, sub, revokedBeforeMs, generation),
    /** After a revocation write: forget what this process knew about the session / the subject. */
    forgetSession: (sid: string) => {
      c.generation++
      c.notRevoked.delete(sid)
    },
    forgetSubject: (sub: string) => {
      c.generation++
      c.epochs.delete(sub)
    },
  }
}
