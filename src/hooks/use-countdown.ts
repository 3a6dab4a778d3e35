import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * The resend countdown of an SMS code button: `start(seconds)` counts `left` down to 0 once a
 * second (a new start replaces the running one); the timer stops when the page goes away.
 * `startAfterError(err)` starts it when the server answered SMS_RESEND_TOO_SOON (发送过于频繁), for
 * the seconds its message names (60 if it names none); other errors leave it as it is.
 */
export function useCountdown(): { left: number; start: (seconds: number) => void; startAfterError: (err: unknown) => void } {
  const [left, setLeft] = useState(0)
  const timer = useRef<ReturnType<typeof setInterval>>()
  useEffect(() => () => clearInterval(timer.current), [])
  const start = useCallback((seconds: number) => {
    setLeft(seconds)
    clearInterval(timer.current)
    timer.current = setInterval(() => setLeft((w) => (w <= 1 ? (clearInterval(timer.current), 0) : w - 1)), 1000)
  }, [])
  const startAfterError = useCallback(
    (err: unknown) => {
      const e = err as { code?: unknown; message?: unknown } | undefined
      if (e?.code === 'SMS_RESEND_TOO_SOON') start(Number(/(\d+)\s*秒/.exec(String(e.message ?? ''))?.[1] ?? 60))
    },
    [start],
  )
  return { left, start, startAfterError }
}
