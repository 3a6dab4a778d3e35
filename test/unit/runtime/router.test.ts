import { Writable } from 'node:stream'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import type { Container } from '../../../cloud-functions/runtime/container'
import { json } from '../../../cloud-functions/runtime/http'
import { createLogger } from '../../../cloud-functions/runtime/logger'
import { createRouter } from '../../../cloud-functions/runtime/router'

const event = (method: string, rawPath: string) => ({ rawPath, requestContext: { http: { method, path: rawPath }, requestId: 'rid-1' } }) as unknown as APIGatewayProxyEventV2

describe('router', () => {
  const lines: string[] = []
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, d) => (lines.push(String(c)), d()) }) })
  const deps = { logger } as unknown as Container
  const route = createRouter([
    { method: 'GET', path: '/api/things/{id}', handle: async (_e, { params }) => json(200, { id: params.id }) },
    { method: 'GET', path: '/api/files/{key+}', handle: async (_e, { params }) => json(200, { key: params.key }) },
    { method: 'POST', path: '/api/boom', handle: async () => { throw new Error('secret internals at /srv/app.js:12') } },
  ])

  it('binds path parameters, including a greedy one, URL-decoded', async () => {
    expect(JSON.parse((await route(event('GET', '/api/things/%E5%90%88%E5%90%8C'), deps)).body!)).toEqual({ id: '合同' })
    expect(JSON.parse((await route(event('GET', '/api/files/a/b/c.pdf'), deps)).body!)).toEqual({ key: 'a/b/c.pdf' })
  })

  it('answers a thrown exception with 500 INTERNAL, no internals in the body, and logs it with the request id', async () => {
    const res = await route(event('POST', '/api/boom'), deps)
    expect(res.statusCode).toBe(500)
    expect(JSON.parse(res.body!)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } })
    expect(res.body).not.toContain('secret internals')
    expect(res.headers['x-request-id']).toBe('rid-1')
    const logged = lines.map((l) => JSON.parse(l)).find((r) => r.msg === 'request failed')
    expect(logged).toMatchObject({ requestId: 'rid-1', level: 'error', err: { message: 'secret internals at /srv/app.js:12' } })
  })

  it('404 for an unknown path, 405 with Allow for a known path and another method', async () => {
    expect((await route(event('GET', '/api/nothing'), deps)).statusCode).toBe(404)
    const res = await route(event('DELETE', '/api/things/1'), deps)
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toBe('GET')
  })
})
