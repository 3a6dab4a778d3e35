import { useCallback, useRef, useState } from 'react'
import { errorText } from '@/services/error-text'

export type ActionState = {
  /** True while an action runs; buttons show a spinner and ignore taps. */
  busy: boolean
  /** The Chinese error text of the last failed action. */
  error?: string
  /** A success message set by the action (`setNotice`). */
  notice?: string
}

/**
 * The busy / error / notice wrapper every page shares: `run(action)` clears the messages, marks the
 * page busy, runs the action and turns a failure into its Chinese text (`errorText`). `onError`
 * lets a page refresh its data after a failure. Buttons given `loading={busy}` ignore taps meanwhile.
 */
export function useAction(options: { onError?: (err: unknown) => void | Promise<void> } = {}) {
  const [state, setState] = useState<ActionState>({ busy: false })
  const onError = useRef(options.onError)
  onError.current = options.onError

  const setNotice = useCallback((notice?: string) => setState((s) => ({ ...s, notice })), [])
  const setError = useCallback((error?: string) => setState((s) => ({ ...s, error })), [])

  const run = useCallback(async (action: () => Promise<void>): Promise<boolean> => {
    setState({ busy: true })
    try {
      await action()
      setState((s) => ({ ...s, busy: false }))
      return true
    } catch (err) {
      setState((s) => ({ ...s, busy: false, error: errorText(err) }))
      await onError.current?.(err)
      return false
    }
  }, [])

  return { ...state, run, setNotice, setError }
}
