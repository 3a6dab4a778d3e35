import type { EvidenceContext } from '../core/evidence/evidence-event'
import type { HttpEvent } from '../runtime/http'

/**
 * Who made an HTTP request and from where, for the evidence chain: `user:<userId>` (or
 * `anonymous` without a session), the source IP API Gateway (or the local server) saw, and the
 * `User-Agent` header. Use cases take it as `request` and record it with the events they append.
 *
 * @example
 * signContract(deps, { userId, contractId, ...body, request: requestContext(event, userId) })
 */
export function requestContext(event: HttpEvent, userId?: string): EvidenceContext {
  const ip = event.requestContext?.http?.sourceIp
  const userAgent = event.requestContext?.http?.userAgent || event.headers?.['user-agent']
  return { actor: userId ? `user:${userId}` : 'anonymous', ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) }
}
