import { ApiError } from '@/services/api-client'

/** The server's user-facing message (or the client's, for network failures). */
export function errorMessage(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err)
}
