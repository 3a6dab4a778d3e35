import type { Route } from '../runtime/router'
import { routes as approvals } from './http/approvals'
import { routes as auth } from './http/auth'
import { routes as bulk } from './http/bulk'
import { routes as contracts } from './http/contracts'
import { routes as documents } from './http/documents'
import { routes as health } from './http/health'
import { routes as identity } from './http/identity'
import { routes as localObjects } from './http/local-objects'
import { routes as messages } from './http/messages'
import { routes as openApi } from './http/openapi'
import { routes as pki } from './http/pki'
import { routes as seals } from './http/seals'
import { routes as signing } from './http/signing'
import { routes as templates } from './http/templates'
import { routes as verification } from './http/verification'
import { routes as webhooks } from './http/webhooks'

/**
 * Every HTTP route, for the local server. Each area's Lambda serves only its own list
 * (serverless.yml); `localObjects` stands in for S3's presigned URLs and exists only here.
 * `GET /api/openapi.json` (http/openapi.ts) describes every route of this list, from each `doc`.
 */
export const ALL_ROUTES: Route[] = [
  ...health,
  ...auth,
  ...identity,
  ...documents,
  ...contracts,
  ...bulk,
  ...templates,
  ...approvals,
  ...messages,
  ...seals,
  ...signing,
  ...pki,
  ...verification,
  ...webhooks,
  ...localObjects,
  ...openApi,
]
