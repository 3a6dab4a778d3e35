/** `GET /api/health` → 200. Import-free, so the front end may import it as a type. */
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
