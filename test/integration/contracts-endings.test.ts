/**
 * How a contract ends other than completed, over HTTP against the real local server (issue 14):
 * decline (with a reason, others told), revoke by the sender (parties told; nobody else may), and
 * expiry with a controllable clock (the deadline passes, the scheduled tick expires it). After each,
 * signing answers 409 CONTRACT_CLOSED, the PDF signed so far stays valid (pdfsig, qpdf, esign
 * verify), and the evidence chain holds the ending.
 */
import fs from 'node:fs'
import { runRemindersTick } from '../../cloud-functions/handlers/schedule/reminders-tick'
import { listContractEvents } from '../../cloud-functions/use-cases/contracts/records'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { contractFlow, type Person } from '../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { startTestApp, type TestApp } from '../support/local-app'
import { ManualClock } from '../support/manual-clock'
import { requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(600_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
/** The app's clock: still while the tests run, moved past a deadline by the expiry test (kept small: certificates and pdfsig use real time). */
const clock = new ManualClock()
const tmp = tempDir('contracts-endings-')
const judge = (pdf: Uint8Array, name: string) => judgeContractPdf(pdf, { dir: tmp, name, dataDir: app.dataDir })
let people = 0
const person = (name: string) => {
  people += 1
  return flow.verifiedPerson(name, `1390000${String(5000 + people)}`, 50 + people)
}

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  app = await startTestApp({}, { clock })
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** A sent contract from `sender` to the persons `signers` (party ids A, B, …) in `order`. */
const sentContract = (sender: Person, signers: Person[], order: string[][], o: { deadlineSeconds?: number; title?: string } = {}) =>
  flow.sendToPersons(sender, signers, { order, ...(o.title ? { title: o.title } : {}), deadline: new Date(clock.now().getTime() + (o.deadlineSeconds ?? 7 * 86400) * 1000) })

/** A sign call as `who` with a made-up proof (enough to reach the contract's state checks). */
const signAttempt = (who: Person, id: string) => flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'proof-none', signatureId: 'sig-none' }, who.token)

async function evidenceTypes(contractId: string): Promise<string[]> {
  const chain = await verifyEvidenceChain(app.deps, { contractId })
  if (!chain.ok) throw new Error(chain.error.message)
  return chain.value.records.map((r) => r.type)
}

describe('decline', () => {
  it('a signer declines with a reason: the contract is declined, the others are told, signing after is 409 CONTRACT_CLOSED', async () => {
    const [s, a, b] = await Promise.all([person('蒋发起'), person('沈甲'), person('韩乙')])
    const id = await sentContract(s, [a, b], [['A', 'B']])
    const signedA = await flow.sign(a, id, 'A')
    expect(signedA.body.status).toBe('signed')

    const missing = await flow.call('POST', `/api/contracts/${id}/decline`, { reason: '  ' }, b.token)
    expect([missing.status, missing.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const declined = await flow.call('POST', `/api/contracts/${id}/decline`, { reason: '价格条款需要重新商议' }, b.token, { 'idempotency-key': 'decline-b-1' })
    expect(declined.status).toBe(200)
    expect(declined.body).toMatchObject({ status: 'declined', me: { canSign: false, canDecline: false } })
    expect(declined.body.parties.find((p: { partyId: string }) => p.partyId === 'B')).toMatchObject({ status: 'declined', declineReason: '价格条款需要重新商议' })

    const late = await signAttempt(b, id)
    expect([late.status, late.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
    const again = await flow.call('POST', `/api/contracts/${id}/decline`, { reason: '再次拒签' }, a.token)
    expect([again.status, again.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
    // The other signer hears who declined and why; the one who declined is not told of their own act.
    expect((await flow.outbox(a.phone))[0]).toMatchObject({ text: expect.stringContaining('已被韩乙拒签，原因：价格条款需要重新商议') })
    expect((await flow.outbox(b.phone)).some((e) => /拒签/.test((e as { text?: string }).text ?? ''))).toBe(false)
    // So does the sender, who is not a party.
    expect((await flow.outbox(s.phone))[0]).toMatchObject({ text: expect.stringContaining('已被韩乙拒签，原因：价格条款需要重新商议') })

    expect((await listContractEvents(app.deps.metadata, id)).map((e) => e.type)).toEqual(expect.arrayContaining(['SignerDeclined', 'ContractDeclined']))
    expect(await evidenceTypes(id)).toEqual(expect.arrayContaining(['party.signed', 'contract.declined']))
    // A's signature, made before the decline, stays valid; B's field stays empty.
    expectJudgedValid(judge(await flow.download(s.token, id), 'declined'), { signed: 1, fields: 2, completed: false })
  })
})

describe('revoke', () => {
  it('only the sender revokes (a party is refused, a stranger sees nothing); parties are told; signing after is 409', async () => {
    const [s, a, b, stranger] = await Promise.all([person('杨发起'), person('朱甲'), person('秦乙'), person('尤路人')])
    const id = await sentContract(s, [a, b], [['A'], ['B']])
    expect((await flow.sign(a, id, 'A')).body.status).toBe('signed')

    const byParty = await flow.call('POST', `/api/contracts/${id}/revoke`, { reason: '我想撤销' }, a.token)
    expect([byParty.status, byParty.body.error.code]).toEqual([403, 'NOT_THE_SENDER'])
    const byStranger = await flow.call('POST', `/api/contracts/${id}/revoke`, { reason: '我想撤销' }, stranger.token)
    expect([byStranger.status, byStranger.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    const before = await flow.call('GET', `/api/contracts/${id}`, undefined, s.token)
    expect(before.body.status).toBe('sent')

    const revoked = await flow.call('POST', `/api/contracts/${id}/revoke`, { reason: '合同条款有误' }, s.token, { 'idempotency-key': 'revoke-1' })
    expect(revoked.status).toBe(200)
    expect(revoked.body).toMatchObject({ status: 'revoked', closedReason: expect.stringContaining('合同条款有误') })
    const late = await signAttempt(b, id)
    expect([late.status, late.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
    const twice = await flow.call('POST', `/api/contracts/${id}/revoke`, { reason: '再撤一次' }, s.token)
    expect([twice.status, twice.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
    for (const p of [a, b]) expect((await flow.outbox(p.phone))[0]).toMatchObject({ text: expect.stringContaining('已被发起方撤销，原因：合同条款有误') })
    expect(await evidenceTypes(id)).toEqual(expect.arrayContaining(['contract.revoked']))
    expectJudgedValid(judge(await flow.download(s.token, id), 'revoked'), { signed: 1, fields: 2, completed: false })
  })
})

describe('expiry (controllable clock)', () => {
  it('the deadline passes: signing is refused at once, the scheduled tick expires the contract and tells the parties', async () => {
    const [s, a, b] = await Promise.all([person('许发起'), person('何甲'), person('吕乙')])
    const id = await sentContract(s, [a, b], [['A'], ['B']], { deadlineSeconds: 120 })
    expect((await flow.sign(a, id, 'A')).body.status).toBe('signed')
    // Before the deadline the tick leaves it alone.
    await runRemindersTick(app.deps)
    expect((await flow.call('GET', `/api/contracts/${id}`, undefined, s.token)).body.status).toBe('sent')

    clock.advanceSeconds(121)
    // Past the deadline but before the tick: already closed for signing.
    const beforeTick = await signAttempt(b, id)
    expect([beforeTick.status, beforeTick.body.error.code, beforeTick.body.error.details?.status]).toEqual([409, 'CONTRACT_CLOSED', 'expired'])

    const tick = await runRemindersTick(app.deps)
    expect(tick.expired).toBeGreaterThanOrEqual(1)
    const view = await flow.call('GET', `/api/contracts/${id}`, undefined, s.token)
    expect(view.body.status).toBe('expired')
    const afterTick = await signAttempt(b, id)
    expect([afterTick.status, afterTick.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
    // Nothing to do on the next tick.
    expect((await runRemindersTick(app.deps)).expired).toBe(0)
    for (const p of [s, a, b]) expect((await flow.outbox(p.phone))[0]).toMatchObject({ text: expect.stringContaining('已超过签署截止时间') })
    // B's signing link now says the contract has ended (not that the link is unknown or was replaced).
    const link = ((await flow.outbox(b.phone)) as Array<{ link?: string }>).find((e) => e.link?.includes('/s/'))!.link!
    const opened = await flow.call('GET', `/api/signing-links/${link.slice(link.lastIndexOf('/') + 1)}`)
    expect([opened.status, opened.body.error.code]).toEqual([403, 'LINK_EXPIRED'])
    expect(await evidenceTypes(id)).toEqual(expect.arrayContaining(['contract.expired']))
    expectJudgedValid(judge(await flow.download(s.token, id), 'expired'), { signed: 1, fields: 2, completed: false })
  })
})
