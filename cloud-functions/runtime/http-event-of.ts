import { randomUUID } from 'node:crypto'
import type http from 'node:http'
import type { HttpEvent } from './http'

/**
 * The API Gateway (HTTP API, payload 2.0) event for a request read by a Node HTTP server: what the
 * local server hands its routes, and what the Lambda stand-in of the crash tests
 * (test/support/lambda-host.cjs) hands the compiled handlers. Repeated query parameters are
 * joined with commas, as API Gateway does; the body is base64.
 */
export function httpEventOf(req: http.IncomingMessage, url: URL, body: Buffer): HttpEvent {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v
  const query: Record<string, string> = {}
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`
  const method = (req.method ?? 'GET').toUpperCase()
  const now = Date.now()
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body: body.length ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
  }
}
