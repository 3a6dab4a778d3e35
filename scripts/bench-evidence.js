#!/usr/bin/env node
'use strict'
/**
 * npm run bench:evidence [-- --json]
 *
 * The evidence chain and its checkpoints, in process, on the compiled build/:
 *   - append: 500 appends of a party.viewed record to one chain in a SQLite metadata store
 *     (temporary folder, `synchronous=NORMAL` as the server opens it by default;
 *     `BENCH_SQLITE_SYNCHRONOUS=full` for an fsync per commit): head read + conditional put, as
 *     `appendEvidence` does (median);
 *   - checkpoint: the RFC 6962 Merkle tree over 100,000 event hashes, its root and the inclusion
 *     proof (hex audit path) of every event (`merkleTreeFromHex` in `core/evidence/merkle.ts`, as a
 *     checkpoint and its proofs use it);
 *   - verify: `verifyEvidenceProofs` over the proofs of 10,000 events in one checkpoint.
 * Targets: append p50 ≤ 2 ms, checkpoint ≤ 1000 ms, verify ≤ 1000 ms. Exit 1 when one is missed.
 * With --json the last line is {"append_p50_ms","checkpoint_100k_ms","verify_10k_ms"}.
 */
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const BUILD = path.join(__dirname, '..', 'build', 'cloud-functions')
const { appendEvidence } = require(path.join(BUILD, 'use-cases/evidence/append-evidence'))
const { SqliteMetadataStore } = require(path.join(BUILD, 'adapters/local/sqlite-metadata-store'))
const { merkleTreeFromHex } = require(path.join(BUILD, 'core/evidence/merkle'))
const { verifyEvidenceProofs } = require(path.join(BUILD, 'core/evidence/evidence-proofs'))

const json = process.argv.includes('--json')
/** As the server opens its store (`ESIGN_SQLITE_SYNCHRONOUS`, default normal); `BENCH_SQLITE_SYNCHRONOUS=full` measures the per-commit fsync. */
const SYNCHRONOUS = (process.env.BENCH_SQLITE_SYNCHRONOUS ?? 'normal').toUpperCase() === 'FULL' ? 'FULL' : 'NORMAL'
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex')
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6

async function benchAppend() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-evidence-'))
  const store = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock: { now: () => new Date() }, synchronous: SYNCHRONOUS })
  try {
    const times = []
    for (let i = 0; i < 500; i++) {
      const event = { type: 'party.viewed', data: { contractId: 'BENCH-1', partyId: `P-${i}`, documentHash: sha(`doc ${i}`) } }
      const t0 = process.hrtime.bigint()
      const r = await appendEvidence({ metadata: store }, { event, at: new Date() })
      times.push(ms(t0))
      if (!r.ok) throw new Error(r.error.message)
    }
    times.sort((a, b) => a - b)
    return times[Math.floor(times.length / 2)]
  } finally {
    await store.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function benchCheckpoint(n) {
  const hashes = Array.from({ length: n }, (_, i) => sha(`event ${i}`))
  const t0 = process.hrtime.bigint()
  const tree = merkleTreeFromHex(hashes)
  const root = tree.root
  const proofs = hashes.map((eventHash, i) => ({ seq: i + 1, eventHash, checkpointId: 'CP', leafIndex: i, path: tree.path(i) }))
  return { elapsed: ms(t0), root, proofs, hashes }
}

function benchVerify() {
  const { root, proofs, hashes } = benchCheckpoint(10000)
  const input = { checkpoints: [{ id: 'CP', root, treeSize: hashes.length, timestampToken: '', at: new Date().toISOString() }], proofs }
  const t0 = process.hrtime.bigint()
  const checked = verifyEvidenceProofs(input, hashes, { requireAll: true })
  const elapsed = ms(t0)
  if (!checked.ok) throw new Error(checked.error.detail)
  return elapsed
}

async function main() {
  const append = await benchAppend()
  const checkpoint = benchCheckpoint(100000).elapsed
  const verify = benchVerify()
  const rows = [
    ['append p50', append, 2],
    ['checkpoint 100k events', checkpoint, 1000],
    ['verify 10k proofs', verify, 1000],
  ]
  for (const [name, value, target] of rows) console.log(`${name}: ${value.toFixed(2)} ms (target ≤ ${target} ms, ratio ${(target / value).toFixed(2)})`)
  if (json) console.log(JSON.stringify({ append_p50_ms: +append.toFixed(3), checkpoint_100k_ms: +checkpoint.toFixed(1), verify_10k_ms: +verify.toFixed(1) }))
  if (rows.some(([, value, target]) => value > target)) process.exitCode = 1
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
