import type { ObjectStore } from '../../ports/object-store'

/** Keys whose bytes never change once written: a PDF named by its SHA-256 (an upload, a contract revision). */
const CONTENT_ADDRESSED = /^(?:documents|contracts\/[^/]+)\/[0-9a-f]{64}\.pdf$/
/** Objects larger than this are not kept. */
const MAX_OBJECT_BYTES = 4 * 1024 * 1024

/**
 * An {@link ObjectStore} that keeps, in this process, the bytes of the content-addressed PDFs it
 * wrote or read last (at most `maxBytes` in all, the least recently used dropped first): a
 * contract's original and each new revision are written once and read by the next step (send,
 * each signature, the completion revision, the evidence report), which then reads memory instead
 * of the disk or S3. Their bytes never change, so another process cannot make a kept copy stale;
 * a put or delete through this store replaces or drops its copy. Callers get their own copy (a
 * caller may write into the bytes it was given). Every other call goes to `inner` as it is.
 */
export class ContentAddressedCache implements ObjectStore {
  private readonly kept = new Map<string, Uint8Array>()
  private bytes = 0

  constructor(
    readonly inner: ObjectStore,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  async put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void> {
    this.drop(key)
    await this.inner.put(key, body, options)
    this.keep(key, body)
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const kept = this.kept.get(key)
    if (kept) {
      this.kept.delete(key)
      this.kept.set(key, kept)
      return Buffer.from(kept)
    }
    const body = await this.inner.get(key)
    if (body) this.keep(key, body)
    return body
  }

  async delete(key: string): Promise<void> {
    this.drop(key)
    await this.inner.delete(key)
  }

  head(...a: Parameters<ObjectStore['head']>): ReturnType<ObjectStore['head']> {
    return this.inner.head(...a)
  }
  list(...a: Parameters<ObjectStore['list']>): ReturnType<ObjectStore['list']> {
    return this.inner.list(...a)
  }
  presignGet(...a: Parameters<ObjectStore['presignGet']>): ReturnType<ObjectStore['presignGet']> {
    return this.inner.presignGet(...a)
  }
  presignPut(...a: Parameters<ObjectStore['presignPut']>): ReturnType<ObjectStore['presignPut']> {
    return this.inner.presignPut(...a)
  }
  presignPost(...a: Parameters<ObjectStore['presignPost']>): ReturnType<ObjectStore['presignPost']> {
    return this.inner.presignPost(...a)
  }
  describe(...a: Parameters<ObjectStore['describe']>): ReturnType<ObjectStore['describe']> {
    return this.inner.describe(...a)
  }

  private keep(key: string, body: Uint8Array): void {
    if (!CONTENT_ADDRESSED.test(key) || body.byteLength > MAX_OBJECT_BYTES || body.byteLength > this.maxBytes) return
    this.drop(key)
    this.kept.set(key, Buffer.from(body))
    this.bytes += body.byteLength
    for (const [k, v] of this.kept) {
      if (this.bytes <= this.maxBytes) break
      this.kept.delete(k)
      this.bytes -= v.byteLength
    }
  }

  private drop(key: string): void {
    const kept = this.kept.get(key)
    if (!kept) return
    this.kept.delete(key)
    this.bytes -= kept.byteLength
  }
}
