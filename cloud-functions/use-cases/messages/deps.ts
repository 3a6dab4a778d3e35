import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { MetadataStore } from '../../ports/metadata-store'

/** What the in-app message use cases need: the metadata store, the clock and ids. */
export type MessagesDeps = { metadata: MetadataStore; clock: Clock; ids: Ids }
