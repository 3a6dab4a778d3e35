/**
 * Issue 10 items 6, 7 and 8, over HTTP on the real local server (sandbox providers):
 * - 6: login codes from one source have a budget (15 phones in a row do not all get 202), and a
 *   cross-site `text/plain` POST is refused (415) — the per-purpose budgets are table-tested in
 *   identity-limits.test.ts;
 * - 7: `POST /api/identity/person` with someone else's ID number and any name answers exactly as
 *   for an unregistered number until the provider has confirmed name and number;
 * - 8: intent can be requested and confirmed only by a signer party of an existing, live
 *   contract; otherwise 404 and nothing written (no code sent, no evidence record).
 */
import { createHash } from 'node:crypto'
import { withIdentityServices } from '../../../cloud-functions/runtime/services'
import { seedContract } from '../../support/seed-contract'
import type { ContractStatus } from '../../../cloud-functions/core/contracts/contract'
import { completeFaceVerification } from '../../../cloud-functions/use-cases/identity/complete-face-verification'
import { startFaceVerification } from '../../../cloud-functions/use-cases/identity/start-face-verification'
import { submitPersonDetails } from '../../../cloud-functions/use-cases/identity/submit-person-details'
import { verifyEvidenceChain } from '../../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { apiClient } from '../../support/api-client'
import { startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(90_000)

/** Documented sandbox identities (docs/IDENTITY.md). */
const ZHANG = { name: '张三', idNumber: '110101199003070011', phone: '13800000001' }
const ZHOU = { name: '周九', idNumber: '110101199003070046', phone: '13800000007' }
const DOC = createHash('sha256').update('the contract').digest('hex')

const client = apiClient

describe('item 6: unauthenticated sends and content types', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp()
  })
  afterAll(async () => app?.stop())

  it('a cross-site text/plain POST (no preflight) is refused with 415 and sends nothing', async () => {
    const { call, outbox } = client(app)
    const r = await call('POST', '/api/auth/sms-codes', JSON.stringify({ phone: '13911110000' }), undefined, { 'content-type': 'text/plain;charset=UTF-8' })
    expect(r.status).toBe(415)
    expect(r.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    const form = await call('POST', '/api/auth/sms-codes', 'phone=13911110000', undefined, { 'content-type': 'application/x-www-form-urlencoded' })
    expect(form.status).toBe(415)
    expect(await outbox('13911110000')).toEqual([])
  })

  it('15 different phones in a row from one address: the first 10 get 202, the rest 429', async () => {
    const { call } = client(app)
    const statuses: number[] = []
    for (let i = 0; i < 15; i++) statuses.push((await call('POST', '/api/auth/sms-codes', { phone: `1391111${String(i).padStart(4, '0')}` })).status)
    expect(statuses).toEqual([...Array(10).fill(202), ...Array(5).fill(429)])
    const refused = await call('POST', '/api/auth/sms-codes', { phone: '13922220000' })
    expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', details: { retryAfterSeconds: expect.any(Number) } })
  })
})

describe('items 7 and 8', () => {
  let app: TestApp
  let A: { token: string; userId: string }
  let B: { token: string; userId: string }
  beforeAll(async () => {
    app = await startTestApp()
    const { login } = client(app)
    A = await login('13700000001')
    B = await login('13700000002')
    // A is 张三, verified (the ID number is now registered to A's account).
    const deps = await withIdentityServices(app.deps)
    expect((await submitPersonDetails(deps, { userId: A.userId, ...ZHANG })).ok).toBe(true)
    const face = await startFaceVerification(deps, { userId: A.userId })
    if (!face.ok) throw new Error(JSON.stringify(face.error))
    await deps.sandboxFace!.completeFaceSession(face.value.url.split('/').pop()!, 'pass')
    expect(await completeFaceVerification(deps, { userId: A.userId })).toMatchObject({ ok: true, value: { status: 'verified' } })
  })
  afterAll(async () => app?.stop())

  it('item 7: someone else\'s registered ID number with any name answers exactly as an unregistered one', async () => {
    const { call } = client(app)
    // The probe: B submits A's ID number with a made-up name.
    const registered = await call('POST', '/api/identity/person', { name: '随便', idNumber: ZHANG.idNumber, phone: '13700000002' }, B.token)
    // The same probe for a number nobody registered (周九 has no account here).
    const unregistered = await call('POST', '/api/identity/person', { name: '随便', idNumber: ZHOU.idNumber, phone: '13700000002' }, B.token)
    expect(registered.status).not.toBe(409)
    // Status and body alike (the headers carry a date and a request id).
    expect({ status: registered.status, body: registered.body }).toEqual({ status: unregistered.status, body: unregistered.body })
    expect(registered.body.error.code).toBe('IDENTITY_MISMATCH')
    // Once the provider confirms name and number, the answer may say so.
    const confirmed = await call('POST', '/api/identity/person', { ...ZHANG, phone: '13700000002' }, B.token)
    expect(confirmed.status).toBe(409)
    expect(confirmed.body.error.code).toBe('ID_NUMBER_IN_USE')
    // B's account holds nothing of it.
    expect((await call('GET', '/api/identity/person', undefined, B.token)).body.status).toBe('unverified')
  })

  describe('item 8: intent only for a signer party of a live contract', () => {
    const seed = (contractId: string, status: ContractStatus, parties: Array<{ signerId: string; userId?: string; role: 'signer' | 'cc' }>) =>
      seedContract(app.deps, { contractId, status, parties, createdBy: A.userId })

    beforeAll(async () => {
      await seed('CT-LIVE-1', 'sent', [
        { signerId: 'S-A', userId: A.userId, role: 'signer' },
        { signerId: 'S-CC', userId: B.userId, role: 'cc' },
      ])
      await seed('CT-REVOKED-1', 'revoked', [{ signerId: 'S-B', userId: B.userId, role: 'signer' }])
    })

    it('the issue\'s attack: intent for a made-up contract → 404 on every intent route; no code sent, nothing in any evidence chain', async () => {
      const { call, outbox } = client(app)
      const target = { contractId: 'CT-VICTIM-42', signerId: 'S-1', documentHash: DOC }
      const before = (await outbox('13700000002')).length
      const code = await call('POST', '/api/signing/intent/sms-codes', target, B.token)
      expect(code.status).toBe(404)
      expect(code.body.error.code).toBe('CONTRACT_NOT_FOUND')
      expect((await call('POST', '/api/signing/intent/face', target, B.token)).status).toBe(404)
      const confirm = await call('POST', '/api/signing/intent/confirm', { ...target, method: 'sms', code: '123456' }, B.token)
      expect(confirm.status).toBe(404)
      expect(confirm.body.error.code).toBe('CONTRACT_NOT_FOUND')
      expect((await outbox('13700000002')).length).toBe(before)
      expect(await verifyEvidenceChain(app.deps, { contractId: 'CT-VICTIM-42' })).toMatchObject({ ok: true, value: { length: 0 } })
      expect((await app.deps.metadata.query('EVIDENCE#CT-VICTIM-42')).items).toEqual([])
      expect((await app.deps.metadata.query('INTENT#CT-VICTIM-42#S-1')).items).toEqual([])
    })

    it('a live contract: not a party, a cc, someone else\'s signer id → 404; a revoked contract → 404; nothing written', async () => {
      const { call } = client(app)
      const probes: Array<[string, Record<string, string>]> = [
        ['B as A\'s signer', { contractId: 'CT-LIVE-1', signerId: 'S-A' }],
        ['B as a cc party', { contractId: 'CT-LIVE-1', signerId: 'S-CC' }],
        ['B on a revoked contract', { contractId: 'CT-REVOKED-1', signerId: 'S-B' }],
      ]
      for (const [, t] of probes) {
        const r = await call('POST', '/api/signing/intent/confirm', { ...t, documentHash: DOC, method: 'sms', code: '123456' }, B.token)
        expect([r.status, r.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
        expect((await call('POST', '/api/signing/intent/sms-codes', { ...t, documentHash: DOC }, B.token)).status).toBe(404)
      }
      for (const id of ['CT-LIVE-1', 'CT-REVOKED-1']) expect((await app.deps.metadata.query(`EVIDENCE#${id}`)).items).toEqual([])
    })

    it('the signer party itself confirms intent: 202, then 201 with one evidence record', async () => {
      const { call, outbox } = client(app)
      const target = { contractId: 'CT-LIVE-1', signerId: 'S-A', documentHash: DOC }
      expect((await call('POST', '/api/signing/intent/sms-codes', target, A.token)).status).toBe(202)
      const code = (await outbox(ZHANG.phone))[0]!.code
      const proof = await call('POST', '/api/signing/intent/confirm', { ...target, method: 'sms', code }, A.token)
      expect(proof.status).toBe(201)
      expect(await verifyEvidenceChain(app.deps, { contractId: 'CT-LIVE-1' })).toMatchObject({ ok: true, value: { length: 1 } })
    })
  })
})
