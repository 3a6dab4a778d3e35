import { createHash } from 'node:crypto'
import type { EvidenceEvent, IntentConfirmedData } from '../../../cloud-functions/core/evidence/evidence-event'
import { chainEvent, evidenceRecordHash, GENESIS_PREV_HASH, verifyChain, type EvidenceRecord } from '../../../cloud-functions/core/evidence/hash-chain'

const T0 = new Date('2026-03-01T04:00:00Z')
const at = (s: number) => new Date(T0.getTime() + s * 1000)
const hex = (s: string) => createHash('sha256').update(s).digest('hex')

const intent = (n: number, contractId = 'C-1'): EvidenceEvent => ({
  type: 'INTENT_CONFIRMED',
  data: { contractId, signerId: `S-${n}`, proofId: `P-${n}`, documentHash: hex('document'), method: n % 2 ? 'sms' : 'face', proofHash: hex(`proof ${n}`) },
})

/** A valid chain of `n` INTENT_CONFIRMED records, one second apart. */
const chainOf = (n: number, contractId = 'C-1'): EvidenceRecord[] => {
  const records: EvidenceRecord[] = []
  for (let i = 1; i <= n; i++) records.push(chainEvent(records.at(-1), intent(i, contractId), at(i)))
  return records
}

/** `record` with its content changed and its own hash recomputed (what a forger with write access can do). */
const rehashed = (record: EvidenceRecord): EvidenceRecord => ({ ...record, hash: evidenceRecordHash(record) })

describe('evidence hash chain (pure)', () => {
  it('links records: seq from 1, prevHash 64 zeros then the previous hash', () => {
    // Act
    const [a, b, c] = chainOf(3)

    // Assess
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3])
    expect(a.prevHash).toBe(GENESIS_PREV_HASH)
    expect(GENESIS_PREV_HASH).toMatch(/^0{64}$/)
    expect(b.prevHash).toBe(a.hash)
    expect(c.prevHash).toBe(b.hash)
    expect(a.at).toBe('2026-03-01T04:00:01.000Z')
    expect(verifyChain([a, b, c])).toEqual({ ok: true, value: { length: 3, head: c.hash } })
  })

  it('hashes the RFC 8785 canonical JSON of { seq, prevHash, at, type, data }: deterministic for fixed input', () => {
    // Prepare: the same event with its data keys in another order.
    const event = intent(1)
    const shuffled = { type: event.type, data: Object.fromEntries(Object.entries(event.data).reverse()) } as EvidenceEvent
    const canonical =
      '{"at":"2026-03-01T04:00:00.000Z","data":{"contractId":"C-1","documentHash":"' + hex('document') + '","method":"sms","proofHash":"' + hex('proof 1') +
      '","proofId":"P-1","signerId":"S-1"},"prevHash":"' + '0'.repeat(64) + '","seq":1,"type":"INTENT_CONFIRMED"}'

    // Act
    const first = chainEvent(undefined, event, T0)
    const again = chainEvent(undefined, shuffled, T0)

    // Assess
    expect(first.hash).toBe(hex(canonical))
    expect(first.hash).toBe('e66af6ffc6c9d35e1397e90160b0ac61d02c9281a6bb8b60eef8e920c19b9157')
    expect(again.hash).toBe(first.hash)
    expect(chainEvent(undefined, event, at(1)).hash).not.toBe(first.hash)
    expect(chainEvent(first, event, T0).hash).toBe(chainEvent(first, event, T0).hash)
  })

  it('does not change the previous record', () => {
    const [a] = chainOf(1)
    const copy = structuredClone(a)
    chainEvent(a, intent(2), at(2))
    expect(a).toEqual(copy)
  })

  it('an empty chain verifies with length 0 and the genesis value as head', () => {
    expect(verifyChain([])).toEqual({ ok: true, value: { length: 0, head: GENESIS_PREV_HASH } })
  })

  type Tamper = (r: EvidenceRecord[]) => EvidenceRecord[]
  const data2 = (r: EvidenceRecord[]) => r[1].data as IntentConfirmedData
  const edited = (r: EvidenceRecord, data: IntentConfirmedData): EvidenceRecord => ({ ...r, data }) as EvidenceRecord
  it.each<{ name: string; tamper: Tamper; seq: number; reason: string }>(
    [
      { name: 'an edited event (document hash)', tamper: (r) => [r[0], edited(r[1], { ...data2(r), documentHash: hex('other document') }), r[2], r[3]], seq: 2, reason: 'hash-mismatch' },
      { name: 'an edited event (method)', tamper: (r) => [r[0], edited(r[1], { ...data2(r), method: 'sms' }), r[2], r[3]], seq: 2, reason: 'hash-mismatch' },
      { name: 'an edited time', tamper: (r) => [r[0], { ...r[1], at: '2020-01-01T00:00:00.000Z' }, r[2], r[3]], seq: 2, reason: 'hash-mismatch' },
      { name: 'an edited event, re-hashed', tamper: (r) => [r[0], rehashed(edited(r[1], { ...data2(r), signerId: 'S-9' })), r[2], r[3]], seq: 3, reason: 'prev-hash-mismatch' },
      { name: 'a removed event (middle)', tamper: (r) => [r[0], r[2], r[3]], seq: 2, reason: 'seq-mismatch' },
      { name: 'a removed event (first)', tamper: (r) => r.slice(1), seq: 1, reason: 'seq-mismatch' },
      { name: 'a removed event, the rest renumbered and re-hashed', tamper: (r) => [r[0], rehashed({ ...r[2], seq: 2 }), rehashed({ ...r[3], seq: 3 })], seq: 2, reason: 'prev-hash-mismatch' },
      { name: 'a reordered event', tamper: (r) => [r[0], r[2], r[1], r[3]], seq: 2, reason: 'seq-mismatch' },
      { name: 'a reordered event, seq numbers swapped back', tamper: (r) => [r[0], { ...r[2], seq: 2 }, { ...r[1], seq: 3 }, r[3]], seq: 2, reason: 'prev-hash-mismatch' },
      { name: 'an inserted event', tamper: (r) => [r[0], r[1], chainEvent(r[1], intent(9), at(9)), r[2], r[3]], seq: 4, reason: 'seq-mismatch' },
      { name: 'a forged hash', tamper: (r) => [r[0], { ...r[1], hash: hex('forged') }, r[2], r[3]], seq: 2, reason: 'hash-mismatch' },
      { name: 'a forged hash on the head', tamper: (r) => [r[0], r[1], r[2], { ...r[3], hash: hex('forged') }], seq: 4, reason: 'hash-mismatch' },
      { name: 'a forged first record (other genesis value)', tamper: (r) => [rehashed({ ...r[0], prevHash: hex('elsewhere') }), r[1], r[2], r[3]], seq: 1, reason: 'prev-hash-mismatch' },
      { name: 'an unknown event type', tamper: (r) => [r[0], rehashed({ ...r[1], type: 'CONTRACT_DELETED' } as unknown as EvidenceRecord), r[2], r[3]], seq: 2, reason: 'unknown-type' },
    ],
  )('detects $name (seq $seq: $reason)', ({ tamper, seq, reason }) => {
    // Prepare
    const records = chainOf(4)
    expect(verifyChain(records).ok).toBe(true)

    // Act
    const r = verifyChain(tamper(records))

    // Assess
    expect(r).toEqual({ ok: false, error: { code: 'EVIDENCE_CHAIN_BROKEN', message: expect.any(String), details: { seq, reason } } })
  })

  it('refuses a valid chain of another contract when the contract is given', () => {
    const other = chainOf(2, 'C-2')
    expect(verifyChain(other).ok).toBe(true)
    expect(verifyChain(other, { contractId: 'C-1' })).toMatchObject({ ok: false, error: { details: { seq: 1, reason: 'wrong-contract' } } })
  })

  it('a chain cut at its end still verifies, with another length and head: the external anchor detects that', () => {
    const records = chainOf(3)
    const full = verifyChain(records)
    const cut = verifyChain(records.slice(0, 2))
    expect(cut).toEqual({ ok: true, value: { length: 2, head: records[1].hash } })
    expect(full.ok && cut.ok && full.value.head !== cut.value.head).toBe(true)
  })
})
