import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import type { Clock } from '../../cloud-functions/ports/clock'
import { ALL_ROUTES } from '../../cloud-functions/handlers/all-routes'
import { loadConfig } from '../../cloud-functions/runtime/config'
import { createContainer, type Container } from '../../cloud-functions/runtime/container'
import { closeCpuWork } from '../../cloud-functions/runtime/cpu-work'
import { startLocalServer } from '../../cloud-functions/runtime/local-server'
import { createLogger } from '../../cloud-functions/runtime/logger'

export type TestApp = {
  url: string
  deps: Container
  dataDir: string
  /** Every log line the app wrote, parsed. */
  logs: () => string
  stop: () => Promise<void>
}

/**
 * The real local server on a free port, with its own temp data folder and a captured log.
 * `makeLogger` replaces the product's (PII-masking) logger, e.g. with a plain pino logger so a test
 * can prove the code never hands personal data to the logger at all. `clock` (e.g. a
 * `ManualClock`) replaces the system clock for the whole app.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { makeLogger?: (level: string, sink: Writable) => Container['logger']; clock?: Clock } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-app-'))
  const config = loadConfig({ ESIGN_DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'debug', ...env }, process.cwd())
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const logger = options.makeLogger ? options.makeLogger(config.logLevel, sink) : createLogger({ level: config.logLevel, destination: sink })
  const deps = await createContainer(config, logger, 'test', options.clock ? { clock: options.clock } : {})
  const server = await startLocalServer(deps, ALL_ROUTES)
  return {
    url: server.url,
    deps,
    dataDir,
    logs: () => lines.join(''),
    stop: async () => {
      await server.close()
      await closeCpuWork(deps)
      await deps.metadata.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A small real PDF (pdf-lib), `pages` pages of text. */
export async function makePdf(text = 'Qianyue test contract', pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`${text} - page ${i + 1}`, { x: 50, y: 780, size: 14, font })
  return doc.save({ useObjectStreams: false })
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const net = await import('node:net')
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as import('node:net').AddressInfo
      s.close(() => resolve(port))
    })
  })
}
