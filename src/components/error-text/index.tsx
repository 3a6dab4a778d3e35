import { Text } from '@tarojs/components'

/** ARIA roles Taro's `Text` props do not list; passed through as DOM attributes on H5. */
const ALERT = { role: 'alert' } as Record<string, string>
const STATUS = { role: 'status' } as Record<string, string>

/** A red error box (role=alert), absent when there is no error. */
export default function ErrorText({ error, id }: { error?: string; id?: string }) {
  return error ? (
    <Text className='error' id={id} {...ALERT}>
      {error}
    </Text>
  ) : null
}

/** A blue notice box, absent when there is no notice. */
export function Notice({ text, id }: { text?: string; id?: string }) {
  return text ? (
    <Text className='notice' id={id} {...STATUS}>
      {text}
    </Text>
  ) : null
}
