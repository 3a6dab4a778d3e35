/**
 * Signing links (`/s/<token>`, issue 14) over HTTP against the real local server: the SMS carries
 * the link; the local server redirects it to the H5 link page; the link shows the title and the
 * masked phone; its SMS code goes to the party's phone and logs the holder in as that phone's
 * account, which can then verify, view and sign; a new link replaces the old; a link of an ended
 * contract is LINK_EXPIRED; a made-up one LINK_INVALID.
 */
import fs from 'node:fs'
import { withContractServices } from '../../cloud-functions/runtime/services'
import { loadContractItem } from '../../cloud-functions/use-cases/contracts/records'
import { createSigningLink } from '../../cloud-functions/use-cases/contracts/signing-links'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(300_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
const tmp = tempDir('contracts-links-')
const tokenOf = (link: string) => /\/s\/([A-Za-z0-9_-]{22})$/.exec(link)?.[1]

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  app = await startTestApp()
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('signing links', () => {
  const phone = '13900008002'
  let sender: Person
  let id: string
  let token: string

  beforeAll(async () => {
    sender = await flow.verifiedPerson('曹发起', '13900008001', 81)
    const documentId = await flow.upload(sender.token, await makePdf('Signing link', 1))
    const created = await flow.call('POST', '/api/contracts', {
      title: '咨询服务合同',
      documentId,
      parties: [{ partyId: 'L', role: 'signer', kind: 'person', name: '严链接', phone }],
      order: [['L']],
      fields: [{ fieldId: 'sl', partyId: 'L', kind: 'signature', page: 0, rect: slot(0) }],
      deadline: new Date(Date.now() + 5 * 86400_000).toISOString(),
    }, sender.token)
    id = created.body.contractId
    expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
  })

  it('the SMS carries a /s/<token> link; the local server redirects it (302) to the H5 link page', async () => {
    const [sms] = (await flow.outbox(phone)) as Array<{ link?: string; text: string }>
    expect(sms!.text).toContain('邀请您签署《咨询服务合同》')
    token = tokenOf(sms!.link ?? '')!
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(sms!.link).toBe(`${app.deps.config.publicBaseUrl.replace(/\/$/, '')}/s/${token}`)
    const res = await fetch(`${app.url}/s/${token}`, { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/#/packages/signing/pages/link/index?token=${token}`)
  })

  it('the link shows the title and the masked phone, not the phone', async () => {
    const r = await flow.call('GET', `/api/signing-links/${token}`)
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ contractTitle: '咨询服务合同', partyName: '严链接', maskedPhone: '139****8002', senderName: '曹发起', deadline: expect.any(String) })
    expect(JSON.stringify(r.body)).not.toContain(phone)
  })

  it('made-up and malformed tokens are LINK_INVALID', async () => {
    for (const bad of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', 'not*a*token*at*all*xxx']) {
      const r = await flow.call('GET', `/api/signing-links/${bad}`)
      expect([r.status, r.body.error?.code]).toEqual([403, 'LINK_INVALID'])
    }
  })

  it('a new link for the party replaces the old one', async () => {
    const item = await loadContractItem(app.deps.metadata, id)
    const fresh = tokenOf(await createSigningLink(await withContractServices(app.deps), item!, 'L'))!
    expect(fresh).not.toBe(token)
    const old = await flow.call('GET', `/api/signing-links/${token}`)
    expect([old.status, old.body.error.code]).toEqual([403, 'LINK_INVALID'])
    const oldCode = await flow.call('POST', `/api/signing-links/${token}/sms-codes`)
    expect(oldCode.body.error.code).toBe('LINK_INVALID')
    expect((await flow.call('GET', `/api/signing-links/${fresh}`)).status).toBe(200)
    token = fresh
  })

  it('the SMS code goes to the party\'s phone; logging in with it gives a session that verifies, views and signs; then the link has expired', async () => {
    const sent = await flow.call('POST', `/api/signing-links/${token}/sms-codes`)
    expect(sent.status).toBe(202)
    const code = ((await flow.outbox(phone)) as Array<{ code?: string }>)[0]!.code!
    expect(code).toMatch(/^\d{6}$/)
    const wrong = await flow.call('POST', `/api/signing-links/${token}/login`, { code: code === '000000' ? '111111' : '000000' })
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'SMS_CODE_INVALID'])
    const login = await flow.call('POST', `/api/signing-links/${token}/login`, { code })
    expect(login.status).toBe(200)
    expect(login.body).toMatchObject({ token: expect.any(String), contractId: id, partyId: 'L' })
    const session = login.body.token as string

    const view = await flow.call('GET', `/api/contracts/${id}`, undefined, session)
    expect(view.status).toBe(200)
    expect(view.body).toMatchObject({ title: '咨询服务合同', me: { partyId: 'L', canSign: true } })
    // Not verified yet: signing leads into the identity flow.
    const unverified = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'p-none', signatureId: 's-none' }, session)
    expect([unverified.status, unverified.body.error.code, unverified.body.error.details]).toEqual([403, 'PERSON_NOT_VERIFIED', { next: 'identity' }])

    const me = await flow.call('GET', '/api/auth/me', undefined, session)
    const idNumber = await flow.verify(session, '严链接', phone, 82)
    const signer: Person = { name: '严链接', phone, idNumber, token: session, userId: me.body.userId }
    const signed = await flow.sign(signer, id, 'L')
    expect(signed.status).toBe(200)
    expect(signed.body.contract.status).toBe('completed')
    expectJudgedValid(judgeContractPdf(await flow.download(session, id), { dir: tmp, name: 'link-signed', dataDir: app.dataDir }), { signed: 1, completed: true })

    const ended = await flow.call('GET', `/api/signing-links/${token}`)
    expect([ended.status, ended.body.error.code]).toEqual([403, 'LINK_EXPIRED'])
    const endedCode = await flow.call('POST', `/api/signing-links/${token}/sms-codes`)
    expect(endedCode.body.error.code).toBe('LINK_EXPIRED')
  })
})
