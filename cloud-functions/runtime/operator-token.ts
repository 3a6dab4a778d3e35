import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { err, ok, type Result } from '../core/shared/result'
import type { Container } from './container'
import { header, type HttpEvent } from './http'

const generated = new WeakMap<object, string>()

/**
 * The operator token that opens the sandbox outbox: `ESIGN_OPERATOR_TOKEN`, else (local mode only)
 * one generated per process — the local server prints it at start, as Jupyter does. AWS mode
 * without `ESIGN_OPERATOR_TOKEN` has none: the outbox stays closed (each Lambda would make its own).
 */
export function operatorToken(deps: Container): string | undefined {
  if (deps.config.operatorToken) return deps.config.operatorToken
  if (deps.config.mode !== 'local') return undefined
  // Keyed by the metadata store, which the router's per-request copies of the container share.
  let token = generated.get(deps.metadata)
  if (!token) {
    token = randomBytes(24).toString('hex')
    generated.set(deps.metadata, token)
  }
  return token
}

/**
 * Whether the request carries the operator token, as `?token=` or `X-Operator-Token`:
 * `OPERATOR_TOKEN_INVALID` (401) otherwise. Compared in constant time.
 */
export function checkOperatorToken(event: HttpEvent, deps: Container): Result<void> {
  const expected = operatorToken(deps)
  const given = header(event, 'x-operator-token') ?? event.queryStringParameters?.token
  if (!expected || !given || !sameSecret(given, expected)) {
    return err('OPERATOR_TOKEN_INVALID', '沙箱发件箱需要运维口令（启动时打印在控制台，或 ESIGN_OPERATOR_TOKEN）')
  }
  return ok(undefined)
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}
