import type { z } from 'zod'
import type { Session } from '../core/auth/session-token'
import { err, type Result } from '../core/shared/result'
import { authenticate } from '../runtime/authenticate'
import { errorResponse, fromDomainError, parseJsonBody, type HttpEvent, type HttpResult } from '../runtime/http'
import type { Route, RouteContext, RouteDoc } from '../runtime/router'
import { withIdentityServices, type ContainerWithIdentity } from '../runtime/services'

/**
 * The one login check of the HTTP handlers: the caller's session from `Authorization: Bearer`
 * (401 `UNAUTHENTICATED` / `SESSION_EXPIRED` without a valid one), then `handle`. With `userOnly`
 * (its text is the message), a signing-link session is refused with 403 `FORBIDDEN`.
 *
 * @example
 * { method: 'GET', path: '/api/seals/mine', handle: signedIn(async (_e, { deps, session }) => …, '请使用账号登录') }
 */
export function signedIn(handle: (event: HttpEvent, ctx: RouteContext & { session: Session }) => Promise<HttpResult>, userOnly?: string): Route['handle'] {
  return async (event, ctx) => {
    const session = await authenticate(event, ctx.deps)
    if (!session.ok) return fromDomainError(session.error)
    if (userOnly && session.value.kind !== 'user') return errorResponse('FORBIDDEN', userOnly)
    return handle(event, { ...ctx, session: session.value })
  }
}

/** A signed-in caller (user session, or a signing link acting for its account) with the identity services. */
export type Caller = { deps: ContainerWithIdentity; userId: string; session: Session }

/**
 * A route for a signed-in caller with the identity services and (optionally) a JSON body of
 * `schema` (400 `BAD_JSON` / `VALIDATION_FAILED`): the identity and signing handlers' routes.
 * `doc` describes it for /api/openapi.json; its `body` is `schema`.
 */
export function callerRoute<S extends z.ZodType | undefined>(
  method: Route['method'],
  path: string,
  schema: S,
  run: (c: Caller, body: S extends z.ZodType ? z.infer<S> : undefined, params: Record<string, string>, event: HttpEvent) => Promise<HttpResult>,
  doc?: Omit<RouteDoc, 'body'>,
): Route {
  return {
    method,
    path,
    ...(doc ? { doc: { ...doc, ...(schema ? { body: schema } : {}) } } : {}),
    handle: signedIn(async (event, { deps, params, session }) => {
      let body: unknown = undefined
      if (schema) {
        const parsed = parseJsonBody(event, schema)
        if (!parsed.ok) return fromDomainError(parsed.error)
        body = parsed.value
      }
      const caller: Caller = { deps: await withIdentityServices(deps), userId: session.sub, session }
      return run(caller, body as S extends z.ZodType ? z.infer<S> : undefined, params, event)
    }),
  }
}

/** A signing-link session may act only for its own contract and signer. */
export function sameSigner(session: Session, target: { contractId: string; signerId: string }): Result<void> {
  if (session.kind === 'signing-link' && (session.contractId !== target.contractId || session.signerId !== target.signerId)) {
    return err('FORBIDDEN', '签署链接只能用于其所属的合同和签署人')
  }
  return { ok: true, value: undefined }
}
