import { join } from 'node:path'

/**
 * Configuration defaults shared by `runtime/config.ts` (the server) and the CLI. Import-free, so
 * `esign` can read them without loading the schema library (its start-up stays ≈ 60 ms). Only
 * `node:path` is imported.
 */
export const DEFAULT_PORT = 8787
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_DATA_DIR = './.esign-data'

/** `ESIGN_PUBLIC_BASE_URL`, else `http://HOST:PORT` (defaults above), without trailing slashes: where CRL, OCSP and TSA URLs point. */
export function publicBaseUrlFrom(env: { ESIGN_PUBLIC_BASE_URL?: string; HOST?: string; PORT?: string | number }): string {
  const url = env.ESIGN_PUBLIC_BASE_URL || `http://${env.HOST || DEFAULT_HOST}:${env.PORT || DEFAULT_PORT}`
  return url.replace(/\/+$/, '')
}

/** `ESIGN_DATA_DIR`, else the default (relative to the working directory). */
export function dataDirFrom(env: { ESIGN_DATA_DIR?: string }): string {
  return env.ESIGN_DATA_DIR || DEFAULT_DATA_DIR
}

/**
 * The local metadata store's SQLite file in a data folder: the server (`runtime/container.ts`) and
 * `esign sign` (which records its event certificates there) open the same file; WAL lets both write.
 */
export function metadataFileIn(dataDir: string): string {
  return join(dataDir, 'metadata.sqlite')
}
