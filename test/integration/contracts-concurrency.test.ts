/**
 * Concurrency and retries over HTTP against the real local server (issues 14 and 19): twenty signers
 * of one group pressing "sign" at the same moment all land (each signature valid, no lost update);
 * a hundred contracts signed at the same moment all complete; and a retried sign with the same
 * Idempotency-Key returns the first answer and signs once.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { listContractEvents, loadContractItem } from '../../cloud-functions/use-cases/contracts/records'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { contractFlow, type Person } from '../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { startTestApp, type TestApp } from '../support/local-app'
import { requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(600_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
const tmp = tempDir('contracts-concurrency-')
const judge = (pdf: Uint8Array, name: string) => judgeContractPdf(pdf, { dir: tmp, name, dataDir: app.dataDir })
const NAMES = ['甲一', '乙二', '丙三', '丁四', '戊五', '己六', '庚七', '辛八', '壬九', '癸十', '子十一', '丑十二', '寅十三', '卯十四', '辰十五', '巳十六', '午十七', '未十八', '申十九', '酉二十']

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  app = await startTestApp()
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const sentContract = (sender: Person, signers: Person[], order: string[][]) =>
  flow.sendToPersons(sender, signers, { order, title: '多方合作协议', deadline: new Date(Date.now() + 7 * 86400_000) })

describe('twenty parallel signers pressing sign at the same moment', () => {
  it('all twenty land: twenty valid signatures, the contract completed, twenty SignerSigned in the timeline and the evidence', async () => {
    const ids = 'ABCDEFGHIJKLMNOPQRST'.split('')
    const signers = await Promise.all(NAMES.map((name, i) => flow.verifiedPerson(name, `1390000${6000 + i}`, 200 + i)))
    const id = await sentContract(signers[0]!, signers, [ids])
    // Each confirms intent and picks a seal first; then all press "sign" together.
    const ready = await Promise.all(
      signers.map(async (p, i) => ({ p, body: { intentProofId: await flow.confirmIntent(p, id, ids[i]!), signatureId: await flow.personalSeal(p) } })),
    )
    const answers = await Promise.all(ready.map(({ p, body }) => flow.call('POST', `/api/contracts/${id}/sign`, body, p.token, { 'idempotency-key': randomUUID() })))
    expect(answers.map((a) => [a.status, a.body.status ?? a.body.error?.code])).toEqual(ids.map(() => [200, 'signed']))
    // Every answer names a different revision; exactly one of them saw the contract complete.
    expect(new Set(answers.map((a) => a.body.documentSha256)).size).toBe(20)
    expect(answers.filter((a) => a.body.contract.status === 'completed')).toHaveLength(1)

    const item = await loadContractItem(app.deps.metadata, id)
    expect(item?.contract.status).toBe('completed')
    expect(Object.values(item!.contract.signers).map((s) => s.status)).toEqual(ids.map(() => 'signed'))
    const timeline = await listContractEvents(app.deps.metadata, id)
    expect(timeline.filter((e) => e.type === 'SignerSigned').map((e) => (e as { partyId: string }).partyId).sort()).toEqual(ids)
    expect(timeline.filter((e) => e.type === 'ContractCompleted')).toHaveLength(1)
    const chain = await verifyEvidenceChain(app.deps, { contractId: id })
    if (!chain.ok) throw new Error(chain.error.message)
    const evidence = chain.value.records.filter((r) => r.type === 'party.signed').map((r) => (r.data as { partyId: string }).partyId)
    expect(evidence.sort()).toEqual(ids)

    const final = judge(await flow.download(signers[0]!.token, id), 'twenty-parallel')
    expectJudgedValid(final, { signed: 20, completed: true })
    expect(final.signatures.filter((s) => s.valid).map((s) => s.commonName).sort()).toEqual([...NAMES].sort())
  })
})

/** 100 different Chinese names: surname × given name. */
const hundredName = (i: number) => `${'赵钱孙李周吴郑王冯陈'[Math.floor(i / 10)]}${'一二三四五六七八九十'[i % 10]}百`

describe('a hundred contracts signed at the same moment', () => {
  it('all hundred complete: one signature each, each recorded once with its evidence; every tenth PDF judged valid', async () => {
    const N = 100
    const sender = await flow.verifiedPerson('褚百份', '13900005000', 500)
    const signers: Person[] = []
    for (let i = 0; i < N; i += 10) signers.push(...(await Promise.all(Array.from({ length: Math.min(10, N - i) }, (_, j) => flow.verifiedPerson(hundredName(i + j), `1390000${5001 + i + j}`, 300 + i + j)))))
    const ids: string[] = []
    for (let i = 0; i < N; i += 10) ids.push(...(await Promise.all(signers.slice(i, i + 10).map((p) => sentContract(sender, [p], [['A']])))))
    const ready: Array<{ p: Person; id: string; body: object }> = []
    for (let i = 0; i < N; i += 10) {
      ready.push(...(await Promise.all(signers.slice(i, i + 10).map(async (p, j) => ({ p, id: ids[i + j]!, body: { intentProofId: await flow.confirmIntent(p, ids[i + j]!, 'A'), signatureId: await flow.personalSeal(p) } })))))
    }
    const answers = await Promise.all(ready.map(({ p, id, body }) => flow.call('POST', `/api/contracts/${id}/sign`, body, p.token, { 'idempotency-key': randomUUID() })))
    expect(answers.map((a) => `${a.status} ${a.body.contract?.status ?? a.body.error?.code}`)).toEqual(ids.map(() => '200 completed'))
    for (const id of ids) {
      const item = await loadContractItem(app.deps.metadata, id)
      expect([id, item?.contract.status, item?.contract.signers.A?.status]).toEqual([id, 'completed', 'signed'])
      expect((await listContractEvents(app.deps.metadata, id)).filter((e) => e.type === 'SignerSigned')).toHaveLength(1)
      const chain = await verifyEvidenceChain(app.deps, { contractId: id })
      if (!chain.ok) throw new Error(chain.error.message)
    }
    // Before the fix, the worker pool refused the signatures past its queue with a 500; now they wait for a slot.
    for (const [i, id] of ids.entries()) if (i % 10 === 0) expectJudgedValid(judge(await flow.download(sender.token, id), `hundred-${i}`), { signed: 1, completed: true })
  })
})

describe('Idempotency-Key on sign', () => {
  let a: Person
  let b: Person
  let id: string
  beforeAll(async () => {
    ;[a, b] = await Promise.all([flow.verifiedPerson('钱重试', '13900007001', 71), flow.verifiedPerson('孔并发', '13900007002', 72)])
    id = await sentContract(a, [a, b], [['A'], ['B']])
  })

  it('a concurrent duplicate (same key, same request) gets IDEMPOTENCY_IN_PROGRESS or the replay; the signer signs once', async () => {
    const body = { intentProofId: await flow.confirmIntent(a, id, 'A'), signatureId: await flow.personalSeal(a) }
    const key = `dup-${randomUUID()}`
    const both = await Promise.all([0, 1].map(() => flow.call('POST', `/api/contracts/${id}/sign`, body, a.token, { 'idempotency-key': key })))
    const first = both.find((r) => r.status === 200 && r.headers.get('idempotent-replayed') !== 'true')
    expect(first?.body).toMatchObject({ status: 'signed', documentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const other = both.find((r) => r !== first)!
    if (other.status === 409) expect(other.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS')
    else expect([other.status, other.headers.get('idempotent-replayed'), other.body.documentSha256]).toEqual([200, 'true', first!.body.documentSha256])
    const signed = (await listContractEvents(app.deps.metadata, id)).filter((e) => e.type === 'SignerSigned')
    expect(signed).toHaveLength(1)
  })

  it('a retried sign with the same key returns the first answer (same documentSha256, idempotent-replayed: true) and signs once', async () => {
    const body = { intentProofId: await flow.confirmIntent(b, id, 'B'), signatureId: await flow.personalSeal(b) }
    const key = `retry-${randomUUID()}`
    const first = await flow.call('POST', `/api/contracts/${id}/sign`, body, b.token, { 'idempotency-key': key })
    expect(first.status).toBe(200)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(first.body.contract.status).toBe('completed')
    const versionAfterFirst = (await loadContractItem(app.deps.metadata, id))!.version

    const retry = await flow.call('POST', `/api/contracts/${id}/sign`, body, b.token, { 'idempotency-key': key })
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([200, 'true'])
    expect(retry.body).toEqual(first.body)
    // The same key for a different request is refused; without the key, the repeat is a second attempt and the state machine refuses it.
    const reused = await flow.call('POST', `/api/contracts/${id}/sign`, { ...body, values: { x: '1' } }, b.token, { 'idempotency-key': key })
    expect([reused.status, reused.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED'])
    const fresh = await flow.call('POST', `/api/contracts/${id}/sign`, body, b.token, { 'idempotency-key': `other-${randomUUID()}` })
    expect([fresh.status, fresh.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])

    expect((await loadContractItem(app.deps.metadata, id))!.version).toBe(versionAfterFirst)
    const signed = (await listContractEvents(app.deps.metadata, id)).filter((e) => e.type === 'SignerSigned')
    expect(signed.map((e) => (e as { partyId: string }).partyId)).toEqual(['A', 'B'])
    expectJudgedValid(judge(await flow.download(b.token, id), 'idempotent'), { signed: 2, completed: true })
  })
})
