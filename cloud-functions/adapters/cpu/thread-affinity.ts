import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

/**
 * Linux CPU affinity for one thread, through util-linux's `taskset` (Node has no call for it).
 * `sched_setaffinity` given a thread id changes that thread alone, and a thread started later
 * inherits the mask of the thread that started it.
 */

/** The calling thread's id (`/proc/thread-self`); undefined off Linux. */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop())
    return Number.isSafeInteger(tid) && tid > 0 ? tid : undefined
  } catch {
    return undefined
  }
}

/**
 * CPU numbers from a Linux CPU list (`Cpus_allowed_list`, `taskset -c`): `0-3,6` → [0, 1, 2, 3, 6].
 * Undefined for anything else.
 */
export function parseCpuList(list: string): number[] | undefined {
  const out = new Set<number>()
  for (const part of list.trim().split(',')) {
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part.trim())
    if (!m) return undefined
    const from = Number(m[1])
    const to = m[2] === undefined ? from : Number(m[2])
    if (to < from) return undefined
    for (let c = from; c <= to; c++) out.add(c)
  }
  return [...out].sort((a, b) => a - b)
}

/** The CPUs thread `tid` (default: the process's main thread) may run on; undefined when unknown. */
export function allowedCpus(tid?: number): number[] | undefined {
  try {
    const status = fs.readFileSync(tid === undefined ? '/proc/self/status' : `/proc/self/task/${tid}/status`, 'utf8')
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(status)
    return line ? parseCpuList(line[1]!) : undefined
  } catch {
    return undefined
  }
}

/**
 * Let thread `tid` run only on `cpus`. False (and nothing changed) off Linux, without `taskset`, or
 * when it is refused (a CPU outside the process's cpuset).
 */
export function setThreadCpus(tid: number, cpus: readonly number[]): boolean {
  if (process.platform !== 'linux' || cpus.length === 0 || !cpus.every((c) => Number.isSafeInteger(c) && c >= 0)) return false
  try {
    execFileSync('taskset', ['-p', '-c', cpus.join(','), String(tid)], { stdio: 'ignore', timeout: 5000 })
    return true
  } catch {
    return false
  }
}
