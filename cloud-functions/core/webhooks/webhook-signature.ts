import { createHmac, timingSafeEqual } from 'node:crypto'

/** The signature scheme's version tag in `Qianyue-Signature: v1=<hex>` (docs/WEBHOOKS.md). */
export const WEBHOOK_SIGNATURE_VERSION = 'v1'

/**
 * `v1=<hex>`: HMAC-SHA256 under the endpoint's secret over `<timestamp>.<body>` (the timestamp in
 * Unix seconds as sent in `Qianyue-Timestamp`, the body's exact bytes as UTF-8).
 *
 * @example
 * webhookSignature('whsec_…', 1767225600, '{"id":"evt_…"}') // 'v1=5f1c…'
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `${WEBHOOK_SIGNATURE_VERSION}=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`
}

/**
 * Whether `header` (a `Qianyue-Signature` value, possibly several `v1=` entries separated by commas)
 * carries the signature of `body` at `timestamp`, and the timestamp is within `toleranceSeconds`
 * of `nowSeconds` (replay protection). What a receiver does; the docs show the same in plain Node.
 */
export function verifyWebhookSignature(o: { secret: string; header: string; timestamp: number; body: string; nowSeconds: number; toleranceSeconds?: number }): boolean {
  if (!Number.isInteger(o.timestamp) || Math.abs(o.nowSeconds - o.timestamp) > (o.toleranceSeconds ?? 300)) return false
  const expected = Buffer.from(webhookSignature(o.secret, o.timestamp, o.body))
  return o.header.split(',').some((part) => {
    const given = Buffer.from(part.trim())
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}
