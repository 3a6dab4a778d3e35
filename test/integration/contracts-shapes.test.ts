/**
 * Contract shapes over HTTP against the real local server with sandbox providers (issue 14, Tests):
 * a company (sealed by its admin, and by a member who needs 用印审批) with a person in parallel,
 * mixed groups (A, then B and C, then D) with the SMS of each group, and "sign, then send"; the
 * contract view's company ids and 用印申请 (pending / approved / rejected). Every
 * output PDF is judged by pdfsig, qpdf --check and esign verify.
 */
import fs from 'node:fs'
import { memberKey } from '../../cloud-functions/use-cases/identity/records'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(600_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
const tmp = tempDir('contracts-shapes-')
const days = (n: number) => new Date(Date.now() + n * 86400_000).toISOString()
const judge = (pdf: Uint8Array, name: string) => judgeContractPdf(pdf, { dir: tmp, name, dataDir: app.dataDir })
/** The signing links the sandbox SMS outbox holds for `who` (newest first). */
const signingLinks = async (who: Person) => ((await flow.outbox(who.phone)) as Array<{ link?: string }>).map((e) => e.link).filter((l): l is string => typeof l === 'string' && l.includes('/s/'))

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  app = await startTestApp()
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('a company and a person in parallel (order [[C, P]])', () => {
  let admin: Person
  let operator: Person
  let sealId: string
  /** A company id as the identity area makes them (26 characters, base32). */
  let companyId: string
  const companyName = '华南示例科技有限公司'

  beforeAll(async () => {
    admin = await flow.verifiedPerson('王建国', '13900002001', 21)
    operator = await flow.verifiedPerson('赵敏', '13900002002', 22)
    companyId = app.deps.ids.newId()
    await flow.verifiedCompany(companyId, companyName, admin, [operator])
    const seal = await flow.call('POST', `/api/seals/companies/${companyId}/seals`, { spec: { kind: 'company-round', companyName, sealType: '合同专用章' } }, admin.token)
    expect(seal.status).toBe(201)
    sealId = seal.body.sealId
  })

  const companyAndPerson = async (member: Person, person: Person, title: string) => {
    const documentId = await flow.upload(admin.token, await makePdf('Company and person', 3))
    const created = await flow.call('POST', '/api/contracts', {
      title,
      documentId,
      senderCompanyId: companyId,
      parties: [
        { partyId: 'C', role: 'signer', kind: 'company', companyName, member: { name: member.name, phone: member.phone } },
        { partyId: 'P', role: 'signer', kind: 'person', name: person.name, phone: person.phone },
      ],
      order: [['C', 'P']],
      fields: [
        { fieldId: 'seal', partyId: 'C', kind: 'seal', page: 2, rect: slot(0) },
        { fieldId: 'xp', partyId: 'C', kind: 'cross-page-seal', size: 90 },
        { fieldId: 'sig', partyId: 'P', kind: 'signature', page: 2, rect: slot(1) },
        { fieldId: 'date', partyId: 'P', kind: 'date', page: 2, rect: slot(1, 160) },
      ],
      deadline: days(7),
    }, admin.token)
    expect([created.status, created.body.error]).toEqual([201, undefined])
    const sent = await flow.call('POST', `/api/contracts/${created.body.contractId}/send`, undefined, admin.token)
    expect(sent.status).toBe(200)
    // Both parties of the one group are told at once.
    expect(sent.body.parties.map((p: { status: string }) => p.status)).toEqual(['notified', 'notified'])
    return created.body.contractId as string
  }

  it('the sending company\'s party carries its company id and name in the view; a person party carries none', async () => {
    const person = await flow.verifiedPerson('韩公司视图', '13900002011', 35)
    const id = await companyAndPerson(operator, person, '企业编号合同')
    const view = (await flow.call('GET', `/api/contracts/${id}`, undefined, admin.token)).body
    const [c, p] = view.parties
    expect([c.kind, c.name, c.companyId]).toEqual(['company', companyName, companyId])
    expect([p.kind, p.companyId]).toEqual(['person', undefined])
  })

  it('a company party that is not the sender\'s carries its company id once its member opens the contract; a namesake the member is not in carries none', async () => {
    const sender = await flow.verifiedPerson('韩个人发起', '13900002012', 36)
    const documentId = await flow.upload(sender.token, await makePdf('Person to companies', 1))
    const created = await flow.call('POST', '/api/contracts', {
      title: '个人发给企业的合同',
      documentId,
      parties: [
        { partyId: 'C', role: 'signer', kind: 'company', companyName, member: { name: admin.name, phone: admin.phone } },
        { partyId: 'X', role: 'signer', kind: 'company', companyName: '无关联示例有限公司', member: { name: operator.name, phone: operator.phone } },
      ],
      order: [['C', 'X']],
      fields: [
        { fieldId: 'sealC', partyId: 'C', kind: 'seal', page: 0, rect: slot(0) },
        { fieldId: 'sealX', partyId: 'X', kind: 'seal', page: 0, rect: slot(1) },
      ],
      deadline: days(7),
    }, sender.token)
    expect([created.status, created.body.error]).toEqual([201, undefined])
    const id = created.body.contractId as string
    expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
    const companyIds = async () => (await flow.call('GET', `/api/contracts/${id}`, undefined, sender.token)).body.parties.map((p: { companyId?: string }) => p.companyId ?? null)
    // Not known yet: nobody of the company has opened it.
    expect(await companyIds()).toEqual([null, null])
    // The admin opens it: the company is the one they are a member of; the view they get says so, and so does the sender's.
    const opened = await flow.call('POST', `/api/contracts/${id}/view`, undefined, admin.token)
    expect(opened.body.parties[0]).toMatchObject({ partyId: 'C', kind: 'company', name: companyName, companyId })
    expect(await companyIds()).toEqual([companyId, null])
    // The operator is named for a company they are no member of: still unknown (and they cannot seal for it).
    expect((await flow.call('POST', `/api/contracts/${id}/view`, undefined, operator.token)).status).toBe(200)
    expect(await companyIds()).toEqual([companyId, null])
  })

  it('someone named as the company\'s acting member who is not its member, or a member without a grant, cannot seal', async () => {
    const outsider = await flow.verifiedPerson('何外人', '13900002007', 27)
    const person = await flow.verifiedPerson('罗乙', '13900002008', 28)
    const id = await companyAndPerson(outsider, person, '外人合同')
    const before = (await flow.call('GET', `/api/contracts/${id}`, undefined, admin.token)).body
    const r = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'proof-x', sealId }, outsider.token)
    expect([r.status, r.body.error.code]).toEqual([403, 'FORBIDDEN'])
    expect(r.body.error.message).toContain(companyName)
    expect((await flow.call('GET', `/api/contracts/${id}`, undefined, admin.token)).body).toEqual(before)

    const member = await flow.verifiedPerson('林无权', '13900002009', 29)
    await app.deps.metadata.put({ ...memberKey(companyId, member.userId), type: 'member', companyId, userId: member.userId, role: 'operator' })
    const id2 = await companyAndPerson(member, await flow.verifiedPerson('梁丙', '13900002010', 30), '无授权合同')
    const proof = await flow.confirmIntent(member, id2, 'C')
    const noGrant = await flow.call('POST', `/api/contracts/${id2}/sign`, { intentProofId: proof, sealId }, member.token)
    expect([noGrant.status, noGrant.body.error.code, noGrant.body.error.details?.reason]).toEqual([403, 'SEAL_NOT_AUTHORISED', 'NO_GRANT'])
    // No 用印申请 was filed for a member who may not ask for one.
    const pending = await flow.call('GET', `/api/seals/companies/${companyId}/requests?status=pending`, undefined, admin.token)
    expect(pending.body.requests.filter((q: { contractId: string }) => q.contractId === id2)).toEqual([])
  })

  it('the admin seals with the company seal while the person signs at the same time → completed', async () => {
    const person = await flow.verifiedPerson('李雪', '13900002003', 23)
    const id = await companyAndPerson(admin, person, '技术服务合同')
    const [c, p] = await Promise.all([flow.sign(admin, id, 'C', { sealId }), flow.sign(person, id, 'P')])
    expect([c.status, c.body.status, p.status, p.body.status]).toEqual([200, 'signed', 200, 'signed'])
    const view = await flow.call('GET', `/api/contracts/${id}`, undefined, admin.token)
    expect(view.body.status).toBe('completed')
    expectJudgedValid(judge(await flow.download(person.token, id), 'company-admin-completed'), { signed: 2, completed: true })
    // The use of the seal is in its usage log, by the admin, for this contract.
    const uses = await flow.call('GET', `/api/seals/companies/${companyId}/seals/${sealId}/uses`, undefined, admin.token)
    expect(uses.body.uses).toEqual(expect.arrayContaining([expect.objectContaining({ contractId: id, userId: admin.userId, via: 'admin' })]))
  })

  it('a member with a grant needs 用印审批: awaiting-seal-approval, the admin approves, the member signs again → signed', async () => {
    const person = await flow.verifiedPerson('孙丽', '13900002004', 24)
    const granted = await flow.call('PUT', `/api/seals/companies/${companyId}/seals/${sealId}/grants/${operator.userId}`, { validUntil: '2099-12-31' }, admin.token)
    expect(granted.status).toBe(200)
    const id = await companyAndPerson(operator, person, '采购合同')

    const p = await flow.sign(person, id, 'P')
    expect([p.status, p.body.status, p.body.contract.status]).toEqual([200, 'signed', 'sent'])

    const intentProofId = await flow.confirmIntent(operator, id, 'C')
    const first = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId, sealId }, operator.token, { 'idempotency-key': 'seal-first-try' })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ status: 'awaiting-seal-approval', requestId: expect.any(String), contract: { status: 'sent' } })
    const requestId = first.body.requestId as string
    // Nothing was signed: the document is as the person left it.
    expect(first.body.contract.document.latestSha256).toBe(p.body.documentSha256)
    const pending = await flow.call('GET', `/api/seals/companies/${companyId}/requests?status=pending`, undefined, admin.token)
    expect(pending.body.requests).toEqual([expect.objectContaining({ requestId, contractId: id, requesterId: operator.userId, status: 'pending' })])
    // The contract view shows the company party's 用印申请 (审批中), to the member in the answer and to the sender; the person's party has none.
    const pendingRequest = { requestId, status: 'pending', requesterName: '赵*', requestedAt: expect.any(String) }
    expect(first.body.contract.parties.map((x: { sealRequest?: unknown }) => x.sealRequest ?? null)).toEqual([pendingRequest, null])
    expect(first.body.contract.parties[0].companyId).toBe(companyId)
    const shown = async (token: string) => (await flow.call('GET', `/api/contracts/${id}`, undefined, token)).body.parties[0].sealRequest
    expect(await shown(admin.token)).toEqual(pendingRequest)
    expect(await shown(operator.token)).toEqual(pendingRequest)
    expect(Date.parse((await shown(admin.token)).requestedAt)).toBeGreaterThan(Date.now() - 60_000)

    // Signing again before the decision answers the same pending request.
    const again = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId, sealId }, operator.token, { 'idempotency-key': 'seal-second-try' })
    expect(again.body).toMatchObject({ status: 'awaiting-seal-approval', requestId })

    const approved = await flow.call('POST', `/api/seals/companies/${companyId}/requests/${requestId}/approve`, { comment: '同意' }, admin.token)
    expect([approved.status, approved.body.status]).toEqual([200, 'approved'])
    expect(await shown(admin.token)).toEqual({ ...pendingRequest, status: 'approved', decidedAt: expect.any(String) })

    const signed = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId, sealId }, operator.token, { 'idempotency-key': 'seal-after-approval' })
    expect(signed.status).toBe(200)
    expect(signed.body).toMatchObject({ status: 'signed', contract: { status: 'completed' } })
    expect(signed.body.contract.parties[0].sealRequest).toMatchObject({ requestId, status: 'approved' })
    const uses = await flow.call('GET', `/api/seals/companies/${companyId}/seals/${sealId}/uses`, undefined, admin.token)
    expect(uses.body.uses).toEqual(expect.arrayContaining([expect.objectContaining({ contractId: id, userId: operator.userId, via: 'grant', requestId })]))
    expectJudgedValid(judge(await flow.download(operator.token, id), 'company-approval-completed'), { signed: 2, completed: true })
    // The sender (the admin, not a party of this one) hears of the completion too.
    expect((await flow.outbox(admin.phone))[0]).toMatchObject({ text: expect.stringContaining('《采购合同》已全部签署完成') })
  })

  it('a rejected 用印申请 is told to the member (403 APPROVAL_REJECTED), not silently replaced; they re-apply, are approved, and sign', async () => {
    const clerk = await flow.verifiedPerson('钱文', '13900002005', 25)
    const person = await flow.verifiedPerson('郭强', '13900002006', 26)
    await app.deps.metadata.put({ ...memberKey(companyId, clerk.userId), type: 'member', companyId, userId: clerk.userId, role: 'operator' })
    expect((await flow.call('PUT', `/api/seals/companies/${companyId}/seals/${sealId}/grants/${clerk.userId}`, { validUntil: '2099-12-31' }, admin.token)).status).toBe(200)
    const id = await companyAndPerson(clerk, person, '销售合同')
    const intentProofId = await flow.confirmIntent(clerk, id, 'C')
    const signC = (key: string) => flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId, sealId }, clerk.token, { 'idempotency-key': key })

    const first = await signC('reject-1')
    expect(first.body.status).toBe('awaiting-seal-approval')
    const rejected = await flow.call('POST', `/api/seals/companies/${companyId}/requests/${first.body.requestId}/reject`, { comment: '金额不对' }, admin.token)
    expect(rejected.body.status).toBe('rejected')
    const told = await signC('reject-2')
    expect([told.status, told.body.error?.code, told.body.error?.details?.reason]).toEqual([403, 'SEAL_NOT_AUTHORISED', 'APPROVAL_REJECTED'])
    // The contract view says the request was rejected (to the member and the sender).
    for (const token of [clerk.token, admin.token]) {
      expect((await flow.call('GET', `/api/contracts/${id}`, undefined, token)).body.parties[0].sealRequest).toEqual({ requestId: first.body.requestId, status: 'rejected', requesterName: '钱*', requestedAt: expect.any(String), decidedAt: expect.any(String) })
    }
    expect((await flow.call('GET', `/api/seals/companies/${companyId}/requests?status=pending`, undefined, admin.token)).body.requests.filter((r: { contractId: string }) => r.contractId === id)).toEqual([])

    const again = await flow.call('POST', `/api/seals/companies/${companyId}/requests`, { sealId, contractId: id, reason: '已更正金额' }, clerk.token)
    expect([again.status, again.body.status]).toEqual([201, 'pending'])
    expect((await signC('reject-3')).body).toMatchObject({ status: 'awaiting-seal-approval', requestId: again.body.requestId })
    // The new request replaces the rejected one in the view.
    expect((await flow.call('GET', `/api/contracts/${id}`, undefined, admin.token)).body.parties[0].sealRequest).toMatchObject({ requestId: again.body.requestId, status: 'pending' })
    expect((await flow.call('POST', `/api/seals/companies/${companyId}/requests/${again.body.requestId}/approve`, {}, admin.token)).status).toBe(200)
    expect((await signC('reject-4')).body).toMatchObject({ status: 'signed' })
    expect((await flow.sign(person, id, 'P')).body.contract.status).toBe('completed')
    expectJudgedValid(judge(await flow.download(clerk.token, id), 'company-rejected-then-approved'), { signed: 2, completed: true })
  })
})

describe('mixed groups: A, then B and C, then D', () => {
  it('each group is told by SMS with a signing link only when its turn comes; the contract completes after D', async () => {
    const [a, b, c, d] = await Promise.all([
      flow.verifiedPerson('周一', '13900003001', 31),
      flow.verifiedPerson('吴二', '13900003002', 32),
      flow.verifiedPerson('郑三', '13900003003', 33),
      flow.verifiedPerson('冯四', '13900003004', 34),
    ])
    const documentId = await flow.upload(a.token, await makePdf('Mixed groups', 1))
    const created = await flow.call('POST', '/api/contracts', {
      title: '合伙协议',
      documentId,
      parties: [a, b, c, d].map((p, i) => ({ partyId: 'ABCD'[i], role: 'signer', kind: 'person', name: p.name, phone: p.phone })),
      order: [['A'], ['B', 'C'], ['D']],
      fields: [0, 1, 2, 3].map((i) => ({ fieldId: `s${i}`, partyId: 'ABCD'[i], kind: 'signature', page: 0, rect: slot(i) })),
      deadline: days(7),
    }, a.token)
    expect(created.status).toBe(201)
    const id = created.body.contractId as string
    expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, a.token)).status).toBe(200)
    const links = async () => Promise.all([a, b, c, d].map(async (p) => (await signingLinks(p)).length))
    expect(await links()).toEqual([1, 0, 0, 0])

    expect((await flow.sign(a, id, 'A')).body.status).toBe('signed')
    expect(await links()).toEqual([1, 1, 1, 0])
    expectJudgedValid(judge(await flow.download(a.token, id), 'mixed-after-a'), { signed: 1, fields: 4, completed: false })

    // D is not in turn while B and C have not both signed.
    const early = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'not-yet', signatureId: 'none' }, d.token)
    expect([early.status, early.body.error.code]).toEqual([409, 'NOT_YOUR_TURN'])

    const [rb, rc] = await Promise.all([flow.sign(b, id, 'B'), flow.sign(c, id, 'C')])
    expect([rb.status, rc.status]).toEqual([200, 200])
    expect(await links()).toEqual([1, 1, 1, 1])
    expectJudgedValid(judge(await flow.download(b.token, id), 'mixed-after-bc'), { signed: 3, fields: 4, completed: false })

    const rd = await flow.sign(d, id, 'D')
    expect(rd.body).toMatchObject({ status: 'signed', contract: { status: 'completed' } })
    expectJudgedValid(judge(await flow.download(d.token, id), 'mixed-completed'), { signed: 4, completed: true })
    // Everyone hears of the completion.
    for (const p of [a, b, c, d]) expect((await flow.outbox(p.phone))[0]).toMatchObject({ text: expect.stringContaining('已全部签署完成') })
    // The sender is party A: told once, not twice.
    expect((await flow.outbox(a.phone)).filter((e) => /已全部签署完成/.test((e as { text?: string }).text ?? ''))).toHaveLength(1)
  })
})

describe('sign, then send', () => {
  it('the sender, party A of the first group, sends and signs first; B then completes it', async () => {
    const [s, b] = await Promise.all([flow.verifiedPerson('陈发起', '13900004001', 41), flow.verifiedPerson('褚接收', '13900004002', 42)])
    const upload = await makePdf('Sign then send', 1)
    const documentId = await flow.upload(s.token, upload)
    const created = await flow.call('POST', '/api/contracts', {
      title: '借款合同',
      documentId,
      parties: [
        { partyId: 'A', role: 'signer', kind: 'person', name: s.name, phone: s.phone },
        { partyId: 'B', role: 'signer', kind: 'person', name: b.name, phone: b.phone },
      ],
      order: [['A'], ['B']],
      fields: [
        { fieldId: 'sa', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) },
        { fieldId: 'sb', partyId: 'B', kind: 'signature', page: 0, rect: slot(1) },
      ],
      deadline: days(3),
    }, s.token)
    const id = created.body.contractId as string
    const sent = await flow.call('POST', `/api/contracts/${id}/send`, undefined, s.token)
    expect(sent.body.me).toMatchObject({ isSender: true, partyId: 'A', canSign: true })
    const a = await flow.sign(s, id, 'A')
    expect(a.body).toMatchObject({ status: 'signed', contract: { status: 'sent' } })
    expect(await signingLinks(b)).toHaveLength(1)
    const rb = await flow.sign(b, id, 'B')
    expect(rb.body.contract.status).toBe('completed')
    expect((await flow.outbox(s.phone)).filter((e) => /已全部签署完成/.test((e as { text?: string }).text ?? ''))).toHaveLength(1)
    expectJudgedValid(judge(await flow.download(s.token, id), 'sign-then-send-completed'), { signed: 2, completed: true })
    // The original stays downloadable, byte for byte as uploaded.
    expect(Buffer.compare(await flow.download(b.token, id, 'original'), Buffer.from(upload))).toBe(0)
  })
})
