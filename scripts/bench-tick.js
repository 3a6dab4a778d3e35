#!/usr/bin/env node
/**
 * bench:tick — the reminders tick's cost grows with the number of due reminders, not the number
 * stored: SQLite metadata stores of 10,000 and 100,000 reminders (one per contract), 1,000 of them
 * due, each tick timed (claim, contract lookup, drop or send, through the real use case; the
 * contracts themselves are not stored, so each due reminder is claimed and dropped — no SMS).
 * Prints both times and their ratio; with `--json` the last line is
 * `{"tick_ms_10k", "tick_ms_100k", "due"}`. Run via `npm run bench:tick` (builds first).
 */
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const build = path.join(__dirname, '..', 'build', 'cloud-functions')
const { SqliteMetadataStore } = require(path.join(build, 'adapters', 'local', 'sqlite-metadata-store.js'))
const { sendDueReminders } = require(path.join(build, 'use-cases', 'notifications', 'send-due-reminders.js'))
const { reminderKey, reminderIndexKey } = require(path.join(build, 'use-cases', 'notifications', 'records.js'))

const DUE = 1000
const now = new Date('2026-12-04T02:00:00Z')
const clock = { now: () => now, nowSeconds: () => Math.floor(now.getTime() / 1000) }
const logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger } }

async function run(stored) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tick-'))
  const metadata = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock })
  try {
    let ops = []
    for (let i = 0; i < stored; i++) {
      const contractId = `C${String(i).padStart(8, '0')}`
      const dueAt = i < DUE ? new Date(now.getTime() - 60_000 - i) : new Date(now.getTime() + 3600_000 + i * 1000)
      ops.push({ put: { ...reminderKey(contractId, 'A', 'd1'), ...reminderIndexKey(dueAt, contractId, 'A', 'd1'), type: 'reminder', contractId, partyId: 'A', slot: 'd1', attempts: 0 } })
      if (ops.length === 25) {
        const r = await metadata.transact(ops)
        if (!r.ok) throw new Error(r.message)
        ops = []
      }
    }
    if (ops.length) await metadata.transact(ops)
    const t0 = process.hrtime.bigint()
    const counts = await sendDueReminders({ metadata, clock, logger }, DUE + 100)
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (counts.dropped !== DUE) throw new Error(`expected ${DUE} due, handled ${JSON.stringify(counts)}`)
    return ms
  } finally {
    await metadata.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function main() {
  const small = await run(10_000)
  const large = await run(100_000)
  console.log(`tick with 10,000 stored, ${DUE} due: ${small.toFixed(1)} ms`)
  console.log(`tick with 100,000 stored, ${DUE} due: ${large.toFixed(1)} ms (ratio ${(large / small).toFixed(2)}; target ≤ 1000 ms)`)
  if (process.argv.includes('--json')) console.log(JSON.stringify({ tick_ms_10k: Math.round(small), tick_ms_100k: Math.round(large), due: DUE }))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
