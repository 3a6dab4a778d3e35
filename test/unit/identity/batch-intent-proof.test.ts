import { batchIntentProofHash, batchItemsDigest, type BatchIntentProof } from '../../../cloud-functions/core/identity/batch-intent-proof'
import { intentProofHash, type IntentProof } from '../../../cloud-functions/core/identity/intent-proof'

const H1 = '1'.repeat(64)
const H2 = '2'.repeat(64)
const items = [
  { contractId: 'c1', signerId: 'A', documentHash: H1 },
  { contractId: 'c2', signerId: 'B', documentHash: H2 },
]

describe('batch intent proof (批量签署)', () => {
  it('the items digest binds every contract, party and document hash, in order', () => {
    const d = batchItemsDigest(items)
    expect(d).toMatch(/^[0-9a-f]{64}$/)
    expect(batchItemsDigest([...items])).toBe(d)
    expect(batchItemsDigest([items[1]!, items[0]!])).not.toBe(d)
    expect(batchItemsDigest([items[0]!])).not.toBe(d)
    expect(batchItemsDigest([items[0]!, { ...items[1]!, documentHash: H1 }])).not.toBe(d)
    expect(batchItemsDigest([items[0]!, { ...items[1]!, signerId: 'C' }])).not.toBe(d)
    // Extra keys a client might send do not change what is bound.
    expect(batchItemsDigest(items.map((i) => ({ ...i, title: 'x' })))).toBe(d)
  })

  it('the proof hash changes with any named contract or hash; a single proof without a batch hashes as before', () => {
    const proof: BatchIntentProof = { v: 1, batchId: 'b1', userId: 'u1', items: items.map((i, n) => ({ ...i, proofId: `p${n}` })), method: 'sms', challengeId: 'sms:x', phoneHash: 'h', confirmedAt: '2026-12-04T00:00:00.000Z' }
    const h = batchIntentProofHash(proof)
    expect(batchIntentProofHash({ ...proof, items: [proof.items[0]!] })).not.toBe(h)
    expect(batchIntentProofHash({ ...proof, items: [proof.items[0]!, { ...proof.items[1]!, documentHash: H1 }] })).not.toBe(h)
    const single: IntentProof = { v: 1, proofId: 'p0', contractId: 'c1', signerId: 'A', userId: 'u1', documentHash: H1, method: 'sms', challengeId: 'sms:x', confirmedAt: '2026-12-04T00:00:00.000Z' }
    // The optional batch fields are left out of the canonical JSON when absent: existing proofs keep their hashes.
    expect(intentProofHash({ ...single, batchId: undefined, batchHash: undefined })).toBe(intentProofHash(single))
    expect(intentProofHash({ ...single, batchId: 'b1', batchHash: h })).not.toBe(intentProofHash(single))
  })
})
