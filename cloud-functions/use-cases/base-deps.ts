import type { Clock } from '../ports/clock'
import type { Ids } from '../ports/ids'
import type { Logger } from '../ports/logger'
import type { MetadataStore } from '../ports/metadata-store'
import type { ObjectStore } from '../ports/object-store'

/**
 * What every area's use cases may take from the process: storage, time, ids, a logger and the
 * public URL. `runtime/container.ts`'s `Container` has this shape; each area's `deps.ts` adds its
 * own services (built by `runtime/services.ts`).
 */
export type BaseDeps = {
  config: { publicBaseUrl: string }
  logger: Logger
  clock: Clock
  ids: Ids
  objects: ObjectStore
  metadata: MetadataStore
}
