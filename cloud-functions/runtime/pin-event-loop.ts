import fs from 'node:fs'
import { allowedCpus, setThreadCpus } from '../adapters/cpu/thread-affinity'

/** `ESIGN_EVENT_LOOP_CPU`: `auto`, `off`, or a CPU number. */
export type EventLoopCpuSetting = 'auto' | 'off' | number

export type EventLoopPin =
  | { pinned: number; cpus: number[] }
  | { pinned: undefined; reason: string }

/** The CPUs the process was allowed before its event loop was pinned: the set threads started later go back to. */
let threadCpus: number[] | undefined

/**
 * The CPUs a thread started after the pin should run on (the process's CPUs before it), or
 * undefined when the event loop is not pinned (a new thread then inherits the right set anyway).
 */
export function cpusForNewThreads(): number[] | undefined {
  return threadCpus
}

/**
 * Of `allowed`, the CPU that has served the fewest device interrupts so far: the sum of its column
 * over the numbered rows of `/proc/interrupts` (disk, network and other devices; not the timer or
 * the rescheduling IPIs, which every CPU takes). Ties: the lowest number. Undefined when the text
 * names none of them.
 */
export function leastInterruptedCpu(interrupts: string, allowed: readonly number[]): number | undefined {
  const lines = interrupts.split('\n')
  const columns = (lines[0] ?? '').trim().split(/\s+/).map((h) => (/^CPU(\d+)$/.exec(h) ? Number(h.slice(3)) : -1))
  if (columns.some((c) => c < 0)) return undefined
  const totals = new Map<number, number>(columns.map((c) => [c, 0]))
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/)
    if (!/^\d+:$/.test(fields[0] ?? '')) continue
    for (let i = 0; i < columns.length; i++) {
      const n = Number(fields[i + 1])
      if (Number.isFinite(n)) totals.set(columns[i]!, totals.get(columns[i]!)! + n)
    }
  }
  let best: number | undefined
  for (const cpu of [...allowed].sort((a, b) => a - b)) {
    if (!totals.has(cpu)) continue
    if (best === undefined || totals.get(cpu)! < totals.get(best)!) best = cpu
  }
  return best
}

/**
 * Pin the local server's event loop (the main thread, whose id is the process id) to one CPU,
 * leaving every other thread free to run on all the process's CPUs. `auto`: the allowed CPU that
 * serves the fewest device interrupts, when the process may use at least two.
 *
 * Why: on this project's 2-vCPU machine the disk's completion interrupts all land on one vCPU, and
 * an event loop the scheduler moves onto that vCPU loses time to them: with the event loop kept on
 * the other one, bench:flow alternated in blocks of 50 on one server gave +1.9 to +6.0 % contracts/s
 * in five of five runs (≈ 4.8 % on average) and less CPU per contract; pinned to the vCPU that takes
 * those interrupts, −0.3 and +0.6 % (README, Benchmarks).
 *
 * Threads inherit the mask of the thread that starts them, so call it once the long-lived threads
 * exist (libuv's pool, V8's); a worker started later (the CPU pool's, on demand) widens its own
 * set back to {@link cpusForNewThreads} when it starts.
 */
export function pinEventLoop(setting: EventLoopCpuSetting, read: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): EventLoopPin {
  if (setting === 'off') return { pinned: undefined, reason: 'ESIGN_EVENT_LOOP_CPU=off' }
  if (process.platform !== 'linux') return { pinned: undefined, reason: 'not Linux' }
  const cpus = allowedCpus()
  if (!cpus) return { pinned: undefined, reason: 'the allowed CPUs are unknown' }
  let target: number | undefined
  if (setting === 'auto') {
    if (cpus.length < 2) return { pinned: undefined, reason: 'one CPU' }
    try {
      target = leastInterruptedCpu(read('/proc/interrupts'), cpus)
    } catch {
      target = undefined
    }
    if (target === undefined) return { pinned: undefined, reason: '/proc/interrupts is not readable' }
  } else {
    if (!cpus.includes(setting)) return { pinned: undefined, reason: `CPU ${setting} is not one of this process's CPUs (${cpus.join(',')})` }
    target = setting
  }
  if (!setThreadCpus(process.pid, [target])) return { pinned: undefined, reason: 'taskset failed or is missing' }
  threadCpus = cpus
  return { pinned: target, cpus }
}
