/**
 * 批量签署 (issue 16) over HTTP on the real local server with the sandbox providers: one intent
 * confirmation for several contracts, each contract then signed on its own (its own signature,
 * revision and evidence), one failure not undoing the others. Every signed PDF is judged by pdfsig,
 * qpdf --check and esign verify.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { intentProofHash, type IntentProof } from '../../cloud-functions/core/identity/intent-proof'
import { intentProofKey } from '../../cloud-functions/use-cases/signing/records'
import { contractFlow, slot, waitForCompletionCheckpoint, type Person } from '../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { ManualClock } from '../support/manual-clock'
import { requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(900_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
/** The app's clock: moved 61 s before each new intent code (one code per phone per minute). */
const clock = new ManualClock()
const tmp = tempDir('contracts-batch-')
const judge = (pdf: Uint8Array, name: string) => judgeContractPdf(pdf, { dir: tmp, name, dataDir: app.dataDir })
let sender: Person
let signer: Person
let first: Person
let stranger: Person

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  app = await startTestApp({}, { clock })
  flow = contractFlow(app)
  sender = await flow.verifiedPerson('周发起', '13900016001', 161)
  signer = await flow.verifiedPerson('吴批签', '13900016002', 162)
  first = await flow.verifiedPerson('郑先签', '13900016003', 163)
  stranger = await flow.verifiedPerson('王旁人', '13900016004', 164)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

type Item = { contractId: string; signerId: string; documentHash: string }

/** A sent contract from `from` to `signers` (party ids A, B, …) in `order`; `text` adds a required text field for the last signer. */
async function sentContract(from: Person, signers: Person[], order: string[][], o: { title?: string; text?: boolean } = {}): Promise<string> {
  const ids = signers.map((_, i) => String.fromCharCode(65 + i))
  const documentId = await flow.upload(from.token, await makePdf('Batch', 1))
  const created = await flow.call('POST', '/api/contracts', {
    title: o.title ?? '采购订单',
    documentId,
    parties: signers.map((p, i) => ({ partyId: ids[i], role: 'signer', kind: 'person', name: p.name, phone: p.phone })),
    order,
    fields: [
      ...signers.map((_, i) => ({ fieldId: `s${i}`, partyId: ids[i], kind: 'signature', page: 0, rect: slot(i) })),
      ...(o.text ? [{ fieldId: 'addr', partyId: ids[signers.length - 1], kind: 'text', required: true, maxLength: 20, label: '地址', page: 0, rect: slot(0, 300) }] : []),
    ],
    deadline: new Date(clock.now().getTime() + 7 * 86400_000).toISOString(),
  }, from.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  const sent = await flow.call('POST', `/api/contracts/${created.body.contractId}/send`, undefined, from.token)
  expect([sent.status, sent.body.error]).toEqual([200, undefined])
  return created.body.contractId
}

/** The batch page's preview of `ids` for `who`. */
async function preview(who: Person, ids: string[]) {
  const r = await flow.call('POST', '/api/contracts/batch-sign/preview', { contractIds: ids }, who.token)
  expect([r.status, r.body.error]).toEqual([200, undefined])
  return r.body.items as Array<Item & { ready: boolean; title: string; error?: { code: string } }>
}

/** One SMS code for the whole batch, then its confirmation: the batch proof view. */
async function batchIntent(who: Person, items: Item[]) {
  clock.advanceSeconds(61)
  const sent = await flow.call('POST', '/api/signing/intent/batches/sms-codes', { items }, who.token)
  expect([sent.status, sent.body.error]).toEqual([202, undefined])
  const code = ((await flow.outbox(who.phone)) as Array<{ code?: string }>).find((e) => e.code)!.code
  const confirmed = await flow.call('POST', '/api/signing/intent/batches', { items, method: 'sms', code }, who.token)
  expect([confirmed.status, confirmed.body.error]).toEqual([201, undefined])
  return confirmed.body
}

const batchSign = (who: Person, body: unknown) => flow.call('POST', '/api/contracts/batch-sign', body, who.token, { 'idempotency-key': randomUUID() })

describe('批量签署', () => {
  it('five contracts, one intent; the middle one is not the signer\'s turn yet: four signed and judged valid, the fifth untouched and signable later', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      // The third waits for another signer first.
      ids.push(i === 2 ? await sentContract(sender, [first, signer], [['A'], ['B']], { title: '采购订单 3' }) : await sentContract(sender, [signer], [['A']], { title: `采购订单 ${i + 1}` }))
    }
    const shown = await preview(signer, ids)
    expect(shown.map((i) => [i.ready, i.error?.code])).toEqual([[true, undefined], [true, undefined], [false, 'NOT_YOUR_TURN'], [true, undefined], [true, undefined]])
    const items: Item[] = shown.map((i) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash }))
    const before = await Promise.all(ids.map(async (id) => (await flow.call('GET', `/api/contracts/${id}`, undefined, signer.token)).body))
    // The preview's hashes are the prepared documents.
    expect(items.map((i) => i.documentHash)).toEqual(before.map((c) => c.document.preparedSha256))

    const batch = await batchIntent(signer, items)
    // The proof names every contract and the hash it will sign; read back, it is the same.
    expect(batch.items.map((i: Item) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash }))).toEqual(items)
    expect(batch).toMatchObject({ method: 'sms', proofHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const readBack = await flow.call('GET', `/api/signing/intent/batches/${batch.batchId}`, undefined, signer.token)
    expect([readBack.status, readBack.body]).toEqual([200, batch])
    // Another account cannot read it.
    const foreign = await flow.call('GET', `/api/signing/intent/batches/${batch.batchId}`, undefined, stranger.token)
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND'])
    // Each contract's own proof names the batch and its hash (stored, and chained as evidence).
    const key = intentProofKey(items[0]!, batch.items[0].proofId)
    const stored = (await app.deps.metadata.get(key.pk, key.sk))!.proof as IntentProof
    expect(stored).toMatchObject({ contractId: ids[0], documentHash: items[0]!.documentHash, userId: signer.userId, batchId: batch.batchId, batchHash: batch.proofHash })
    expect(intentProofHash(stored)).toBe(batch.items[0].proofHash)
    const chain = await verifyEvidenceChain(app.deps, { contractId: ids[0]! })
    expect(chain.ok && chain.value.records.find((r) => r.type === 'intent.confirmed')?.data).toMatchObject({ batchId: batch.batchId, batchHash: batch.proofHash, proofHash: batch.items[0].proofHash })

    const signatureId = await flow.personalSeal(signer)
    const done = await batchSign(signer, { batchId: batch.batchId, contractIds: ids, signatureId })
    expect(done.status).toBe(200)
    expect(done.body.items.map((i: { contractId: string; status: string; error?: { code: string; status: number } }) => [i.contractId, i.status, i.error?.code, i.error?.status])).toEqual([
      [ids[0], 'signed', undefined, undefined],
      [ids[1], 'signed', undefined, undefined],
      [ids[2], 'failed', 'NOT_YOUR_TURN', 409],
      [ids[3], 'signed', undefined, undefined],
      [ids[4], 'signed', undefined, undefined],
    ])
    expect(done.body.items[2].error.message).toMatch(/[\u4e00-\u9fa5]/)
    expect([done.body.signed, done.body.failed]).toEqual([4, 1])

    // Each signed contract has its own revision with one valid signature.
    for (const n of [0, 1, 3, 4]) {
      const after = await flow.call('GET', `/api/contracts/${ids[n]}`, undefined, signer.token)
      expect(after.body.status).toBe('completed')
      expectJudgedValid(judge(await flow.download(signer.token, ids[n]!), `batch-${n}`), { signed: 1, completed: true })
      const types = await verifyEvidenceChain(app.deps, { contractId: ids[n]! })
      expect(types.ok && types.value.records.map((r) => r.type)).toEqual(expect.arrayContaining(['intent.confirmed', 'identity.verified', 'party.signed']))
    }
    // The failed one is untouched: no revision, no signature, no party.signed record.
    const untouched = await flow.call('GET', `/api/contracts/${ids[2]}`, undefined, signer.token)
    expect(untouched.body.document.latestSha256).toBe(before[2].document.latestSha256)
    expect(untouched.body.parties.find((p: { partyId: string }) => p.partyId === 'B').status).not.toBe('signed')
    const chain2 = await verifyEvidenceChain(app.deps, { contractId: ids[2]! })
    expect(chain2.ok && chain2.value.records.some((r) => r.type === 'party.signed')).toBe(false)
    // The batch read back shows which proofs were used.
    const used = await flow.call('GET', `/api/signing/intent/batches/${batch.batchId}`, undefined, signer.token)
    expect(used.body.items.map((i: { usedAt?: string }) => i.usedAt !== undefined)).toEqual([true, true, false, true, true])
    // Each proof signs once: the same batch again signs nothing twice (the contract is completed).
    const again = await batchSign(signer, { batchId: batch.batchId, contractIds: [ids[0]], signatureId })
    expect(again.body.items[0]).toMatchObject({ status: 'failed', error: { code: 'CONTRACT_CLOSED' } })

    // Later, once the first signer has signed, the contract is signed on its own.
    expect((await flow.sign(first, ids[2]!, 'A')).body.status).toBe('signed')
    clock.advanceSeconds(61)
    const later = await flow.sign(signer, ids[2]!, 'B', { signatureId })
    expect([later.status, later.body.status]).toEqual([200, 'signed'])
    expectJudgedValid(judge(await flow.download(signer.token, ids[2]!), 'batch-later'), { signed: 2, completed: true })
  })

  it('a contract revoked by its sender between intent and sign fails alone (409 CONTRACT_CLOSED); the other is signed', async () => {
    const ids = [await sentContract(sender, [signer], [['A']]), await sentContract(sender, [signer], [['A']])]
    const items = (await preview(signer, ids)).map((i) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash }))
    const batch = await batchIntent(signer, items)
    const revoked = await flow.call('POST', `/api/contracts/${ids[0]}/revoke`, { reason: '条款有误' }, sender.token)
    expect(revoked.status).toBe(200)
    const done = await batchSign(signer, { batchId: batch.batchId, contractIds: ids, signatureId: await flow.personalSeal(signer) })
    expect(done.body.items.map((i: { status: string; error?: { code: string; status: number } }) => [i.status, i.error?.code, i.error?.status])).toEqual([
      ['failed', 'CONTRACT_CLOSED', 409],
      ['signed', undefined, undefined],
    ])
    expectJudgedValid(judge(await flow.download(signer.token, ids[1]!), 'revoked-other'), { signed: 1, completed: true })
    // Its evidence package (intent.confirmed naming the batch, party.signed, the report) passes the offline verifier.
    await waitForCompletionCheckpoint(flow.call, ids[1]!, signer.token)
    const res = await fetch(`${app.url}/api/contracts/${ids[1]}/evidence/package`, { headers: { authorization: `Bearer ${signer.token}` } })
    expect(res.status).toBe(200)
    const file = path.join(tmp, 'batch-package.zip')
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()))
    const verified = spawnSync('node', [path.resolve('bin/esign.js'), 'evidence', 'verify', file, '--json'], { env: { ...process.env, ESIGN_DATA_DIR: app.dataDir }, encoding: 'utf8', timeout: 120_000 })
    expect([verified.status, JSON.parse(verified.stdout).valid]).toEqual([0, true])
  })

  it('a batch proof is only for its contracts: another contract of the signer → that item 403; someone else\'s contract → that item 404; another account\'s batch → 403', async () => {
    const inBatch = await sentContract(sender, [signer], [['A']])
    const notInBatch = await sentContract(sender, [signer], [['A']])
    const others = await sentContract(sender, [stranger], [['A']])
    const items = (await preview(signer, [inBatch])).map((i) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash }))
    // Someone else's contract cannot go into a batch intent at all.
    const foreignIntent = await flow.call('POST', '/api/signing/intent/batches/sms-codes', { items: [...items, { contractId: others, signerId: 'A', documentHash: items[0]!.documentHash }] }, signer.token)
    expect([foreignIntent.status, foreignIntent.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    expect((await preview(signer, [others]))[0]).toMatchObject({ ready: false, error: { code: 'CONTRACT_NOT_FOUND' } })

    const batch = await batchIntent(signer, items)
    const signatureId = await flow.personalSeal(signer)
    const done = await batchSign(signer, { batchId: batch.batchId, contractIds: [notInBatch, others, inBatch], signatureId })
    expect(done.body.items.map((i: { status: string; error?: { code: string; status: number } }) => [i.status, i.error?.code, i.error?.status])).toEqual([
      ['failed', 'INTENT_PROOF_INVALID', 403],
      ['failed', 'CONTRACT_NOT_FOUND', 404],
      ['signed', undefined, undefined],
    ])
    // The contract not in the batch is untouched; the per-contract proof does not sign it on the single route either.
    const single = await flow.call('POST', `/api/contracts/${notInBatch}/sign`, { intentProofId: batch.items[0].proofId, signatureId }, signer.token)
    expect([single.status, single.body.error.code]).toEqual([403, 'INTENT_PROOF_INVALID'])
    // The batch belongs to the signer's account.
    const stolen = await batchSign(stranger, { batchId: batch.batchId, contractIds: [others], signatureId })
    expect([stolen.status, stolen.body.error.code]).toEqual([403, 'INTENT_PROOF_INVALID'])
  })

  it('a face check instead of a code confirms the batch once; a challenge made for one selection does not confirm another', async () => {
    const ids = [await sentContract(sender, [signer], [['A']]), await sentContract(sender, [signer], [['A']])]
    const items = (await preview(signer, ids)).map((i) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash }))
    const started = await flow.call('POST', '/api/signing/intent/batches/face', { items }, signer.token)
    expect([started.status, started.body.error]).toEqual([200, undefined])
    const passed = await fetch(started.body.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=pass', redirect: 'manual' })
    expect(passed.status).toBe(303)
    const other = await flow.call('POST', '/api/signing/intent/batches', { items: [items[0]], method: 'face', challengeId: started.body.challengeId }, signer.token)
    expect([other.status, other.body.error.code]).toEqual([403, 'INTENT_PROOF_INVALID'])
    const confirmed = await flow.call('POST', '/api/signing/intent/batches', { items, method: 'face', challengeId: started.body.challengeId }, signer.token)
    expect([confirmed.status, confirmed.body.method, confirmed.body.items.length]).toEqual([201, 'face', 2])
    const done = await batchSign(signer, { batchId: confirmed.body.batchId, contractIds: ids, signatureId: await flow.personalSeal(signer) })
    expect(done.body.items.map((i: { status: string }) => i.status)).toEqual(['signed', 'signed'])
  })

  it('a contract with fields to fill is refused from a batch with its reason; over 50 contracts is refused before anything', async () => {
    const withText = await sentContract(sender, [signer], [['A']], { text: true })
    const shown = await preview(signer, [withText])
    expect(shown[0]).toMatchObject({ ready: false, error: { code: 'FIELD_VALUE_INVALID', message: expect.stringContaining('填写') } })
    const items = shown.map((i) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash }))
    const batch = await batchIntent(signer, items)
    const done = await batchSign(signer, { batchId: batch.batchId, contractIds: [withText], signatureId: await flow.personalSeal(signer) })
    expect(done.body.items[0]).toMatchObject({ status: 'failed', error: { code: 'FIELD_VALUE_INVALID', status: 400 } })
    const untouched = await flow.call('GET', `/api/contracts/${withText}`, undefined, signer.token)
    expect(untouched.body.document.latestSha256).toBe(untouched.body.document.preparedSha256)

    const many = Array.from({ length: 51 }, (_, i) => `c${i}`)
    const over = await batchSign(signer, { batchId: batch.batchId, contractIds: many, signatureId: 'x' })
    expect([over.status, over.body.error.code, over.body.error.details.fields[0].message]).toEqual([400, 'VALIDATION_FAILED', '一次最多批量签署 50 份合同'])
    const overIntent = await flow.call('POST', '/api/signing/intent/batches/sms-codes', { items: many.map((contractId) => ({ contractId, signerId: 'A', documentHash: items[0]!.documentHash })) }, signer.token)
    expect([overIntent.status, overIntent.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const overPreview = await flow.call('POST', '/api/contracts/batch-sign/preview', { contractIds: many }, signer.token)
    expect([overPreview.status, overPreview.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])

    // A batch proof lasts 10 minutes.
    const fresh = await sentContract(sender, [signer], [['A']])
    const late = await batchIntent(signer, (await preview(signer, [fresh])).map((i) => ({ contractId: i.contractId, signerId: i.signerId, documentHash: i.documentHash })))
    clock.advanceSeconds(601)
    const expired = await batchSign(signer, { batchId: late.batchId, contractIds: [fresh], signatureId: 'x' })
    expect([expired.status, expired.body.error.code]).toEqual([403, 'INTENT_PROOF_INVALID'])
  })
})
