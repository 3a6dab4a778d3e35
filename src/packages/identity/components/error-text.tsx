import { Text } from '@tarojs/components'
import { ApiError } from '@/services/api-client'

/** The user-facing text of a failed call: the server's message (already Chinese), or the client's. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message
  return err instanceof Error ? err.message : String(err)
}

/** A red error box, absent when there is no error. */
export default function ErrorText({ error, id }: { error?: string; id?: string }) {
  return error ? <Text className='error' id={id ?? 'identity-error'}>{error}</Text> : null
}
