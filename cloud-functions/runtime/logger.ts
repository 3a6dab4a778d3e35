import pino, { type Logger } from 'pino'
import { redactForLog } from '../core/shared/mask'

export type { Logger }

/**
 * The JSON logger: one line per record, `requestId` bound per request with `logger.child`.
 * Every record passes through `redactForLog`, so ID numbers, phones, bank accounts, codes and
 * secrets never reach the output, whatever a caller passes.
 */
export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  const logger = pino(
    {
      level: options.level,
      base: { service: 'qianyue' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (record) => redactForLog(record) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const safe = args.map((a) => (typeof a === 'string' ? (redactForLog(a) as string) : a)) as Parameters<typeof method>
          return method.apply(this, safe)
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  )
  // Child bindings (`logger.child({ phone })`) never pass through `formatters.log`; clean them
  // on the way in. Children inherit this method, so grandchildren are covered too.
  const child = logger.child
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactForLog(bindings) as typeof bindings, childOptions)
  } as Logger['child']
  return logger
}
