import os from 'node:os'
import { currentThreadId } from './thread-affinity'

/**
 * Lower the CPU priority of the calling thread by `niceness` (Linux nice steps, capped at 19), and
 * return the thread's new nice value; undefined where threads cannot be told apart (not Linux) or
 * the change is refused. Only this thread changes: Linux keeps a nice value per thread, and
 * `setpriority` given a thread id (`/proc/thread-self`) sets that thread's alone. Lowering one's
 * own priority needs no privilege.
 *
 * The local server's CPU workers call it at start (`cpu-worker.ts`): its event loop is the one
 * thread every request goes through, and on a machine with few cores the workers took the cores it
 * was waiting for. With the workers 10 steps lower, the event loop runs first whenever it has
 * work, and the workers take the time it leaves (bench:flow on 2 cores, nice 0 against 10 on one
 * build: nice 10 ahead in 6 of 7 alternated pairs, ≈ 11 % more contracts/s; see README, Performance).
 *
 * @example
 * lowerThreadPriority(10) // 10: this thread now yields to the event loop
 */
export function lowerThreadPriority(niceness: number): number | undefined {
  if (process.platform !== 'linux' || !(niceness > 0)) return undefined
  const tid = currentThreadId()
  if (tid === undefined) return undefined
  try {
    const target = Math.min(19, os.getPriority(tid) + Math.floor(niceness))
    os.setPriority(tid, target)
    return os.getPriority(tid)
  } catch {
    return undefined
  }
}
