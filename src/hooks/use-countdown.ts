import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * The resend countdown of an SMS code button: `start(seconds)` counts `left` down to 0 once a
 * second (a new start replaces the running one); the timer stops when the page goes away.
 */
export function useCountdown(): { left: number; start: (seconds: number) => void } {
  const [left, setLeft] = useState(0)
  const timer = useRef<ReturnType<typeof setInterval>>()
  useEffect(() => () => clearInterval(timer.current), [])
  const start = useCallback((seconds: number) => {
    setLeft(seconds)
    clearInterval(timer.current)
    timer.current = setInterval(() => setLeft((w) => (w <= 1 ? (clearInterval(timer.current), 0) : w - 1)), 1000)
  }, [])
  return { left, start }
}
