import type { ObjectStore } from '../../ports/object-store'

/**
 * An object store built on first use. In Lambda, loading the S3 client and its presigners is most
 * of a cold start, and many requests (sessions, PKI, signing intents, health of the table) never
 * touch S3: they no longer pay for it. A failed build is retried on the next call.
 */
export class LazyObjectStore implements ObjectStore {
  private store?: Promise<ObjectStore>

  constructor(private readonly build: () => Promise<ObjectStore>) {}

  private load(): Promise<ObjectStore> {
    if (!this.store) {
      const s = this.build()
      this.store = s
      s.catch(() => {
        if (this.store === s) this.store = undefined
      })
    }
    return this.store
  }

  async put(...a: Parameters<ObjectStore['put']>): ReturnType<ObjectStore['put']> {
    return (await this.load()).put(...a)
  }
  async get(...a: Parameters<ObjectStore['get']>): ReturnType<ObjectStore['get']> {
    return (await this.load()).get(...a)
  }
  async head(...a: Parameters<ObjectStore['head']>): ReturnType<ObjectStore['head']> {
    return (await this.load()).head(...a)
  }
  async delete(...a: Parameters<ObjectStore['delete']>): ReturnType<ObjectStore['delete']> {
    return (await this.load()).delete(...a)
  }
  async list(...a: Parameters<ObjectStore['list']>): ReturnType<ObjectStore['list']> {
    return (await this.load()).list(...a)
  }
  async presignGet(...a: Parameters<ObjectStore['presignGet']>): ReturnType<ObjectStore['presignGet']> {
    return (await this.load()).presignGet(...a)
  }
  async presignPut(...a: Parameters<ObjectStore['presignPut']>): ReturnType<ObjectStore['presignPut']> {
    return (await this.load()).presignPut(...a)
  }
  async presignPost(...a: Parameters<ObjectStore['presignPost']>): ReturnType<ObjectStore['presignPost']> {
    return (await this.load()).presignPost(...a)
  }
  async describe(...a: Parameters<ObjectStore['describe']>): ReturnType<ObjectStore['describe']> {
    return (await this.load()).describe(...a)
  }
}
