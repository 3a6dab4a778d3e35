import type { PersonalDataKeys } from '../../core/identity/personal-data'
import type { WebhookUrlPolicy } from '../../core/webhooks/webhook-url'
import type { HostResolver } from '../../ports/host-resolver'
import type { WebhookPoster } from '../../ports/webhook-poster'
import type { BaseDeps } from '../base-deps'

/** What the webhook use cases need beyond the base deps (built by `runtime/services.ts`). */
export type WebhookServices = {
  /** Encrypts endpoint secrets at rest (the personal-data keys, kind `webhook-secret`). */
  personalData: PersonalDataKeys
  webhooks: {
    resolver: HostResolver
    poster: WebhookPoster
    /** https only in AWS mode; loopback only with the test/development flag. */
    policy: WebhookUrlPolicy
    /** How long one delivery may take before it counts as failed. */
    timeoutMs: number
  }
}

export type WebhookDeps = BaseDeps & WebhookServices
