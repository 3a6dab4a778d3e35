/**
 * Sends one webhook delivery: an HTTP POST of `body` to `url`, connecting to `address` (the one the
 * policy checked, so the name is not resolved again between the check and the connection: no DNS
 * rebinding), TLS verified against the URL's host name. Never follows redirects. Adapter:
 * `adapters/http/node-webhook-poster.ts`.
 */
export interface WebhookPoster {
  post(request: WebhookPostRequest): Promise<WebhookPostOutcome>
}

export type WebhookPostRequest = { url: string; address: string; headers: Record<string, string>; body: string; timeoutMs: number }

/** `status`: the receiver answered (any status); `error`: no answer (refused, timeout, TLS). */
export type WebhookPostOutcome = { status: number } | { error: string }
