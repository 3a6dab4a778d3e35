import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { Container } from '../../cloud-functions/runtime/container'
import { freePort, type TestApp } from './local-app'

const SERVER = path.resolve(__dirname, '../../build/cloud-functions/runtime/local-server-main.js')

/** The compiled local server in a child process of its own (so a test can kill -9 it), and a TestApp that calls it over HTTP. */
export type ServerProcess = { child: ChildProcess; app: TestApp }

/**
 * Starts `build/…/local-server-main.js` on a free port over `dataDir` (no ticks: the test drives
 * them), answering once `/api/health` does. `app.deps` holds only the operator token (the outbox
 * reads need it); the store is the child's.
 */
export async function startServerProcess(o: { dataDir: string; operatorToken: string; stderr?: 'inherit' | 'ignore'; env?: Record<string, string> }): Promise<ServerProcess> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: npm run build:server`)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, ESIGN_DATA_DIR: o.dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ESIGN_OPERATOR_TOKEN: o.operatorToken, ESIGN_PUBLIC_BASE_URL: url, ESIGN_TICK_SECONDS: '0', ...o.env },
    stdio: ['ignore', 'ignore', o.stderr ?? 'ignore'],
  })
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) break
    } catch {
      // not listening yet
    }
    if (i === 599 || child.exitCode !== null) throw new Error('the local server did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  const deps = { config: { operatorToken: o.operatorToken, mode: 'local' } } as unknown as Container
  return { child, app: { url, deps, dataDir: o.dataDir, logs: () => '', stop: async () => undefined } }
}

/** kill -9, and wait until the process is gone. */
export async function killServerProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return
  const exited = new Promise((r) => server.child.once('exit', r))
  server.child.kill('SIGKILL')
  await exited
}
