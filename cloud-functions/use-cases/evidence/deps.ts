import type { MetadataStore } from '../../ports/metadata-store'

/** What the evidence use cases need: the metadata store the chains live in. */
export type EvidenceDeps = { metadata: MetadataStore }
