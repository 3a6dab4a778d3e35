import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { idNumberCheckChar } from '../../cloud-functions/core/identity/id-number'
import { listOwnerCertificates } from '../../cloud-functions/use-cases/pki/records'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { verifyIntentProof } from '../../cloud-functions/use-cases/signing/verify-intent-proof'
import { seedContract } from '../support/seed-contract'
import pino from 'pino'
import { apiClient } from '../support/api-client'
import { startTestApp, type TestApp } from '../support/local-app'
import { pdfsig, pdftotext, requireTools, tempDir } from '../support/pdf-tools'

/** Documented sandbox identities (docs/IDENTITY.md). */
const ZHANG = { name: '张三', idNumber: '110101199003070011', phone: '13800000001' }
const ZHOU = { name: '周九', idNumber: '110101199003070046', phone: '13800000007' }
/** An unlisted, well-formed identity: the sandbox passes it. */
const WU = { name: '吴十', idNumber: `33010619950101011${idNumberCheckChar('33010619950101011')}`, phone: '13912345678' }
const BANK_ACCOUNT = '6222021234567890123'

describe('identity verification end to end over HTTP (local server, sandbox providers)', () => {
  let app: TestApp
  beforeAll(async () => {
    requireTools('pdfsig', 'pdftotext')
    app = await startAppWithUnredactedLogs()
  })
  afterAll(async () => app.stop())

  const api = () => apiClient(app)
  const call: ReturnType<typeof apiClient>['call'] = (...args) => api().call(...args)
  const outboxCode = async (phone: string) => (await api().outbox(phone))[0]!.code as string
  const login = async (phone: string): Promise<string> => (await api().login(phone)).token

  /** Person verification through the API and the 沙箱 face page, as a browser would. */
  const verifyPerson = async (token: string, who: { name: string; idNumber: string; phone: string }) => {
    const details = await call('POST', '/api/identity/person', who, token)
    expect(details.status).toBe(200)
    expect(details.body).toMatchObject({ status: 'checked', nextStep: 'face', maskedIdNumber: `${who.idNumber.slice(0, 4)}**********${who.idNumber.slice(-4)}`, maskedPhone: `${who.phone.slice(0, 3)}****${who.phone.slice(-4)}`, sandbox: true })
    const face = await call('POST', '/api/identity/person/face', {}, token)
    expect(face.status).toBe(200)
    const facePage = await fetch(face.body.url)
    expect(await facePage.text()).toContain('沙箱 · 模拟人脸核身（非真实核验）')
    expect((await call('POST', '/api/identity/person/face/result', undefined, token)).body.error.code).toBe('FACE_PENDING')
    const submit = await fetch(face.body.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=pass', redirect: 'manual' })
    expect(submit.status).toBe(303)
    expect(submit.headers.get('location')).toMatch(new RegExp(`^${app.url}/#/packages/identity/pages/person/index\\?face=done&token=sbx_`))
    const result = await call('POST', '/api/identity/person/face/result', undefined, token)
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ status: 'verified', nextStep: 'done', name: who.name, certificate: { serialNumber: expect.any(String), notAfter: expect.any(String) } })
  }

  let zhouToken: string
  let zhangToken: string

  it('logs in by SMS code (code shown in the sandbox outbox); the account is created once', async () => {
    zhouToken = await login(ZHOU.phone)
    const me = await call('GET', '/api/auth/me', undefined, zhouToken)
    expect(me.body).toEqual({ userId: expect.stringMatching(/^[0-9A-Z]{26}$/), maskedPhone: '138****0007', realName: 'unverified' })
    expect((await call('GET', '/api/auth/me')).status).toBe(401)
    // A wrong code is a 400 naming the field, with the attempts left; no stack trace.
    const other = '13912340001'
    expect((await call('POST', '/api/auth/sms-codes', { phone: other })).status).toBe(202)
    const wrong = await call('POST', '/api/auth/sms-login', { phone: other, code: (await outboxCode(other)) === '000000' ? '111111' : '000000' })
    expect(wrong.status).toBe(400)
    expect(wrong.body).toEqual({ error: { code: 'SMS_CODE_INVALID', message: expect.stringContaining('还可尝试 4 次'), details: { field: 'code', attemptsLeft: 4 } } })
    expect((await call('POST', '/api/auth/sms-codes', { phone: other })).body.error.code).toBe('SMS_RESEND_TOO_SOON')
  })

  it('refuses bad input with 400 naming the field, and stores nothing', async () => {
    const bad = await call('POST', '/api/identity/person', { ...ZHOU, idNumber: '110101199003070047' }, zhouToken)
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 'ID_NUMBER_INVALID', details: { field: 'idNumber' } })
    expect(JSON.stringify(bad.body)).not.toContain('stack')
    expect((await call('POST', '/api/identity/person', { ...ZHOU, phone: '1380000' }, zhouToken)).body.error).toMatchObject({ code: 'PHONE_INVALID', details: { field: 'phone' } })
    expect((await call('POST', '/api/identity/person', { name: '周九' }, zhouToken)).body.error.code).toBe('VALIDATION_FAILED')
    expect((await call('GET', '/api/identity/person', undefined, zhouToken)).body).toMatchObject({ status: 'unverified', nextStep: 'details', face: { attemptsLeft: 5 } })
    expect((await call('POST', '/api/identity/person', ZHOU)).status).toBe(401)
  })

  it('verifies a person: ID + carrier checks, the sandbox face page, a certificate', async () => {
    await verifyPerson(zhouToken, ZHOU)
    const me = await call('GET', '/api/auth/me', undefined, zhouToken)
    expect(me.body).toMatchObject({ realName: 'verified', name: '周九' })
    // The verified identity led to a long-term certificate in the registry (key in the key vault), subject = name + salted hash.
    const certificates = await listOwnerCertificates(app.deps.metadata, me.body.userId)
    expect(certificates).toEqual([expect.objectContaining({ kind: 'long-term', status: 'good', subjectCommonName: '周九', subjectSerialNumber: expect.stringMatching(/^[0-9A-F]{64}$/), keyId: expect.any(String) })])
    expect((await call('GET', '/api/identity/person', undefined, zhouToken)).body.certificate.serialNumber).toBe(certificates[0]!.serialNumber)
    expect((await call('POST', '/api/identity/person', ZHOU, zhouToken)).body.error.code).toBe('ALREADY_VERIFIED')
  })

  let companyA: string
  it('enterprise path (a): the legal representative signs the generated authorisation letter', async () => {
    // The applicant 周九 applies for a company whose legal representative is 张三.
    expect((await call('POST', '/api/identity/companies', { name: '沙箱测试科技有限公司', creditCode: '91350100M000100Y44', legalRepName: '张三', legalRepIdNumber: ZHANG.idNumber }, zhouToken)).body.error).toMatchObject({
      code: 'CREDIT_CODE_INVALID',
      details: { field: 'creditCode' },
    })
    expect((await call('POST', '/api/identity/companies', { name: '沙箱测试科技有限公司', creditCode: '91350100M000100Y43', legalRepName: '李四', legalRepIdNumber: ZHANG.idNumber }, zhouToken)).body.error.code).toBe('IDENTITY_MISMATCH')
    const applied = await call('POST', '/api/identity/companies', { name: '沙箱测试科技有限公司', creditCode: '91350100M000100Y43', legalRepName: '张三', legalRepIdNumber: ZHANG.idNumber }, zhouToken)
    expect(applied.status).toBe(201)
    expect(applied.body).toMatchObject({ status: 'pending', myRole: 'applicant', maskedLegalRepIdNumber: '1101**********0011', microDepositAvailable: true })
    companyA = applied.body.companyId
    const letter = await call('POST', `/api/identity/companies/${companyA}/authorization-letter`, undefined, zhouToken)
    expect(letter.status).toBe(201)
    expect(letter.body).toMatchObject({ status: 'awaiting-signature', callerIsLegalRep: false, documentHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect((await call('POST', `/api/identity/companies/${companyA}/authorization-letter/sms-code`, undefined, zhouToken)).body.error.code).toBe('NOT_LEGAL_REPRESENTATIVE')

    // 张三 logs in, verifies, and sees the company as its legal representative.
    zhangToken = await login(ZHANG.phone)
    expect((await call('GET', `/api/identity/companies/${companyA}`, undefined, zhangToken)).status).toBe(404)
    await verifyPerson(zhangToken, ZHANG)
    const seen = await call('GET', `/api/identity/companies/${companyA}`, undefined, zhangToken)
    expect(seen.body).toMatchObject({ myRole: 'legal-rep', authorization: { callerIsLegalRep: true, documentHash: letter.body.documentHash } })
    const pdf = await fetch(`${app.url}/api/identity/companies/${companyA}/authorization-letter/content`, { headers: { authorization: `Bearer ${zhangToken}` } })
    const unsigned = Buffer.from(await pdf.arrayBuffer())
    expect(createHash('sha256').update(unsigned).digest('hex')).toBe(letter.body.documentHash)

    // Intent code to 张三's verified phone, then the signature.
    expect((await call('POST', `/api/identity/companies/${companyA}/authorization-letter/sms-code`, undefined, zhangToken)).status).toBe(202)
    const signed = await call('POST', `/api/identity/companies/${companyA}/authorization-letter/sign`, { code: await outboxCode(ZHANG.phone) }, zhangToken)
    expect(signed.status).toBe(200)
    expect(signed.body).toMatchObject({ status: 'verified', method: 'legal-rep-authorization', myRole: 'admin', authorization: { status: 'signed' }, certificate: { serialNumber: expect.any(String) } })

    // The signed letter is a valid PAdES signature over the whole file, naming the legal representative.
    const dir = tempDir('qianyue-letter-')
    try {
      const res = await fetch(`${app.url}/api/identity/companies/${companyA}/authorization-letter/content`, { headers: { authorization: `Bearer ${zhouToken}` } })
      const file = path.join(dir, 'letter.pdf')
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()))
      const { signatures } = pdfsig(file)
      expect(signatures).toHaveLength(1)
      expect(signatures[0]).toMatchObject({ valid: true, totalDocumentSigned: true, commonName: '张三' })
      const text = pdftotext(file)
      expect(text).toContain('企业授权书')
      expect(text).toContain('现授权周九（手机号：138****0007）')
      expect(text).not.toContain(ZHOU.phone)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }

    const members = await call('GET', `/api/identity/companies/${companyA}/members`, undefined, zhouToken)
    expect(members.body.map((m: { name: string; role: string }) => `${m.name}:${m.role}`).sort()).toEqual(['周九:admin', '张三:admin'])
    // The same credit code cannot be verified twice.
    expect((await call('POST', '/api/identity/companies', { name: '沙箱测试科技有限公司', creditCode: '91350100M000100Y43', legalRepName: '张三', legalRepIdNumber: ZHANG.idNumber }, zhangToken)).body.error.code).toBe('COMPANY_ALREADY_REGISTERED')
  })

  it('enterprise path (b): micro-deposit to the corporate account; the amount from the statement verifies', async () => {
    const applied = await call('POST', '/api/identity/companies', { name: '沙箱周九贸易有限公司', creditCode: '91440300MA5F0Q1R2A', legalRepName: '周九', legalRepIdNumber: ZHOU.idNumber }, zhouToken)
    expect(applied.status).toBe(201)
    const id = applied.body.companyId
    expect((await call('POST', `/api/identity/companies/${id}/micro-deposit`, { bankName: '沙箱银行', bankAccount: '62220x' }, zhouToken)).body.error).toMatchObject({ code: 'BANK_ACCOUNT_INVALID', details: { field: 'bankAccount' } })
    const sent = await call('POST', `/api/identity/companies/${id}/micro-deposit`, { bankName: '沙箱银行', bankAccount: BANK_ACCOUNT }, zhouToken)
    expect(sent.body.microDeposit).toMatchObject({ maskedBankAccount: '6222***********0123', attemptsLeft: 3, state: 'awaiting-amount' })
    const statement = (await call('GET', `/api/identity/sandbox/outbox`)).body.entries.find((e: { channel: string }) => e.channel === 'payout')
    expect(statement).toMatchObject({ to: '6222***********0123', amount: expect.stringMatching(/^0\.\d\d$/) })
    const wrong = statement.amount === '0.01' ? '0.02' : '0.01'
    expect((await call('POST', `/api/identity/companies/${id}/micro-deposit/confirm`, { amount: wrong }, zhouToken)).body.error).toMatchObject({ code: 'MICRO_DEPOSIT_WRONG_AMOUNT', details: { attemptsLeft: 2 } })
    const ok = await call('POST', `/api/identity/companies/${id}/micro-deposit/confirm`, { amount: statement.amount }, zhouToken)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ status: 'verified', method: 'micro-deposit', microDeposit: { state: 'confirmed' } })
    const mine = await call('GET', '/api/identity/companies', undefined, zhouToken)
    expect(mine.body.map((c: { name: string; status: string; myRole: string }) => `${c.name}:${c.status}:${c.myRole}`).sort()).toEqual(['沙箱周九贸易有限公司:verified:admin', '沙箱测试科技有限公司:verified:admin'])
  })

  let wuToken: string
  it('an admin invites a member by phone; the invitee accepts after real-name verification', async () => {
    const invited = await call('POST', `/api/identity/companies/${companyA}/invitations`, { phone: WU.phone, role: 'operator' }, zhouToken)
    expect(invited.status).toBe(201)
    expect(invited.body).toMatchObject({ maskedPhone: '139****5678', role: 'operator', companyName: '沙箱测试科技有限公司' })
    wuToken = await login(WU.phone)
    const mine = await call('GET', '/api/identity/invitations', undefined, wuToken)
    expect(mine.body).toHaveLength(1)
    const accept = `/api/identity/invitations/${companyA}/${invited.body.inviteId}/accept`
    expect((await call('POST', accept, undefined, wuToken)).body.error.code).toBe('PERSON_NOT_VERIFIED')
    await verifyPerson(wuToken, WU)
    const joined = await call('POST', accept, undefined, wuToken)
    expect(joined.body).toMatchObject({ name: '吴十', role: 'operator' })
    expect((await call('POST', accept, undefined, wuToken)).body.error.code).toBe('INVITATION_NOT_FOUND')
    expect((await call('POST', `/api/identity/companies/${companyA}/invitations`, { phone: '13700000000', role: 'admin' }, wuToken)).body.error.code).toBe('FORBIDDEN')
  })

  it('the company verified here can make a seal, authorise the invited operator, and approve a use (identity → seals)', async () => {
    const wuId = (await call('GET', '/api/auth/me', undefined, wuToken)).body.userId
    const spec = { kind: 'company-round', companyName: '沙箱测试科技有限公司', sealType: '合同专用章' }
    expect((await call('POST', `/api/seals/companies/${companyA}/seals`, { spec }, wuToken)).body.error.code).toBe('FORBIDDEN')
    const seal = await call('POST', `/api/seals/companies/${companyA}/seals`, { spec }, zhouToken)
    expect(seal.status).toBe(201)
    const sealId = seal.body.sealId
    const check = () => call('POST', `/api/seals/companies/${companyA}/seals/${sealId}/check`, { contractId: 'c-1' }, wuToken)
    expect((await check()).body.error.details.reason).toBe('NO_GRANT')
    expect((await call('PUT', `/api/seals/companies/${companyA}/seals/${sealId}/grants/${wuId}`, { validUntil: '2099-12-31' }, zhouToken)).status).toBe(200)
    const request = await call('POST', `/api/seals/companies/${companyA}/requests`, { sealId, contractId: 'c-1' }, wuToken)
    expect(request.status).toBe(201)
    expect((await call('POST', `/api/seals/companies/${companyA}/requests/${request.body.requestId}/approve`, {}, zhouToken)).status).toBe(200)
    expect((await check()).status).toBe(200)
  })

  it('confirms intent for a signing act by SMS code; the signing step verifies the proof', async () => {
    const documentHash = createHash('sha256').update('contract bytes').digest('hex')
    const target = { contractId: 'C-100', signerId: 'S-1', documentHash }
    // Intent is open only to a signer party of a live contract: seed one through the contracts records.
    const zhouId = (await call('GET', '/api/auth/me', undefined, zhouToken)).body.userId as string
    await seedContract(app.deps, { contractId: 'C-100', status: 'sent', parties: [{ signerId: 'S-1', userId: zhouId, role: 'signer' }], createdBy: zhouId })
    expect((await call('POST', '/api/signing/intent/sms-codes', target, zhouToken)).status).toBe(202)
    const code = await outboxCode(ZHOU.phone)
    expect((await call('POST', '/api/signing/intent/confirm', { ...target, documentHash: 'f'.repeat(64), method: 'sms', code }, zhouToken)).body.error.code).toBe('SMS_CODE_INVALID')
    const proof = await call('POST', '/api/signing/intent/confirm', { ...target, method: 'sms', code }, zhouToken)
    expect(proof.status).toBe(201)
    expect(proof.body).toMatchObject({ ...target, method: 'sms', proofHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect((await call('POST', '/api/signing/intent/confirm', { ...target, method: 'sms', code }, zhouToken)).body.error.code).toBe('SMS_CODE_USED')
    const verified = await verifyIntentProof(app.deps, { proofId: proof.body.proofId, ...target, consume: true })
    expect(verified).toMatchObject({ ok: true, value: { proofHash: proof.body.proofHash } })
    // The proof is in the contract's evidence chain: one INTENT_CONFIRMED record, ids and hashes only.
    const chain = await verifyEvidenceChain(app.deps, { contractId: 'C-100' })
    if (!chain.ok) throw new Error(JSON.stringify(chain.error))
    expect(chain.value.records.filter((r) => r.type === 'intent.confirmed').map((r) => r.data)).toEqual([
      { contractId: 'C-100', signerId: 'S-1', proofId: proof.body.proofId, documentHash, method: 'sms', proofHash: proof.body.proofHash },
    ])
  })

  it('never writes a raw ID number, phone or bank account to the logs, the database or a response', async () => {
    const raw = [ZHANG.idNumber, ZHOU.idNumber, WU.idNumber, ZHANG.phone, ZHOU.phone, WU.phone, BANK_ACCOUNT]
    const logs = app.logs()
    expect(logs.length).toBeGreaterThan(1000)
    expect(logs).toContain('company verified')
    for (const value of raw) expect(logs).not.toContain(value)
    // At rest: the SQLite files hold only ciphertexts, lookup hashes and masks.
    const stored = ['metadata.sqlite', 'metadata.sqlite-wal'].map((f) => path.join(app.dataDir, f)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1'))
    expect(stored.join('').length).toBeGreaterThan(0)
    for (const value of raw) for (const s of stored) expect(s).not.toContain(value)
    // Responses: the person view again, masked.
    const view = await call('GET', '/api/identity/person', undefined, zhangToken)
    for (const value of raw) expect(JSON.stringify(view.body)).not.toContain(value)
  })
})

/**
 * The real local server with a plain pino logger that does NOT pass records through
 * `redactForLog`: the log test then proves the code never hands personal data to the logger,
 * rather than that the logger masks it afterwards.
 */
function startAppWithUnredactedLogs(): Promise<TestApp> {
  return startTestApp({ LOG_LEVEL: 'trace' }, { makeLogger: (level, sink) => pino({ level }, sink) })
}
