import type { z } from 'zod'
import type { EvidenceContext } from '../core/evidence/evidence-event'
import type { Result } from '../core/shared/result'
import { errorAnswer, fromDomainError, header, json, parseJsonBody, type HttpEvent, type HttpResult } from '../runtime/http'
import type { Route, RouteDoc } from '../runtime/router'
import { withContractServices } from '../runtime/services'
import type { ContractDeps } from '../use-cases/contracts/deps'
import { runOnce } from '../use-cases/contracts/run-once'
import { requestContext } from './request-context'
import { signedIn } from './signed-in'

export type ContractServicesCall<B> = { deps: ContractDeps; userId: string; body: B; params: Record<string, string>; event: HttpEvent; request: EvidenceContext }

export type ContractServicesRouteOptions = {
  status?: number
  idempotent?: boolean
  doc: RouteDoc
  /** The OpenAPI tag. */
  tag: string
  /** The answer to a session that is not a user's (e.g. a signing-link session). */
  userOnly: string
  /** Checks the path parameters first: an error answer, or undefined when they are well-formed. */
  checkParams?: (params: Record<string, string>) => HttpResult | undefined
}

/**
 * A route for a logged-in user (a `user` session) served with the contracts services (contracts,
 * templates): path parameters checked, the JSON body parsed against `schema`, one use case run, its
 * `Result` answered. With `idempotent`, an `Idempotency-Key` header makes a retry return the first
 * answer (use-cases/contracts/run-once.ts).
 */
export function contractServicesRoute<S extends z.ZodType | undefined>(
  method: Route['method'],
  path: string,
  schema: S,
  run: (c: ContractServicesCall<S extends z.ZodType ? z.infer<S> : undefined>) => Promise<Result<unknown>>,
  options: ContractServicesRouteOptions,
): Route {
  return {
    method,
    path,
    doc: { tags: [options.tag], ...(schema ? { body: schema } : {}), ...(options.status ? { responseStatus: options.status } : {}), ...options.doc },
    handle: signedIn(async (event, { deps, params, session, remainingTimeMs }) => {
      const refused = options.checkParams?.(params)
      if (refused) return refused
      let body: unknown = undefined
      if (schema) {
        const parsed = parseJsonBody(event, schema)
        if (!parsed.ok) return fromDomainError(parsed.error)
        body = parsed.value
      }
      const services = await withContractServices(deps)
      const call = async () => {
        const result = await run({ deps: services, userId: session.sub, body: body as S extends z.ZodType ? z.infer<S> : undefined, params, event, request: requestContext(event, session.sub) })
        return result.ok ? { statusCode: options.status ?? 200, body: result.value } : errorAnswer(result.error)
      }
      if (!options.idempotent) {
        const answer = await call()
        return json(answer.statusCode, answer.body)
      }
      const once = await runOnce(services, { userId: session.sub, key: header(event, 'idempotency-key'), fingerprint: `${method} ${event.rawPath ?? path}\n${event.body ?? ''}`, remainingTimeMs }, call)
      if (!once.ok) return fromDomainError(once.error)
      return json(once.value.statusCode, once.value.body, once.value.replayed ? { 'idempotent-replayed': 'true' } : {})
    }, options.userOnly),
  }
}
