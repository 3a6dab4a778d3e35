import type { APIGatewayProxyEventV2 } from 'aws-lambda'

/** An API Gateway HTTP API (payload v2) event, as AWS hands it to a Lambda handler. */
export function apiGatewayEvent(method: string, rawPath: string, init: { body?: Uint8Array | string; headers?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: init.headers ?? {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'jest' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body: init.body === undefined ? undefined : Buffer.from(init.body).toString('base64'),
    isBase64Encoded: init.body !== undefined,
  }
}
