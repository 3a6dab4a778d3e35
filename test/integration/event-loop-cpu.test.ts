/**
 * ESIGN_EVENT_LOOP_CPU on the compiled local server (`npm start`'s entry) in a process of its own:
 * the event loop (the main thread, whose id is the process id) is kept on one CPU, and every other
 * thread — libuv's pool, V8's, the CPU pool's workers, including those started after the pin —
 * runs on all the process's CPUs. Read from Linux itself (`/proc/<pid>/task/<tid>/status`).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { allowedCpus, parseCpuList } from '../../cloud-functions/adapters/cpu/thread-affinity'
import { killServerProcess, startServerProcess, type ServerProcess } from '../support/server-process'

jest.setTimeout(60_000)

const SIGNED_PDF = path.join(__dirname, '../fixtures/pdf/po-presigned.pdf')
const ours = allowedCpus()!

/** Each thread's allowed CPUs, by thread id. */
function threadCpus(pid: number): Map<number, string> {
  const out = new Map<number, string>()
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8')
    out.set(Number(tid), /^Cpus_allowed_list:\s*(.+)$/m.exec(status)![1]!)
  }
  return out
}

/** A verification runs on the CPU pool, whose workers start on demand (after the pin). */
async function verifyOnePdf(server: ServerProcess): Promise<void> {
  const res = await fetch(`${server.app.url}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: fs.readFileSync(SIGNED_PDF) })
  expect(res.status).toBe(200)
}

async function withServer(env: Record<string, string>, body: (server: ServerProcess, pid: number) => Promise<void>): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-event-loop-cpu-'))
  const server = await startServerProcess({ dataDir, operatorToken: 'o'.repeat(32), env })
  try {
    await body(server, server.child.pid!)
  } finally {
    await killServerProcess(server)
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

describe('ESIGN_EVENT_LOOP_CPU', () => {
  it('this machine lets the tests use at least two CPUs (what the pin is for)', () => {
    expect(ours.length).toBeGreaterThanOrEqual(2)
  })

  it('auto (the default): the event loop on one CPU, every other thread on all of them, before and after new CPU workers start', async () => {
    await withServer({}, async (server, pid) => {
      const before = threadCpus(pid)
      expect(before.get(pid)).toMatch(/^\d+$/)
      expect(ours).toContain(Number(before.get(pid)))
      const others = [...before].filter(([tid]) => tid !== pid)
      expect(others.length).toBeGreaterThan(10) // libuv's pool of 16 alone
      for (const [, cpus] of others) expect(parseCpuList(cpus)).toEqual(ours)
      await verifyOnePdf(server)
      const after = threadCpus(pid)
      const started = [...after.keys()].filter((tid) => !before.has(tid))
      expect(started.length).toBeGreaterThan(0)
      for (const tid of started) expect(parseCpuList(after.get(tid)!)).toEqual(ours)
      expect(after.get(pid)).toBe(before.get(pid))
    })
  })

  it('a CPU number pins it there; off leaves it on all CPUs', async () => {
    const last = ours[ours.length - 1]!
    await withServer({ ESIGN_EVENT_LOOP_CPU: String(last) }, async (_server, pid) => {
      expect(threadCpus(pid).get(pid)).toBe(String(last))
    })
    await withServer({ ESIGN_EVENT_LOOP_CPU: 'off' }, async (server, pid) => {
      await verifyOnePdf(server)
      const all = new Set(threadCpus(pid).values())
      expect(all.size).toBe(1)
      expect(parseCpuList([...all][0]!)).toEqual(ours)
    })
  })
})
