import { lambdaHandler } from '../../runtime/bootstrap'
import { buildOpenApiDocument } from '../../runtime/openapi'
import type { Route } from '../../runtime/router'
import { PRODUCT_VERSION } from '../../runtime/version'

let cached: string | undefined

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document of every route in `handlers/all-routes.ts`
 * (this one included), generated from their `doc` (runtime/openapi.ts) once per process. Public
 * and cacheable. The route tables are imported on first use: `all-routes` lists this table too.
 */
export const routes: Route[] = [
  {
    method: 'GET',
    path: '/api/openapi.json',
    doc: { summary: '本接口的 OpenAPI 3.1 描述', tags: ['meta'], auth: 'none', responseContentType: 'application/json' },
    handle: async () => {
      if (!cached) {
        const { ALL_ROUTES } = await import('../all-routes')
        cached = JSON.stringify(buildOpenApiDocument(ALL_ROUTES, PRODUCT_VERSION))
      }
      return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: cached }
    },
  },
]

export const handler = lambdaHandler(routes)
