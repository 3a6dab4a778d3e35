import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ContentAddressedCache } from '../../cloud-functions/adapters/cache/content-addressed-cache'
import { FsObjectStore } from '../../cloud-functions/adapters/local/fs-object-store'
import type { ObjectStore } from '../../cloud-functions/ports/object-store'
import { ManualClock } from '../support/manual-clock'

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const pdf = (text: string, size = 0) => Buffer.concat([Buffer.from(`%PDF-1.7 ${text}\n`), Buffer.alloc(size, 0x20)])

describe('the process cache of content-addressed PDFs in front of the object store', () => {
  let dir: string
  let files: FsObjectStore
  let gets: string[]
  let inner: ObjectStore
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qy-object-cache-'))
    files = new FsObjectStore({ root: dir, publicBaseUrl: 'http://127.0.0.1:1', signingKey: new Uint8Array(32).fill(7), clock: new ManualClock(new Date('2026-03-01T00:00:00Z')) })
    gets = []
    inner = new Proxy(files, { get: (t, p, r) => (p === 'get' ? (key: string) => (gets.push(key), t.get(key)) : Reflect.get(t, p, r)) })
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('a revision written through it is read back from memory; a copy each time, so a caller writing into its bytes changes nothing', async () => {
    const cache = new ContentAddressedCache(inner)
    const bytes = pdf('revision')
    const key = `contracts/C1/${sha(bytes)}.pdf`
    await cache.put(key, bytes, { contentType: 'application/pdf' })
    bytes.fill(0) // the writer reuses its buffer
    const first = (await cache.get(key))!
    first.fill(1)
    const second = (await cache.get(key))!
    expect(Buffer.from(second).equals(pdf('revision'))).toBe(true)
    expect(gets).toEqual([])
    expect(Buffer.from((await files.get(key))!).equals(pdf('revision'))).toBe(true)
  })

  it('other keys always go to the store; a content-addressed one is read from it once', async () => {
    const cache = new ContentAddressedCache(inner)
    const image = 'seals/U1/S1.png'
    await files.put(image, Buffer.from('png one'), { contentType: 'image/png' })
    expect(Buffer.from((await cache.get(image))!).toString()).toBe('png one')
    await files.put(image, Buffer.from('png two'), { contentType: 'image/png' })
    expect(Buffer.from((await cache.get(image))!).toString()).toBe('png two')
    const doc = pdf('upload')
    const key = `documents/${sha(doc)}.pdf`
    await files.put(key, doc, { contentType: 'application/pdf' })
    await cache.get(key)
    await cache.get(key)
    expect(gets).toEqual([image, image, key])
    expect(await cache.get(`documents/${'0'.repeat(64)}.pdf`)).toBeUndefined()
  })

  it('a delete through it drops its copy; a put replaces it', async () => {
    const cache = new ContentAddressedCache(inner)
    const key = `contracts/C1/${'a'.repeat(64)}.pdf`
    await cache.put(key, pdf('one'))
    await cache.put(key, pdf('two'))
    expect(Buffer.from((await cache.get(key))!).equals(pdf('two'))).toBe(true)
    await cache.delete(key)
    expect(await cache.get(key)).toBeUndefined()
  })

  it('keeps at most its byte budget, the least recently used dropped first', async () => {
    const cache = new ContentAddressedCache(inner, 2500)
    const keys = ['a', 'b', 'c'].map((c) => `contracts/C1/${c.repeat(64)}.pdf`)
    await cache.put(keys[0]!, pdf('a', 1000))
    await cache.put(keys[1]!, pdf('b', 1000))
    await cache.get(keys[0]!) // a is now the most recent
    await cache.put(keys[2]!, pdf('c', 1000)) // b goes
    gets.length = 0
    for (const k of [keys[0]!, keys[2]!, keys[1]!]) await cache.get(k)
    expect(gets).toEqual([keys[1]])
  })
})
