import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { FsObjectStore } from '../../cloud-functions/adapters/local/fs-object-store'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import { loadConfig } from '../../cloud-functions/runtime/config'
import { systemIds, type Container } from '../../cloud-functions/runtime/container'
import { createIdentityServices, type IdentityDeps, type SandboxServices } from '../../cloud-functions/runtime/services'
import { createLogger } from '../../cloud-functions/runtime/logger'
import { ManualClock } from './manual-clock'

export type IdentityHarness = {
  deps: IdentityDeps & SandboxServices
  clock: ManualClock
  /** Everything the logger wrote. */
  logs: () => string
  stop: () => Promise<void>
}

/**
 * The identity use cases wired like the server wires them (local SQLite + files, sandbox providers,
 * the real personal-data key and CA in a temp folder), on a {@link ManualClock} that the metadata
 * store's TTLs follow too: limits can be table-tested by moving the clock.
 */
export async function startIdentityHarness(options: { start?: Date; env?: Record<string, string> } = {}): Promise<IdentityHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-identity-'))
  const config = loadConfig({ ESIGN_DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...options.env }, process.cwd())
  const clock = new ManualClock(options.start)
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const metadata = new SqliteMetadataStore({ file: path.join(dataDir, 'metadata.sqlite'), clock })
  const objects = new FsObjectStore({ root: path.join(dataDir, 'objects'), publicBaseUrl: config.publicBaseUrl, signingKey: new Uint8Array(32).fill(1), clock })
  const base: Container = { config, logger: createLogger({ level: 'debug', destination: sink }), clock, ids: systemIds, objects, metadata, version: 'test' }
  const services = await createIdentityServices(base)
  return {
    deps: { ...base, ...services },
    clock,
    logs: () => lines.join(''),
    stop: async () => {
      await metadata.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
