import type { z } from 'zod'
import { err, ok, type Result } from '../core/shared/result'
import type { HttpEvent } from '../runtime/http'

/** A query string checked against `schema`: `VALIDATION_FAILED` (400) naming the parameters that are wrong. */
export function parseQuery<S extends z.ZodType>(event: HttpEvent, schema: S): Result<z.infer<S>> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {})
  if (parsed.success) return ok(parsed.data)
  // An unknown parameter (`.strict()`) is named by the issue's `keys`, the others by their path.
  const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || ('keys' in i ? i.keys.join('、') : ''), message: i.message }))
  return err('VALIDATION_FAILED', `查询参数不正确：${fields.map((f) => f.field || '(query)').join('、')}`, { fields })
}
