import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../support/local-app'

/**
 * Issue 10 #1: `npm start` supervises the server as a service manager would. The real start
 * script; the server process it started is killed (as a crash or the OOM killer would), the
 * supervisor logs it and starts a new one that answers /api/health on the same port with the same
 * data; Ctrl-C then still exits 0.
 */
const ROOT = path.resolve(__dirname, '../..')

jest.setTimeout(180_000)

describe('npm start supervisor', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-supervise-'))
  let supervisor: ChildProcess | undefined
  let out = ''

  afterAll(() => {
    if (supervisor && supervisor.exitCode === null) supervisor.kill('SIGKILL')
    for (const pid of serverPids()) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  const serverPids = () => [...out.matchAll(/server process (\d+) started/g)].map((m) => Number(m[1]))

  function waitFor(pattern: RegExp, count: number, timeoutMs = 90_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now()
      const tick = () => {
        if ((out.match(new RegExp(pattern.source, 'g')) ?? []).length >= count) return resolve()
        if (supervisor?.exitCode !== null) return reject(new Error(`npm start exited with ${supervisor?.exitCode}:\n${out}`))
        if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern} ×${count}:\n${out}`))
        setTimeout(tick, 100)
      }
      tick()
    })
  }

  it('restarts a killed server and still stops cleanly on Ctrl-C', async () => {
    const port = await freePort()
    supervisor = spawn(process.execPath, [path.join(ROOT, 'scripts/start.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), ESIGN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    supervisor.stdout!.on('data', (d) => (out += d))
    supervisor.stderr!.on('data', (d) => (out += d))
    await waitFor(/is running at http/, 1)
    const url = `http://127.0.0.1:${port}`
    expect((await fetch(`${url}/api/health`)).status).toBe(200)

    const [first] = serverPids()
    expect(first).toBeGreaterThan(0)
    expect(first).not.toBe(supervisor.pid)
    process.kill(first!, 'SIGKILL')

    await waitFor(/is running at http/, 2)
    expect(out).toMatch(/服务进程意外退出（signal SIGKILL），\d+ ms 后重启/)
    const pids = serverPids()
    expect(pids).toHaveLength(2)
    expect(pids[1]).not.toBe(first)
    const health = await fetch(`${url}/api/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok' })

    const code = await new Promise<number | null>((resolve) => {
      supervisor!.once('exit', (c) => resolve(c))
      supervisor!.kill('SIGINT')
    })
    expect(code).toBe(0)
    await expect(fetch(`${url}/api/health`)).rejects.toThrow()
  })
})
