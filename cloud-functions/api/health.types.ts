import * as z from 'zod'

/** `GET /api/health` → 200 (the front end imports it as a type; the schema describes it in /api/openapi.json). */
export type HealthResponse = {
  status: 'ok'
  /** The product version (package.json). */
  version: string
  /** `local` (SQLite + filesystem) or `aws` (DynamoDB + S3). */
  mode: 'local' | 'aws'
  storage: {
    objects: { kind: string; version: string }
    metadata: { kind: string; version: string }
  }
}

const ZStorageVersion = z.object({ kind: z.string(), version: z.string() })

/** {@link HealthResponse} for the OpenAPI document. */
export const ZHealthResponse = z.object({
  status: z.literal('ok'),
  version: z.string().describe('产品版本（package.json）'),
  mode: z.enum(['local', 'aws']),
  storage: z.object({ objects: ZStorageVersion, metadata: ZStorageVersion }),
}) satisfies z.ZodType<HealthResponse>
