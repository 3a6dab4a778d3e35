/**
 * 审批 (issue 16) over HTTP on the real local server: a company admin sets the approval policy; a
 * send that meets it waits (pending_approval) until every named approver approved — in order or in
 * any order — and then goes out exactly as a plain send does (prepared PDF, signing link; the
 * signer signs and pdfsig judges the signature); a rejection with its comment returns it to draft,
 * and the next send is a new round; strangers, non-approvers and double decisions are refused; a
 * batch decision with one failing item keeps the others; each step is in the evidence chain.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Contract } from '../../cloud-functions/core/contracts/contract'
import type { EvidenceRecord } from '../../cloud-functions/core/evidence/hash-chain'
import { memberKey } from '../../cloud-functions/use-cases/identity/records'
import { contractKey } from '../../cloud-functions/use-cases/contracts/records'
import { evidencePartition } from '../../cloud-functions/use-cases/evidence/records'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { requireTools, run, tempDir } from '../support/pdf-tools'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'

let app: TestApp
let flow: ReturnType<typeof contractFlow>
let admin: Person
let amy: Person
let bob: Person
let carl: Person
let signer: Person
let outsider: Person
let companyId: string
const policyPath = () => `/api/companies/${companyId}/approval-policy`

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  app = await startTestApp({ ESIGN_TICK_SECONDS: '0' })
  flow = contractFlow(app)
  ;[admin, amy, bob, carl, signer, outsider] = await Promise.all([
    flow.verifiedPerson('钱管理', '13900008101', 181),
    flow.verifiedPerson('周审批', '13900008102', 182),
    flow.verifiedPerson('吴审批', '13900008103', 183),
    flow.verifiedPerson('郑审批', '13900008104', 184),
    flow.verifiedPerson('李签署', '13900008105', 185),
    flow.verifiedPerson('王路人', '13900008106', 186),
  ])
  companyId = app.deps.ids.newId()
  await flow.verifiedCompany(companyId, '审批测试科技有限公司', admin, [amy, bob, carl])
  // Members carry their names (as an accepted invitation writes them).
  for (const p of [amy, bob, carl]) await app.deps.metadata.put({ ...memberKey(companyId, p.userId), type: 'member', companyId, userId: p.userId, role: 'operator', name: p.name })
}, 120_000)
afterAll(async () => {
  await app?.stop()
})

const setPolicy = async (policy: Record<string, unknown>, token = admin.token) => flow.call('PUT', policyPath(), policy, token)

/** A company draft by `admin` to `signer` (one signature field). */
const bodies = new Map<string, Record<string, unknown>>()
let drafts = 0
async function draft(title: string): Promise<string> {
  const documentId = await flow.upload(admin.token, await makePdf(`Approval contract ${++drafts}`, 1))
  const body = {
    title,
    documentId,
    senderCompanyId: companyId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: signer.name, phone: signer.phone }],
    order: [['A']],
    fields: [{ fieldId: 's', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(Date.now() + 7 * 86400_000).toISOString(),
  }
  const created = await flow.call('POST', '/api/contracts', body, admin.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  bodies.set(created.body.contractId, body)
  return created.body.contractId
}

const send = (id: string) => flow.call('POST', `/api/contracts/${id}/send`, undefined, admin.token, { 'idempotency-key': randomUUID() })
const decide = (who: Person, items: Array<{ contractId: string; decision: 'approve' | 'reject'; comment?: string }>) => flow.call('POST', '/api/approvals/decide', { items }, who.token)
const detail = (id: string, who: Person = admin) => flow.call('GET', `/api/contracts/${id}`, undefined, who.token)
const evidenceTypes = async (id: string) => (await app.deps.metadata.query(evidencePartition(id), { skPrefix: 'SEQ#' })).items.map((i) => (i.record as EvidenceRecord).type)

describe('policy', () => {
  it('admins read and set it; operators and outsiders are refused; approvers must be members; bad input changes nothing', async () => {
    const initial = await flow.call('GET', policyPath(), undefined, admin.token)
    expect([initial.status, initial.body.scope, initial.body.approvers]).toEqual([200, 'off', []])
    expect((await flow.call('GET', policyPath(), undefined, amy.token)).status).toBe(403)
    expect((await setPolicy({ scope: 'all', approvers: [amy.userId] }, amy.token)).status).toBe(403)
    expect((await setPolicy({ scope: 'all', approvers: [amy.userId] }, outsider.token)).status).toBe(403)
    const notMember = await setPolicy({ scope: 'all', approvers: [amy.userId, outsider.userId] })
    expect([notMember.status, notMember.body.error.code]).toEqual([400, 'APPROVER_NOT_MEMBER'])
    expect((await setPolicy({ scope: 'all', approvers: [] })).body.error.code).toBe('VALIDATION_FAILED')
    expect((await setPolicy({ scope: 'all', approvers: Array.from({ length: 11 }, (_, i) => `u${i}`) })).status).toBe(400)
    expect((await setPolicy({ scope: 'templates', templateIds: [], approvers: [amy.userId] })).status).toBe(400)
    expect((await setPolicy({ scope: 'all', approvers: [amy.userId, amy.userId] })).status).toBe(400)
    expect((await flow.call('GET', policyPath(), undefined, admin.token)).body.scope).toBe('off')
    const set = await setPolicy({ scope: 'all', approvers: [amy.userId, bob.userId], order: 'sequential' })
    expect([set.status, set.body.scope, set.body.order, set.body.approvers]).toEqual([200, 'all', 'sequential', [{ userId: amy.userId, name: amy.name }, { userId: bob.userId, name: bob.name }]])
  })
})

describe('the gate at send', () => {
  it('rejected: back to draft with the comment shown to the sender; editing and sending again starts a new round', async () => {
    await setPolicy({ scope: 'all', approvers: [amy.userId], order: 'sequential' })
    const id = await draft('驳回测试')
    const sent = await send(id)
    expect([sent.status, sent.body.status, sent.body.approval.round, sent.body.approval.approvers[0].status]).toEqual([200, 'pending_approval', 1, 'pending'])
    // The signer hears nothing while it waits, and does not see it.
    expect(((await flow.outbox(signer.phone)) as Array<{ text?: string }>).some((e) => e.text?.includes('驳回测试'))).toBe(false)
    expect((await detail(id, signer)).status).toBe(404)
    // The approver was told (in-app message).
    const messages = await flow.call('GET', '/api/messages', undefined, amy.token)
    expect(JSON.stringify(messages.body)).toContain('驳回测试')
    // A second send while pending, and editing, are refused.
    expect((await send(id)).body.error.code).toBe('APPROVAL_PENDING')
    const noComment = await decide(amy, [{ contractId: id, decision: 'reject' }])
    expect(noComment.body.results[0]).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    const rejected = await decide(amy, [{ contractId: id, decision: 'reject', comment: '金额需要复核' }])
    expect(rejected.body.results[0]).toMatchObject({ contractId: id, ok: true, status: 'draft' })
    const view = await detail(id)
    expect([view.body.status, view.body.me.canSend, view.body.approval.status, view.body.approval.approvers[0]]).toEqual([
      'draft',
      true,
      'rejected',
      expect.objectContaining({ userId: amy.userId, name: amy.name, status: 'rejected', comment: '金额需要复核', decidedAt: expect.any(String) }),
    ])
    const timeline = await flow.call('GET', `/api/contracts/${id}/timeline`, undefined, admin.token)
    expect(timeline.body.items.map((e: { text: string }) => e.text).join('\n')).toContain('驳回：金额需要复核')
    // Deciding again after the round ended → 409.
    expect((await decide(amy, [{ contractId: id, decision: 'approve' }])).body.results[0].error.code).toBe('APPROVAL_ALREADY_DECIDED')
    // Edit and send again: round 2.
    const edited = await flow.call('PUT', `/api/contracts/${id}`, { ...bodies.get(id), title: '驳回测试（修改后）' }, admin.token)
    expect(edited.status).toBe(200)
    const again = await send(id)
    expect([again.body.status, again.body.approval.round, again.body.approval.approvers[0].status]).toEqual(['pending_approval', 2, 'pending'])
    const approved = await decide(amy, [{ contractId: id, decision: 'approve', comment: '可以' }])
    expect(approved.body.results[0]).toMatchObject({ ok: true, status: 'sent' })
    expect(await evidenceTypes(id)).toEqual(expect.arrayContaining(['approval.requested', 'approval.rejected', 'approval.approved', 'contract.sent']))
    const types = await evidenceTypes(id)
    expect(types.filter((t) => t === 'approval.requested')).toHaveLength(2)
    expect(types.indexOf('approval.rejected')).toBeLessThan(types.lastIndexOf('approval.requested'))
  }, 120_000)

  it('approved by one approver: sent exactly as a plain send (link, prepared PDF) and the signer signs', async () => {
    await setPolicy({ scope: 'all', approvers: [amy.userId], order: 'sequential' })
    const id = await draft('单人审批')
    expect((await send(id)).body.status).toBe('pending_approval')
    const list = await flow.call('GET', '/api/approvals', undefined, amy.token)
    expect(list.body.waiting.find((w: { contractId: string }) => w.contractId === id)).toMatchObject({ title: '单人审批', inTurn: true, round: 1, contractStatus: 'pending_approval' })
    const r = await decide(amy, [{ contractId: id, decision: 'approve' }])
    expect(r.body.results[0]).toMatchObject({ ok: true, status: 'sent' })
    const view = await detail(id)
    expect([view.body.status, view.body.document.preparedSha256, view.body.approval.status]).toEqual(['sent', expect.stringMatching(/^[0-9a-f]{64}$/), 'approved'])
    const after = await flow.call('GET', '/api/approvals', undefined, amy.token)
    expect(after.body.waiting.some((w: { contractId: string }) => w.contractId === id)).toBe(false)
    expect(after.body.done.find((w: { contractId: string }) => w.contractId === id)).toMatchObject({ myDecision: 'approved', contractStatus: 'sent' })
    // The signer got the signing link a plain send gives.
    expect(((await flow.outbox(signer.phone)) as Array<{ text?: string; link?: string }>).some((e) => e.text?.includes('单人审批') && !!e.link)).toBe(true)
    const signed = await flow.sign(signer, id, 'A')
    expect([signed.status, signed.body.error]).toEqual([200, undefined])
    expectJudgedValid(judgeContractPdf(await flow.download(admin.token, id), { dir: tempDir(), name: 'approved', dataDir: app.dataDir }), { signed: 1, completed: true })
    const types = await evidenceTypes(id)
    expect(types.slice(types.indexOf('approval.requested'))).toEqual(expect.arrayContaining(['approval.requested', 'approval.approved', 'contract.sent', 'party.notified', 'party.signed']))
    // The approval and the send are one transition: the approved record is right before contract.sent.
    expect(types[types.indexOf('approval.approved') + 1]).toBe('contract.sent')
    // The evidence report lists them (its text read by pdftotext).
    const report = await fetch(`${app.url}/api/contracts/${id}/evidence/report`, { headers: { authorization: `Bearer ${admin.token}` } })
    expect(report.status).toBe(200)
    const file = path.join(tempDir(), 'report.pdf')
    fs.writeFileSync(file, Buffer.from(await report.arrayBuffer()))
    const text = run('pdftotext', ['-layout', file, '-']).replace(/\s+/g, '')
    for (const t of ['提交内部审批', '审批同意']) expect(text).toContain(t)
  }, 120_000)

  it('several approvers in order: the second cannot decide before the first; sent after the last', async () => {
    await setPolicy({ scope: 'all', approvers: [amy.userId, bob.userId, carl.userId], order: 'sequential' })
    const id = await draft('依次审批')
    expect((await send(id)).body.approval.approvers.map((a: { inTurn: boolean }) => a.inTurn)).toEqual([true, false, false])
    const early = await decide(bob, [{ contractId: id, decision: 'approve' }])
    expect(early.body.results[0]).toMatchObject({ ok: false, error: { code: 'APPROVAL_NOT_YOUR_TURN' } })
    expect((await flow.call('GET', '/api/approvals', undefined, bob.token)).body.waiting.find((w: { contractId: string }) => w.contractId === id)).toMatchObject({ inTurn: false })
    expect((await decide(amy, [{ contractId: id, decision: 'approve' }])).body.results[0].status).toBe('pending_approval')
    expect((await decide(bob, [{ contractId: id, decision: 'approve' }])).body.results[0].status).toBe('pending_approval')
    const waiting = await detail(id)
    expect(waiting.body.approval.approvers.map((a: { status: string; inTurn: boolean }) => [a.status, a.inTurn])).toEqual([['approved', false], ['approved', false], ['pending', true]])
    expect((await decide(carl, [{ contractId: id, decision: 'approve' }])).body.results[0].status).toBe('sent')
    expect((await evidenceTypes(id)).filter((t) => t === 'approval.approved')).toHaveLength(3)
  }, 120_000)

  it('several approvers in any order: the last of them sends it', async () => {
    await setPolicy({ scope: 'all', approvers: [amy.userId, bob.userId, carl.userId], order: 'parallel' })
    const id = await draft('无序审批')
    expect((await send(id)).body.approval.approvers.map((a: { inTurn: boolean }) => a.inTurn)).toEqual([true, true, true])
    expect((await decide(carl, [{ contractId: id, decision: 'approve' }])).body.results[0].status).toBe('pending_approval')
    expect((await decide(amy, [{ contractId: id, decision: 'approve' }])).body.results[0].status).toBe('pending_approval')
    expect((await decide(bob, [{ contractId: id, decision: 'approve' }])).body.results[0].status).toBe('sent')
  }, 120_000)

  it('not an approver: a stranger gets 404, the sender (who sees it) 403; deciding twice is 409', async () => {
    await setPolicy({ scope: 'all', approvers: [amy.userId, bob.userId], order: 'parallel' })
    const id = await draft('权限测试')
    await send(id)
    expect((await decide(outsider, [{ contractId: id, decision: 'approve' }])).body.results[0]).toMatchObject({ ok: false, error: { code: 'CONTRACT_NOT_FOUND' } })
    expect((await decide(admin, [{ contractId: id, decision: 'approve' }])).body.results[0]).toMatchObject({ ok: false, error: { code: 'NOT_AN_APPROVER' } })
    expect((await detail(id, outsider)).status).toBe(404)
    expect((await detail(id, amy)).body.me.canApprove).toBe(true)
    expect((await decide(amy, [{ contractId: id, decision: 'approve' }])).body.results[0].ok).toBe(true)
    expect((await decide(amy, [{ contractId: id, decision: 'approve' }])).body.results[0]).toMatchObject({ ok: false, error: { code: 'APPROVAL_ALREADY_DECIDED' } })
    expect((await decide(amy, [{ contractId: id, decision: 'reject', comment: '改主意' }])).body.results[0].error.code).toBe('APPROVAL_ALREADY_DECIDED')
    // Revoke works while pending approval; the round is cancelled and nobody can decide any more.
    const revoked = await flow.call('POST', `/api/contracts/${id}/revoke`, { reason: '不再需要' }, admin.token)
    expect([revoked.status, revoked.body.status, revoked.body.approval.status]).toEqual([200, 'revoked', 'cancelled'])
    expect((await decide(bob, [{ contractId: id, decision: 'approve' }])).body.results[0].error.code).toBe('APPROVAL_NOT_PENDING')
    expect((await flow.call('GET', '/api/approvals', undefined, bob.token)).body.waiting.some((w: { contractId: string }) => w.contractId === id)).toBe(false)
  }, 120_000)

  it('a batch decision with one failing item decides the others', async () => {
    await setPolicy({ scope: 'all', approvers: [amy.userId], order: 'sequential' })
    const [a, b] = [await draft('批量一'), await draft('批量二')]
    await send(a)
    await send(b)
    const r = await decide(amy, [
      { contractId: a, decision: 'approve' },
      { contractId: 'no-such-contract', decision: 'approve' },
      { contractId: b, decision: 'reject', comment: '附件缺失' },
    ])
    expect(r.status).toBe(200)
    expect(r.body.results).toEqual([
      expect.objectContaining({ contractId: a, ok: true, status: 'sent' }),
      expect.objectContaining({ contractId: 'no-such-contract', ok: false, error: expect.objectContaining({ code: 'CONTRACT_NOT_FOUND' }) }),
      expect.objectContaining({ contractId: b, ok: true, status: 'draft' }),
    ])
    expect((await detail(a)).body.status).toBe('sent')
    expect((await detail(b)).body.approval.approvers[0].comment).toBe('附件缺失')
    const bad = await flow.call('POST', '/api/approvals/decide', { items: [] }, amy.token)
    expect(bad.status).toBe(400)
  }, 120_000)

  it('policy for listed templates only: a contract from another template (or none) goes out directly; one from a listed template waits', async () => {
    await setPolicy({ scope: 'templates', templateIds: ['tpl-labour'], approvers: [amy.userId] })
    const plain = await draft('无模板')
    expect((await send(plain)).body.status).toBe('sent')
    const setTemplate = async (id: string, templateId: string) => {
      const key = contractKey(id)
      const item = (await app.deps.metadata.get(key.pk, key.sk))!
      const { version, ...rest } = item
      await app.deps.metadata.put({ ...rest, contract: { ...(item.contract as Contract), template: { templateId, version: 1 } } }, { expectedVersion: version })
    }
    const other = await draft('其他模板')
    await setTemplate(other, 'tpl-purchase')
    expect((await send(other)).body.status).toBe('sent')
    const listed = await draft('劳动合同模板')
    await setTemplate(listed, 'tpl-labour')
    expect((await send(listed)).body.status).toBe('pending_approval')
    // Turned off: sends go out directly again.
    await setPolicy({ scope: 'off' })
    expect((await send(await draft('关闭后'))).body.status).toBe('sent')
  }, 120_000)
})
