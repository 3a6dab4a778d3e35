import { createHash } from 'node:crypto'
import { verifyEvidenceProofs, type EvidenceProofs } from '../../../cloud-functions/core/evidence/evidence-proofs'
import { inclusionProofFromLevels, leafHash, merkleLevels } from '../../../cloud-functions/core/evidence/merkle'

const sha = (s: string) => createHash('sha256').update(s).digest('hex')

/** A contract's 5 record hashes, mixed among 11 other contracts' hashes in one checkpoint of 16 leaves. */
function fixture(): { eventHashes: string[]; proofs: EvidenceProofs } {
  const eventHashes = [1, 2, 3, 4, 5].map((n) => sha(`C-1 record ${n}`))
  const all = Array.from({ length: 16 }, (_, i) => (i % 3 === 0 && i / 3 < 5 ? eventHashes[i / 3] : sha(`other ${i}`)))
  const levels = merkleLevels(all.map((h) => leafHash(Buffer.from(h, 'hex'))))
  const root = levels[levels.length - 1][0].toString('hex')
  return {
    eventHashes,
    proofs: {
      checkpoints: [{ id: 'CP-1', root, treeSize: all.length, timestampToken: '', at: '2026-12-04T00:00:00.000Z' }],
      proofs: eventHashes.map((eventHash, k) => ({
        seq: k + 1,
        eventHash,
        checkpointId: 'CP-1',
        leafIndex: k * 3,
        path: inclusionProofFromLevels(levels, k * 3).map((b) => b.toString('hex')),
      })),
    },
  }
}

describe('verifyEvidenceProofs (pure)', () => {
  it('accepts the proofs of every record of a contract', () => {
    const { eventHashes, proofs } = fixture()
    expect(verifyEvidenceProofs(proofs, eventHashes, { requireAll: true })).toEqual({ ok: true, value: { proven: 5 } })
  })

  it('names the first broken link: a record whose chain hash differs from its proof', () => {
    const { eventHashes, proofs } = fixture()
    const edited = [...eventHashes]
    edited[2] = sha('forged')
    const checked = verifyEvidenceProofs(proofs, edited)
    expect(checked.ok).toBe(false)
    if (!checked.ok) {
      expect(checked.error).toMatchObject({ seq: 3, reason: 'hash-mismatch' })
      expect(checked.error.message).toContain('第 3 条')
    }
  })

  it('refuses a proof whose event hash was swapped consistently (root mismatch), an altered path, an unknown checkpoint and a missing proof', () => {
    const swapped = fixture()
    swapped.proofs.proofs[1].eventHash = sha('forged')
    swapped.eventHashes[1] = sha('forged')
    expect(verifyEvidenceProofs(swapped.proofs, swapped.eventHashes)).toMatchObject({ ok: false, error: { seq: 2, reason: 'root-mismatch' } })

    const altered = fixture()
    altered.proofs.proofs[3].path[0] = sha('x')
    expect(verifyEvidenceProofs(altered.proofs, altered.eventHashes)).toMatchObject({ ok: false, error: { seq: 4, reason: 'root-mismatch' } })

    const short = fixture()
    short.proofs.proofs[0].path.pop()
    expect(verifyEvidenceProofs(short.proofs, short.eventHashes)).toMatchObject({ ok: false, error: { seq: 1, reason: 'bad-proof' } })

    const unknown = fixture()
    unknown.proofs.proofs[4].checkpointId = 'CP-9'
    expect(verifyEvidenceProofs(unknown.proofs, unknown.eventHashes)).toMatchObject({ ok: false, error: { seq: 5, reason: 'unknown-checkpoint' } })

    const missing = fixture()
    missing.proofs.proofs.splice(2, 1)
    expect(verifyEvidenceProofs(missing.proofs, missing.eventHashes).ok).toBe(true) // not yet checkpointed is allowed…
    expect(verifyEvidenceProofs(missing.proofs, missing.eventHashes, { requireAll: true })).toMatchObject({ ok: false, error: { seq: 3, reason: 'missing-proof' } })

    const malformed = fixture()
    malformed.proofs.checkpoints[0].root = 'zz'
    expect(verifyEvidenceProofs(malformed.proofs, malformed.eventHashes)).toMatchObject({ ok: false, error: { seq: 1, reason: 'malformed' } })
  })
})
