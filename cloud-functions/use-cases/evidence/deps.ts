import type { Anchor } from '../../ports/anchor'
import type { Clock } from '../../ports/clock'
import type { Logger } from '../../ports/logger'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import type { TimestampAuthority } from '../../ports/timestamp-authority'

/** What the evidence use cases need: the metadata store the chains live in. */
export type EvidenceDeps = { metadata: MetadataStore }

/**
 * What checkpoints need besides the chains: the object store (each checkpoint's leaf list), the
 * clock, the platform TSA (a token over each root), the external ledger (`noAnchor` by default) and
 * a logger (built by `runtime/services.ts`, `getEvidenceServices`).
 */
export type CheckpointDeps = EvidenceDeps & { objects: ObjectStore; clock: Clock; logger: Logger; tsa: TimestampAuthority; anchor: Anchor }
