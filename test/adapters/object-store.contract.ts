import { randomBytes } from 'node:crypto'
import type { PresignedParams, PresignedVerdict } from '../../cloud-functions/adapters/local/fs-object-store'
import { InvalidKeyError, type ObjectStore } from '../../cloud-functions/ports/object-store'

/** How the suite checks presigned links on a backend. */
export type PresignedCheck =
  /** The backend serves its presigned URLs itself (S3): PUT/GET/POST them with `fetch`. */
  | { kind: 'http' }
  /**
   * The links point at our own HTTP route (local mode): check them with the store's verifier.
   * `advanceSeconds` moves the clock the store was given.
   */
  | {
      kind: 'signature'
      publicBaseUrl: string
      verify: (params: PresignedParams) => PresignedVerdict
      advanceSeconds: (seconds: number) => void
    }

/** What {@link objectStoreContract} runs against. */
export type ObjectStoreFixture = {
  store: ObjectStore
  presigned: PresignedCheck
  close: () => Promise<void>
}

/** What a backend under test cannot do, although the port requires it. */
export type ObjectStoreContractOptions = {
  /**
   * Whether readers racing an overwrite see whole objects. Default true; false only for an
   * emulator that writes in place (s3rver; S3 itself is atomic): that test is then not
   * defined for it (a skipped test would count as a failure in `npm test`), and the filesystem
   * store, which does make the promise, is where it is proven.
   */
  atomicOverwrite?: boolean
}

/**
 * The {@link ObjectStore} contract. Every adapter's test file calls it with a fixture factory;
 * the factory is called once for the whole suite, and each test works under its own key prefix.
 *
 * @example
 * objectStoreContract('FsObjectStore', async () => ({ store, presigned: { kind: 'signature', ... }, close }))
 */
export function objectStoreContract(
  name: string,
  setup: () => Promise<ObjectStoreFixture>,
  options: ObjectStoreContractOptions = {},
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fixture: ObjectStoreFixture
    let store: ObjectStore
    const run = `run-${randomBytes(4).toString('hex')}`
    let counter = 0
    let base = ''

    beforeAll(async () => {
      fixture = await setup()
      store = fixture.store
    })
    afterAll(async () => {
      await fixture?.close()
    })
    beforeEach(() => {
      base = `${run}/t${++counter}`
    })

    const allBytes = () => {
      const bytes = new Uint8Array(256 + 70_000)
      for (let i = 0; i < 256; i++) bytes[i] = i
      bytes.set(randomBytes(70_000), 256)
      return bytes
    }

    it('round-trips binary bytes through put, get and head', async () => {
      // Prepare
      const key = `${base}/contract.pdf`
      const body = allBytes()
      // Act
      await store.put(key, body, { contentType: 'application/pdf' })
      // Assess
      const got = await store.get(key)
      expect(got).toBeInstanceOf(Uint8Array)
      expect(Buffer.from(got as Uint8Array).equals(Buffer.from(body))).toBe(true)
      expect(await store.head(key)).toEqual({ size: body.byteLength, contentType: 'application/pdf' })
    })

    it('stores an empty object', async () => {
      const key = `${base}/empty`
      await store.put(key, new Uint8Array(0), { contentType: 'text/plain' })
      expect(Array.from((await store.get(key)) ?? [1])).toEqual([])
      expect(await store.head(key)).toMatchObject({ size: 0 })
    })

    it('gives some content type when none was set', async () => {
      const key = `${base}/untyped.bin`
      await store.put(key, new Uint8Array([1, 2, 3]))
      const info = await store.head(key)
      expect(info?.size).toBe(3)
      expect(info?.contentType === undefined || typeof info.contentType === 'string').toBe(true)
    })

    it('replaces the bytes and content type on overwrite', async () => {
      const key = `${base}/doc`
      await store.put(key, new Uint8Array([1, 2, 3, 4, 5]), { contentType: 'application/pdf' })
      await store.put(key, new Uint8Array([9, 8]), { contentType: 'image/png' })
      expect(Array.from((await store.get(key)) ?? [])).toEqual([9, 8])
      expect(await store.head(key)).toEqual({ size: 2, contentType: 'image/png' })
      expect(await store.list(`${base}/`)).toEqual([key])
    })

    it('answers undefined for a missing key, and deleting it is not an error', async () => {
      const key = `${base}/missing`
      expect(await store.get(key)).toBeUndefined()
      expect(await store.head(key)).toBeUndefined()
      await expect(store.delete(key)).resolves.toBeUndefined()
    })

    it('deletes an object', async () => {
      const key = `${base}/gone.txt`
      await store.put(key, new Uint8Array([1]), { contentType: 'text/plain' })
      await store.delete(key)
      expect(await store.get(key)).toBeUndefined()
      expect(await store.head(key)).toBeUndefined()
      expect(await store.list(`${base}/`)).toEqual([])
    })

    it('lists the keys under a prefix, sorted, including nested keys and a key that is also a "folder"', async () => {
      // Prepare: `a` and `a/b` coexist, as they can in S3
      const keys = ['p/b/d', 'p/a', 'p/b/c', 'p/b', 'pq/x', 'other/y'].map((k) => `${base}/${k}`)
      for (const key of keys) await store.put(key, new Uint8Array([1]), { contentType: 'text/plain' })
      // Act + Assess
      expect(await store.list(`${base}/p/`)).toEqual(['p/a', 'p/b', 'p/b/c', 'p/b/d'].map((k) => `${base}/${k}`))
      expect(await store.list(`${base}/p`)).toEqual(['p/a', 'p/b', 'p/b/c', 'p/b/d', 'pq/x'].map((k) => `${base}/${k}`))
      expect(await store.list(`${base}/p/b/`)).toEqual(['p/b/c', 'p/b/d'].map((k) => `${base}/${k}`))
      expect(await store.list(`${base}/nothing/`)).toEqual([])
      expect(await store.list(`${base}/`)).toHaveLength(6)
      expect((await store.list('')).filter((k) => k.startsWith(`${base}/`))).toHaveLength(6)
      // Deleting `p/b` leaves `p/b/c` and `p/b/d`
      await store.delete(`${base}/p/b`)
      expect(await store.list(`${base}/p/b`)).toEqual(['p/b/c', 'p/b/d'].map((k) => `${base}/${k}`))
      expect(await store.get(`${base}/p/b/c`)).toBeDefined()
    })

    it('accepts keys made of [A-Za-z0-9._-] segments', async () => {
      const key = `${base}/A-z_0.9/..hidden/x.y.z`
      await store.put(key, new Uint8Array([7]), { contentType: 'text/plain' })
      expect(Array.from((await store.get(key)) ?? [])).toEqual([7])
    })

    const badKeys = ['', '/abs', 'a//b', 'a/', '../x', 'a/../b', 'a/./b', '.', '..', 'a b', 'a\\b', 'a?b', 'a#b', 'a%2Fb', '合同.pdf', 'a\nb', 'x'.repeat(1025)]

    it.each(badKeys.map((k) => [JSON.stringify(k).slice(0, 40), k]))('rejects the key %s with InvalidKeyError', async (_label, key) => {
      const body = new Uint8Array([1])
      await expect(store.put(key, body)).rejects.toThrow(InvalidKeyError)
      await expect(store.get(key)).rejects.toThrow(InvalidKeyError)
      await expect(store.head(key)).rejects.toThrow(InvalidKeyError)
      await expect(store.delete(key)).rejects.toThrow(InvalidKeyError)
      await expect(store.presignGet(key, 60)).rejects.toThrow(InvalidKeyError)
      await expect(store.presignPut(key, 'application/pdf', 60)).rejects.toThrow(InvalidKeyError)
      await expect(
        store.presignPost(key, { contentType: 'application/pdf', maxBytes: 10, expiresInSeconds: 60 }),
      ).rejects.toThrow(InvalidKeyError)
    })

    it('rejects list prefixes that cannot start a valid key', async () => {
      for (const prefix of ['/', '/a', '../', 'a/../', 'a//', 'a b']) {
        await expect(store.list(prefix)).rejects.toThrow(InvalidKeyError)
      }
    })

    const atomic = options.atomicOverwrite ?? true
    if (atomic) it('never lets a reader see a partly written object', async () => {
      const key = `${base}/big.bin`
      const a = new Uint8Array(1 << 20).fill(0xaa)
      const b = new Uint8Array((1 << 20) + 7).fill(0xbb)
      await store.put(key, a)
      const writes = (async () => {
        for (let i = 0; i < 10; i++) await store.put(key, i % 2 ? a : b)
      })()
      const seen = new Set<string>()
      let writing = true
      void writes.finally(() => (writing = false))
      while (writing) {
        const got = await store.get(key)
        const buf = Buffer.from(got as Uint8Array)
        seen.add(buf.equals(Buffer.from(a)) ? 'a' : buf.equals(Buffer.from(b)) ? 'b' : `torn:${buf.length}`)
      }
      await writes
      expect(seen.size).toBeGreaterThan(0)
      expect([...seen].filter((s) => s.startsWith('torn'))).toEqual([])
    })

    describe('presigned links', () => {
      it('PUT then GET through presigned URLs', async () => {
        const key = `${base}/upload.pdf`
        const body = allBytes()
        const putUrl = await store.presignPut(key, 'application/pdf', 300)
        const getUrl = await store.presignGet(key, 300)
        const presigned = fixture.presigned
        if (presigned.kind === 'http') {
          // Act: a client uploads and downloads over HTTP, without credentials
          const put = await fetch(putUrl, { method: 'PUT', body, headers: { 'Content-Type': 'application/pdf' } })
          expect(put.status).toBe(200)
          const get = await fetch(getUrl)
          expect(get.status).toBe(200)
          expect(Buffer.from(await get.arrayBuffer()).equals(Buffer.from(body))).toBe(true)
          expect(await store.head(key)).toEqual({ size: body.byteLength, contentType: 'application/pdf' })
        } else {
          const put = parseLocalUrl(putUrl, presigned.publicBaseUrl)
          const get = parseLocalUrl(getUrl, presigned.publicBaseUrl)
          expect(put).toMatchObject({ key, op: 'put', contentType: 'application/pdf' })
          expect(get).toMatchObject({ key, op: 'get', contentType: undefined })
          expect(presigned.verify(put)).toEqual({ ok: true })
          expect(presigned.verify(get)).toEqual({ ok: true })
          // Tampered signature, another key, another op, another content type: invalid
          expect(presigned.verify({ ...get, sig: tamper(get.sig) })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...get, sig: 'x' })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...get, key: `${base}/other.pdf` })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...get, key: '../etc/passwd' })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...get, op: 'put' })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...put, contentType: 'text/html' })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...get, expires: String(Number(get.expires) + 3600) })).toEqual({
            ok: false,
            code: 'LINK_INVALID',
          })
          // Expired: valid until the moment `expires`, then LINK_EXPIRED
          presigned.advanceSeconds(299)
          expect(presigned.verify(get)).toEqual({ ok: true })
          presigned.advanceSeconds(2)
          expect(presigned.verify(get)).toEqual({ ok: false, code: 'LINK_EXPIRED' })
          expect(presigned.verify(put)).toEqual({ ok: false, code: 'LINK_EXPIRED' })
          // A tampered expired link is invalid, not merely expired
          expect(presigned.verify({ ...get, sig: tamper(get.sig) })).toEqual({ ok: false, code: 'LINK_INVALID' })
        }
      })

      it('uploads with a presigned POST form', async () => {
        const key = `${base}/form-upload.png`
        const body = allBytes().subarray(0, 5000)
        const post = await store.presignPost(key, { contentType: 'image/png', maxBytes: 10_000, expiresInSeconds: 300 })
        expect(post.fields.key).toBe(key)
        expect(post.fields['Content-Type']).toBe('image/png')
        const presigned = fixture.presigned
        if (presigned.kind === 'http') {
          // Act: a browser form, all fields then the file. (s3rver does not enforce content-length-range.)
          const form = new FormData()
          for (const [field, value] of Object.entries(post.fields)) form.append(field, value)
          form.append('file', new Blob([Buffer.from(body)], { type: 'image/png' }), 'upload.png')
          const res = await fetch(post.url, { method: 'POST', body: form })
          // Assess
          expect(res.status).toBe(204)
          expect(Buffer.from((await store.get(key)) as Uint8Array).equals(Buffer.from(body))).toBe(true)
          expect(await store.head(key)).toEqual({ size: body.byteLength, contentType: 'image/png' })
        } else {
          expect(post.url).toBe(`${presigned.publicBaseUrl}/api/objects-upload`)
          const f = post.fields
          const params: PresignedParams = {
            op: 'post',
            key: f.key,
            expires: f.expires,
            contentType: f['Content-Type'],
            maxBytes: f.maxBytes,
            sig: f.sig,
          }
          expect(f.maxBytes).toBe('10000')
          expect(presigned.verify(params)).toEqual({ ok: true })
          expect(presigned.verify({ ...params, maxBytes: '99999999' })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...params, key: `${base}/elsewhere.png` })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...params, contentType: 'text/html' })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...params, sig: tamper(params.sig) })).toEqual({ ok: false, code: 'LINK_INVALID' })
          expect(presigned.verify({ ...params, op: 'put' })).toEqual({ ok: false, code: 'LINK_INVALID' })
          presigned.advanceSeconds(301)
          expect(presigned.verify(params)).toEqual({ ok: false, code: 'LINK_EXPIRED' })
        }
      })
    })

    it('describes its backend', async () => {
      const d = await store.describe()
      expect(typeof d.kind).toBe('string')
      expect(d.kind.length).toBeGreaterThan(0)
      expect(typeof d.version).toBe('string')
      expect(d.version.length).toBeGreaterThan(0)
    })
  })
}

/** Read back a local presigned URL: `<base>/api/objects/<key>?op=&expires=&ct=&sig=`. */
function parseLocalUrl(url: string, publicBaseUrl: string): PresignedParams & { expires: string } {
  const prefix = `${publicBaseUrl}/api/objects/`
  expect(url.startsWith(prefix)).toBe(true)
  const u = new URL(url)
  const q = u.searchParams
  return {
    op: q.get('op') as PresignedParams['op'],
    key: url.slice(prefix.length, url.indexOf('?')),
    expires: q.get('expires') ?? '',
    contentType: q.get('ct') ?? undefined,
    sig: q.get('sig') ?? '',
  }
}

/** The same signature with its first character changed. */
function tamper(sig: string): string {
  return (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
}
