// First, before any import uses the libuv thread pool.
import './libuv-pool-size'
import fs from 'node:fs'
import { ALL_ROUTES } from '../handlers/all-routes'
import { runEvidenceTick } from '../handlers/schedule/evidence-tick'
import { runPkiTick } from '../handlers/schedule/pki-tick'
import { runRemindersTick } from '../handlers/schedule/reminders-tick'
import { runWebhooksTick } from '../handlers/schedule/webhooks-tick'
import { loadConfig, ConfigError } from './config'
import { createContainer } from './container'
import { closeCpuWork } from './cpu-work'
import { startLocalServer } from './local-server'
import { createLogger } from './logger'
import { operatorToken } from './operator-token'
import { pinEventLoop } from './pin-event-loop'
import { getPkiServices, withBulkServices } from './services'
import { resumeBulkSends } from '../use-cases/bulk/resume-bulk-sends'
import { sandboxNotice } from './sandbox-notice'
import { PRODUCT_VERSION } from './version'

/** `npm start`: the embedded default — one process, SQLite + files under ESIGN_DATA_DIR. */
async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env, process.cwd())
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`签约: ${e.message}\n`)
      process.exit(2)
    }
    throw e
  }
  const logger = createLogger({ level: config.logLevel })
  const deps = await createContainer(config, logger, PRODUCT_VERSION)
  // First start: create the platform CA now (the same <dataDir>/pki that `esign sign` and `esign ca` use) and publish its CRLs.
  const pki = await getPkiServices(deps)
  await runPkiTick(deps)
  // The event loop on a CPU of its own choosing, once libuv's pool (started by the first file call
  // on it, here at the latest) and V8's threads exist: threads inherit the mask of their creator.
  await fs.promises.access(config.dataDir)
  const pin = pinEventLoop(config.eventLoopCpu ?? 'off')
  const server = await startLocalServer(deps, ALL_ROUTES)
  // Bulk sends a stop or a crash interrupted go on (their rows' state is in the metadata store).
  resumeBulkSends(deps, async () => (await withBulkServices(deps)).bulkQueue)
    .then((n) => n > 0 && logger.info({ jobs: n }, 'bulk sends resumed'))
    .catch((error) => logger.error({ err: error }, 'resuming bulk sends failed'))
  let timer: NodeJS.Timeout | undefined
  if (config.tickSeconds > 0) {
    timer = setInterval(() => {
      runRemindersTick(deps).catch((error) => logger.error({ err: error }, 'reminders tick failed'))
      runPkiTick(deps).catch((error) => logger.error({ err: error }, 'trust services tick failed'))
      runWebhooksTick(deps).catch((error) => logger.error({ err: error }, 'webhooks tick failed'))
      runEvidenceTick(deps).catch((error) => logger.error({ err: error }, 'evidence checkpoint tick failed'))
    }, config.tickSeconds * 1000)
    timer.unref()
  }
  logger.info({ url: server.url, mode: config.mode, dataDir: config.dataDir, ca: pki.location, eventLoopCpu: pin.pinned ?? `not pinned: ${pin.reason}` }, 'server started')
  process.stdout.write(`\n签约 Qianyue ${PRODUCT_VERSION} is running at ${server.url}/  (data: ${config.dataDir}; Ctrl-C stops)\n\n`)
  const notice = sandboxNotice(config, server.url, operatorToken(deps))
  process.stdout.write(notice.info)
  if (notice.warning) process.stderr.write(notice.warning)

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    if (timer) clearInterval(timer)
    logger.info({ signal }, 'stopping')
    await server.close()
    await closeCpuWork(deps)
    await deps.metadata.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((error: unknown) => {
  const e = error as NodeJS.ErrnoException
  if (e?.code === 'EADDRINUSE') process.stderr.write(`签约: port already in use (${e.message}); set PORT to another port.\n`)
  else process.stderr.write(`签约: failed to start: ${e?.message ?? String(error)}\n`)
  process.exit(1)
})
