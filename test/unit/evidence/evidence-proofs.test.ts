import { createHash } from 'node:crypto'
import { verifyEvidenceProofs, type EvidenceProofs } from '../../../cloud-functions/core/evidence/evidence-proofs'
import { hexLevels, inclusionPathHex, inclusionProofFromLevels, leafHash, merkleLevels } from '../../../cloud-functions/core/evidence/merkle'

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

describe('verifyEvidenceProofs over many proofs of one tree (shared upper levels)', () => {
  /** Every leaf of a 1,000-leaf tree (not a power of two: the right edge carries nodes up) proven, with hex paths. */
  function wholeTree(n = 1000): { eventHashes: string[]; proofs: EvidenceProofs } {
    const eventHashes = Array.from({ length: n }, (_, i) => sha(`record ${i}`))
    const levels = hexLevels(merkleLevels(eventHashes.map((h) => leafHash(Buffer.from(h, 'hex')))))
    return {
      eventHashes,
      proofs: {
        checkpoints: [{ id: 'CP-9', root: levels[levels.length - 1][0], treeSize: n, timestampToken: '', at: '2026-12-04T00:00:00.000Z' }],
        proofs: eventHashes.map((eventHash, i) => ({ seq: i + 1, eventHash, checkpointId: 'CP-9', leafIndex: i, path: inclusionPathHex(levels, i) })),
      },
    }
  }

  it('hex levels give the same paths as the Buffer levels', () => {
    const leaves = Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from(sha(`l ${i}`), 'hex')))
    const levels = merkleLevels(leaves)
    const hex = hexLevels(levels)
    for (let i = 0; i < leaves.length; i++) expect(inclusionPathHex(hex, i)).toEqual(inclusionProofFromLevels(levels, i).map((b) => b.toString('hex')))
  })

  it('accepts every proof of the tree', () => {
    const { eventHashes, proofs } = wholeTree()
    expect(verifyEvidenceProofs(proofs, eventHashes, { requireAll: true })).toEqual({ ok: true, value: { proven: 1000 } })
  })

  it.each([
    ['an upper path entry of a later proof', (p: string[]) => p.length - 1],
    ['the lowest path entry of a later proof', () => 0],
    ['a middle path entry of a later proof', (p: string[]) => Math.floor(p.length / 2)],
  ])('still refuses %s changed after earlier proofs of the same tree were accepted', (_name, pick) => {
    const { eventHashes, proofs } = wholeTree()
    const target = proofs.proofs[777]
    const at = pick(target.path)
    target.path = target.path.map((h, i) => (i === at ? sha('forged node') : h))
    const checked = verifyEvidenceProofs(proofs, eventHashes)
    expect(checked).toMatchObject({ ok: false, error: { seq: 778, reason: 'root-mismatch' } })
  })

  it('refuses a later proof with an extra path entry', () => {
    const { eventHashes, proofs } = wholeTree()
    proofs.proofs[500].path = [...proofs.proofs[500].path, sha('extra')]
    expect(verifyEvidenceProofs(proofs, eventHashes)).toMatchObject({ ok: false, error: { seq: 501 } })
  })
})
