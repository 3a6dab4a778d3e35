import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'

/** What the notification use cases need: the metadata store (reminders index) and the clock. */
export type NotificationsDeps = { metadata: MetadataStore; clock: Clock }
