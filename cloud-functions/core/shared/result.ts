/**
 * Expected outcomes are values, not exceptions (see docs/ARCHITECTURE.md).
 *
 * @example
 * const r = parseThing(input)
 * if (!r.ok) return r            // r.error.code is a closed union
 * use(r.value)
 */
export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E }

/** A typed, expected failure. `code` comes from `api/error-codes.ts`. */
export type DomainError<C extends string = string> = {
  code: C
  message: string
  details?: Record<string, unknown>
}

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value })
export const err = <C extends string>(
  code: C,
  message: string,
  details?: Record<string, unknown>,
): { ok: false; error: DomainError<C> } => ({ ok: false, error: details ? { code, message, details } : { code, message } })
