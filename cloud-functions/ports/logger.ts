/** One log call: structured fields first, then the message (pino's order). */
export type LogFn = (fields: Record<string, unknown>, message?: string) => void

/**
 * What use cases log through. `runtime/logger.ts` provides it (pino, personal data masked); use
 * cases see only this, so they need nothing from runtime/.
 */
export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}
