import type { SealFont } from '../../core/seals/drawing'
import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'

/** What the seals use cases need: storage, time, ids and (for drawing) the seal font. */
export type SealDeps = { metadata: MetadataStore; objects: ObjectStore; clock: Clock; ids: Ids; sealFont: () => SealFont }
