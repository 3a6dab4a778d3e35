'use strict'
/**
 * A preload for `bench:flow --alternate B` (BENCH_NODE_ARGS="--require scripts/alternate-helper-nice.js"):
 * state A runs the server's helper threads (V8's compiler and collector threads, libuv's pool: every
 * thread present once the pool has started, except the main one) 10 nice steps below the event loop,
 * state B at its priority. The CPU workers start later and lower themselves (ESIGN_CPU_WORKER_NICE) in
 * both. Going back to the event loop's priority needs root (CAP_SYS_NICE); without it state B keeps
 * them low, and the two states measure the same thing.
 *
 * Measured this way (2026-12-06 19:12–19:23 UTC, build ce2230f, 4 runs of 600 contracts in blocks of
 * 50, with the first form of this preload: the same threads and values, other signals): A against B
 * 25.70/25.12, 23.94/24.08, 28.22/26.90, 26.19/26.96 contracts/s, within the noise, so the helper
 * threads were left at the event loop's priority.
 */
const fs = require('node:fs')
const os = require('node:os')
const { isMainThread } = require('node:worker_threads')

if (isMainThread) {
  let helpers = []
  // libuv starts its whole pool (16 threads in the server) on the first task it queues.
  const look = setInterval(() => {
    const tids = fs.readdirSync('/proc/self/task').map(Number)
    if (tids.length < 16) return
    helpers = tids.filter((tid) => tid !== process.pid)
    clearInterval(look)
  }, 2)
  const setAll = (nice) => {
    for (const tid of helpers) {
      try {
        os.setPriority(tid, nice)
      } catch {
        // ended, or not allowed (raising a priority needs root)
      }
    }
  }
  process.on('SIGWINCH', () => setAll(Math.min(19, os.getPriority(process.pid) + 10)))
  process.on('SIGURG', () => setAll(os.getPriority(process.pid)))
}
