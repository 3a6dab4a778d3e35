import { lambdaHandler } from '../../runtime/bootstrap'
import type { Route } from '../../runtime/router'

/** Platform CA: certificates, CRL, OCSP, RFC 3161 time-stamps. Its issue adds the routes; until then every path here answers 404 ROUTE_NOT_FOUND. */
export const routes: Route[] = []

export const handler = lambdaHandler(routes)
