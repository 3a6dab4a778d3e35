import { ZHealthResponse, type HealthResponse } from '../../api/health.types'
import { lambdaHandler } from '../../runtime/bootstrap'
import { json } from '../../runtime/http'
import type { Route } from '../../runtime/router'

/** `GET /api/health`: the service is up, with the versions of the storage it uses. */
export const routes: Route[] = [
  {
    method: 'GET',
    path: '/api/health',
    doc: { summary: '服务状态与存储版本', tags: ['meta'], auth: 'none', response: ZHealthResponse },
    handle: async (_event, { deps }) => {
      const [objects, metadata] = await Promise.all([deps.objects.describe(), deps.metadata.describe()])
      const body: HealthResponse = { status: 'ok', version: deps.version, mode: deps.config.mode, storage: { objects, metadata } }
      return json(200, body, { 'cache-control': 'no-store' })
    },
  },
]

export const handler = lambdaHandler(routes)
