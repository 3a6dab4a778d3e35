import { createHash } from 'node:crypto'
import { TencentSmsSender } from '../../cloud-functions/adapters/tencent-cloud/tencent-sms-sender'
import { applyForCompany } from '../../cloud-functions/use-cases/identity/apply-for-company'
import { completeFaceVerification } from '../../cloud-functions/use-cases/identity/complete-face-verification'
import { intentProofHash } from '../../cloud-functions/core/identity/intent-proof'
import { confirmIntent } from '../../cloud-functions/use-cases/signing/confirm-intent'
import { intentProofKey } from '../../cloud-functions/use-cases/signing/records'
import { confirmMicroDeposit } from '../../cloud-functions/use-cases/identity/confirm-micro-deposit'
import { getPersonVerification } from '../../cloud-functions/use-cases/identity/get-person-verification'
import { loginWithSmsCode } from '../../cloud-functions/use-cases/identity/login-with-sms-code'
import { requestIntentCode } from '../../cloud-functions/use-cases/signing/request-intent-code'
import { requestLoginCode } from '../../cloud-functions/use-cases/identity/request-login-code'
import { startFaceVerification } from '../../cloud-functions/use-cases/identity/start-face-verification'
import { startIntentFace } from '../../cloud-functions/use-cases/signing/start-intent-face'
import { startMicroDeposit } from '../../cloud-functions/use-cases/identity/start-micro-deposit'
import { submitPersonDetails } from '../../cloud-functions/use-cases/identity/submit-person-details'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { verifyIntentProof } from '../../cloud-functions/use-cases/signing/verify-intent-proof'
import { seedContract as seedContractRecord } from '../support/seed-contract'
import { FakeTencentCloud } from '../support/fake-tencent-cloud'
import { startIdentityHarness, type IdentityHarness } from '../support/identity-harness'

/** 2026-03-01 12:00 China time. */
const START = new Date('2026-03-01T04:00:00Z')
const ZHANG = { name: '张三', idNumber: '110101199003070011', phone: '13800000001' }
const ZHAO = { name: '赵六', idNumber: '440305198808080047', phone: '13800000004' }
const DOC_A = createHash('sha256').update('document A').digest('hex')
const DOC_B = createHash('sha256').update('document B').digest('hex')

describe('identity limits, table-tested on a manual clock (real use cases, SQLite, sandbox providers)', () => {
  let h: IdentityHarness
  let phoneSeq = 0
  const freshPhone = () => `1390000${String(++phoneSeq).padStart(4, '0')}`

  beforeEach(async () => {
    h = await startIdentityHarness({ start: START })
  })
  afterEach(async () => h.stop())

  const lastCode = async (phone: string) => (await h.deps.outbox!.list({ phone }))[0]?.code as string
  const login = async (phone = freshPhone()) => {
    expect((await requestLoginCode(h.deps, { phone })).ok).toBe(true)
    const r = await loginWithSmsCode(h.deps, { phone, code: await lastCode(phone) })
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    return r.value.account.userId
  }
  const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'OK' : r.error!.code)
  /** Intent needs a live contract with the caller as a signer party: contract C1, party S1 (once per harness). */
  const seedContract = async (userId: string, contractId = 'C1', signerId = 'S1') => {
    await seedContractRecord(h.deps, { contractId, status: 'sent', parties: [{ signerId, userId, role: 'signer' }], createdBy: userId, now: h.clock.now() })
  }

  describe('SMS codes: 5 min, 5 attempts, 60 s resend, 10 per phone per day, single use', () => {
    it.each([
      [0, 'OK'],
      [299, 'OK'],
      [300, 'SMS_CODE_EXPIRED'],
      [3600, 'SMS_CODE_EXPIRED'],
    ])('a code entered %s s after sending → %s', async (seconds, expected) => {
      const phone = freshPhone()
      await requestLoginCode(h.deps, { phone })
      h.clock.advanceSeconds(seconds)
      expect(code(await loginWithSmsCode(h.deps, { phone, code: await lastCode(phone) }))).toBe(expected)
    })

    it.each([
      [0, 'OK'],
      [4, 'OK'],
      [5, 'SMS_CODE_ATTEMPTS_EXCEEDED'],
    ])('after %s wrong entries the right code → %s', async (wrong, expected) => {
      // Prepare
      const phone = freshPhone()
      await requestLoginCode(h.deps, { phone })
      const right = await lastCode(phone)
      const wrongCode = right === '000000' ? '111111' : '000000'
      const answers: unknown[] = []
      for (let i = 0; i < wrong; i++) answers.push((await loginWithSmsCode(h.deps, { phone, code: wrongCode })) as unknown)

      // Act
      const r = await loginWithSmsCode(h.deps, { phone, code: right })

      // Assess
      expect(code(r)).toBe(expected)
      expect(answers.map((a) => (a as { error: { code: string; details: { attemptsLeft: number } } }).error.details.attemptsLeft)).toEqual([4, 3, 2, 1, 0].slice(0, wrong))
      if (wrong === 5) expect((answers[4] as { error: { code: string } }).error.code).toBe('SMS_CODE_ATTEMPTS_EXCEEDED')
    })

    it('a used code is refused when replayed (SMS_CODE_USED); no code yet → SMS_CODE_INVALID', async () => {
      const phone = freshPhone()
      expect(code(await loginWithSmsCode(h.deps, { phone, code: '123456' }))).toBe('SMS_CODE_INVALID')
      await requestLoginCode(h.deps, { phone })
      const c = await lastCode(phone)
      expect(code(await loginWithSmsCode(h.deps, { phone, code: c }))).toBe('OK')
      expect(code(await loginWithSmsCode(h.deps, { phone, code: c }))).toBe('SMS_CODE_USED')
    })

    it.each([
      [1, 'SMS_RESEND_TOO_SOON', 59],
      [59, 'SMS_RESEND_TOO_SOON', 1],
      [60, 'OK', undefined],
    ])('a second code %s s after the first → %s (retry after %s s); the new code replaces the old', async (seconds, expected, retryAfter) => {
      const phone = freshPhone()
      await requestLoginCode(h.deps, { phone })
      const first = await lastCode(phone)
      h.clock.advanceSeconds(seconds)
      const again = await requestLoginCode(h.deps, { phone })
      expect(code(again)).toBe(expected)
      if (!again.ok) expect(again.error.details).toEqual({ retryAfterSeconds: retryAfter })
      if (again.ok && first !== (await lastCode(phone))) expect(code(await loginWithSmsCode(h.deps, { phone, code: first }))).toBe('SMS_CODE_INVALID')
    })

    it('10 codes per phone per natural day (China time); the 11th waits for midnight UTC+8', async () => {
      // Prepare: 2026-03-01 23:40 China time.
      h.clock.advanceSeconds(11 * 3600 + 40 * 60)
      const phone = freshPhone()
      for (let i = 0; i < 10; i++) {
        expect(code(await requestLoginCode(h.deps, { phone }))).toBe('OK')
        h.clock.advanceSeconds(60)
      }
      // Act: 23:50, the 11th
      const eleventh = await requestLoginCode(h.deps, { phone })

      // Assess
      expect(eleventh).toMatchObject({ ok: false, error: { code: 'SMS_DAILY_LIMIT', details: { retryAfterSeconds: 600 } } })
      expect(code(await requestLoginCode(h.deps, { phone: freshPhone() }))).toBe('OK')
      h.clock.advanceSeconds(600)
      expect(code(await requestLoginCode(h.deps, { phone }))).toBe('OK')
    })

    it('each purpose has its own daily budget (issue 10 item 6): a flood of login codes for the victim\'s phone leaves their intent codes working', async () => {
      // Prepare: the victim is logged in and a signer of a live contract.
      const phone = freshPhone()
      const userId = await login(phone)
      await seedContract(userId)

      // Act: the attacker asks for login codes to the victim's phone until refused (from many addresses).
      const answers: string[] = []
      for (let i = 0; i < 12; i++) {
        h.clock.advanceSeconds(60)
        answers.push(code(await requestLoginCode(h.deps, { phone, sourceIp: `198.51.100.${i}` })))
      }

      // Assess: the login budget is spent (10 a day, the victim's own login included); intent codes still work, and confirm.
      expect(answers).toEqual([...Array(9).fill('OK'), 'SMS_DAILY_LIMIT', 'SMS_DAILY_LIMIT', 'SMS_DAILY_LIMIT'])
      expect(code(await requestIntentCode(h.deps, { userId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A }))).toBe('OK')
      const proof = await confirmIntent(h.deps, { userId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A, method: 'sms', code: await lastCode(phone) })
      expect(code(proof)).toBe('OK')
      // Intent has its own 10 a day.
      for (let i = 1; i < 10; i++) {
        h.clock.advanceSeconds(60)
        expect(code(await requestIntentCode(h.deps, { userId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A }))).toBe('OK')
      }
      h.clock.advanceSeconds(60)
      expect(code(await requestIntentCode(h.deps, { userId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A }))).toBe('SMS_DAILY_LIMIT')
    })

    it('unauthenticated sends have a per-source budget: 15 different phones from one IP do not all get a code', async () => {
      const answers: string[] = []
      for (let i = 0; i < 15; i++) answers.push(code(await requestLoginCode(h.deps, { phone: freshPhone(), sourceIp: '203.0.113.7' })))
      expect(answers).toEqual([...Array(10).fill('OK'), ...Array(5).fill('TOO_MANY_REQUESTS')])
      // Another source is not affected; a refused request sent nothing.
      const other = freshPhone()
      expect(code(await requestLoginCode(h.deps, { phone: other, sourceIp: '203.0.113.8' }))).toBe('OK')
      const refused = freshPhone()
      expect(await requestLoginCode(h.deps, { phone: refused, sourceIp: '203.0.113.7' })).toMatchObject({ ok: false, error: { code: 'TOO_MANY_REQUESTS', details: { retryAfterSeconds: expect.any(Number) } } })
      expect(await h.deps.outbox!.list({ phone: refused })).toEqual([])
      // A request that sends nothing (resend too soon) gives its share back; the window passes.
      h.clock.advanceSeconds(600)
      const phone = freshPhone()
      expect(code(await requestLoginCode(h.deps, { phone, sourceIp: '203.0.113.9' }))).toBe('OK')
      for (let i = 0; i < 20; i++) expect(code(await requestLoginCode(h.deps, { phone, sourceIp: '203.0.113.9' }))).toBe('SMS_RESEND_TOO_SOON')
      for (let i = 0; i < 9; i++) expect(code(await requestLoginCode(h.deps, { phone: freshPhone(), sourceIp: '203.0.113.9' }))).toBe('OK')
      expect(code(await requestLoginCode(h.deps, { phone: freshPhone(), sourceIp: '203.0.113.9' }))).toBe('TOO_MANY_REQUESTS')
    })

    it('an SMS gateway timeout advances nothing: no resend wait, no daily count, no code stored', async () => {
      // Prepare: the real Tencent adapter against a fake that never answers.
      const fake = await new FakeTencentCloud({ AKIDtest: 'key' }, () => h.clock.nowSeconds()).start()
      try {
        fake.answer = () => ({ $hang: true })
        const hanging = { ...h.deps, sms: new TencentSmsSender({ credentials: { secretId: 'AKIDtest', secretKey: 'key' }, clock: h.clock, endpoint: fake.url, sdkAppId: '1', signName: '签约', templateId: '1', timeoutMs: 200 }) }
        const phone = freshPhone()

        // Act
        const r = await requestLoginCode(hanging, { phone })

        // Assess
        expect(r).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE', details: { retryable: true } } })
        expect(code(await loginWithSmsCode(h.deps, { phone, code: '123456' }))).toBe('SMS_CODE_INVALID')
        for (let i = 0; i < 10; i++) {
          expect(code(await requestLoginCode(h.deps, { phone }))).toBe('OK')
          h.clock.advanceSeconds(60)
        }
      } finally {
        await fake.stop()
      }
    })
  })

  describe('person verification: face attempts (5 failures → 24 h lock) and outages', () => {
    const failFace = async (userId: string) => {
      const started = await startFaceVerification(h.deps, { userId })
      if (!started.ok) return started
      const token = started.value.url.split('/').pop()!
      await h.deps.sandboxFace!.completeFaceSession(token, 'fail')
      return completeFaceVerification(h.deps, { userId })
    }

    it('counts failures per ID number, locks on the 5th for 24 h, then allows again', async () => {
      // Prepare
      const userId = await login()
      expect(code(await submitPersonDetails(h.deps, { userId, ...ZHANG, phone: ZHANG.phone }))).toBe('OK')

      // Act + Assess: 5 failures
      const left: unknown[] = []
      for (let i = 0; i < 5; i++) {
        const r = await failFace(userId)
        expect(code(r)).toBe('FACE_FAILED')
        left.push(!r.ok && r.error.details?.attemptsLeft)
        h.clock.advanceSeconds(60)
      }
      expect(left).toEqual([4, 3, 2, 1, 0])
      const locked = await startFaceVerification(h.deps, { userId })
      expect(locked).toMatchObject({ ok: false, error: { code: 'FACE_LOCKED' } })
      expect(!locked.ok && locked.error.details?.retryAfterSeconds).toBe(86400 - 60)

      // Another account with the same ID number is locked too.
      const other = await login()
      expect(code(await submitPersonDetails(h.deps, { userId: other, ...ZHANG }))).toBe('OK')
      expect(code(await startFaceVerification(h.deps, { userId: other }))).toBe('FACE_LOCKED')
      const view = await getPersonVerification(h.deps, { userId })
      expect(view).toMatchObject({ ok: true, value: { face: { attemptsLeft: 0, lockedUntil: expect.any(String) } } })

      // 24 h after the 5th failure the lock is gone and a pass verifies.
      h.clock.advanceSeconds(86400 - 60)
      const started = await startFaceVerification(h.deps, { userId })
      expect(code(started)).toBe('OK')
      await h.deps.sandboxFace!.completeFaceSession((started as { value: { url: string } }).value.url.split('/').pop()!, 'pass')
      const done = await completeFaceVerification(h.deps, { userId })
      expect(done).toMatchObject({ ok: true, value: { status: 'verified', face: { failures: 0, attemptsLeft: 5 }, certificate: { serialNumber: expect.stringMatching(/^[0-9A-F]+$/) } } })
    })

    it('an unfinished session is FACE_PENDING (not counted); one older than 2 h expires (not counted); 赵六 always fails', async () => {
      const userId = await login()
      await submitPersonDetails(h.deps, { userId, ...ZHAO })
      expect(code(await startFaceVerification(h.deps, { userId }))).toBe('OK')
      expect(code(await completeFaceVerification(h.deps, { userId }))).toBe('FACE_PENDING')
      h.clock.advanceSeconds(7200)
      expect(code(await completeFaceVerification(h.deps, { userId }))).toBe('FACE_SESSION_EXPIRED')
      expect(code(await completeFaceVerification(h.deps, { userId }))).toBe('VERIFICATION_STEP_INVALID')
      const started = await startFaceVerification(h.deps, { userId })
      await h.deps.sandboxFace!.completeFaceSession((started as { value: { url: string } }).value.url.split('/').pop()!, 'pass')
      expect(await completeFaceVerification(h.deps, { userId })).toMatchObject({ ok: false, error: { code: 'FACE_FAILED', details: { attemptsLeft: 4 } } })
    })

    it('a provider timeout (test identity 钱七) stores nothing and is retryable', async () => {
      const userId = await login()
      const r = await submitPersonDetails(h.deps, { userId, name: '钱七', idNumber: '330106199501010057', phone: '13800000005' })
      expect(r).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE', details: { retryable: true } } })
      expect(await getPersonVerification(h.deps, { userId })).toMatchObject({ ok: true, value: { status: 'unverified', nextStep: 'details' } })
    })

    it.each([
      [{ ...ZHANG, idNumber: '110101199003070012' }, 'ID_NUMBER_INVALID', 'idNumber'],
      [{ ...ZHANG, phone: '12800000001' }, 'PHONE_INVALID', 'phone'],
      [{ ...ZHANG, name: '李四' }, 'IDENTITY_MISMATCH', undefined],
      [{ name: '李四', idNumber: '110101198506150027', phone: '13800000002' }, 'IDENTITY_MISMATCH', undefined],
      [{ name: '王五', idNumber: '310104199202200030', phone: '13800000003' }, 'IDENTITY_MISMATCH', undefined],
      [{ name: '孙八', idNumber: '510107198005120068', phone: '13800000006' }, 'IDENTITY_MISMATCH', undefined],
      [{ ...ZHANG, phone: '13800000009' }, 'IDENTITY_MISMATCH', undefined],
    ])('%j → %s, nothing stored', async (input, expected, field) => {
      const userId = await login()
      const r = await submitPersonDetails(h.deps, { userId, ...input })
      expect(code(r)).toBe(expected)
      if (field) expect(!r.ok && r.error.details?.field).toBe(field)
      expect(await getPersonVerification(h.deps, { userId })).toMatchObject({ ok: true, value: { status: 'unverified' } })
    })
  })

  describe('micro-deposit: 3 attempts, 72 h', () => {
    const verifiedApplicant = async () => {
      const userId = await login()
      await submitPersonDetails(h.deps, { userId, ...ZHANG })
      const s = await startFaceVerification(h.deps, { userId })
      await h.deps.sandboxFace!.completeFaceSession((s as { value: { url: string } }).value.url.split('/').pop()!, 'pass')
      expect(code(await completeFaceVerification(h.deps, { userId }))).toBe('OK')
      const company = await applyForCompany(h.deps, { userId, name: '沙箱测试科技有限公司', creditCode: '91350100M000100Y43', legalRepName: '张三', legalRepIdNumber: ZHANG.idNumber })
      if (!company.ok) throw new Error(JSON.stringify(company.error))
      return { userId, companyId: company.value.companyId }
    }
    const deposit = async (ids: { userId: string; companyId: string }) => {
      const r = await startMicroDeposit(h.deps, { ...ids, bankName: '沙箱银行', bankAccount: '1234 5678 9012 3456 78' })
      expect(code(r)).toBe('OK')
      const amount = (await h.deps.outbox!.list({ bankAccount: '123456789012345678' }))[0]!.amount!
      const wrong = amount === '0.01' ? '0.02' : '0.01'
      return { amount, wrong }
    }

    it.each([
      [0, 'OK'],
      [2, 'OK'],
      [3, 'MICRO_DEPOSIT_ATTEMPTS_EXCEEDED'],
    ])('after %s wrong amounts, the right one → %s', async (wrongs, expected) => {
      const ids = await verifiedApplicant()
      const { amount, wrong } = await deposit(ids)
      for (let i = 0; i < wrongs; i++) {
        const r = await confirmMicroDeposit(h.deps, { ...ids, amount: wrong })
        expect(r).toMatchObject({ ok: false, error: { code: i === 2 ? 'MICRO_DEPOSIT_ATTEMPTS_EXCEEDED' : 'MICRO_DEPOSIT_WRONG_AMOUNT', details: { attemptsLeft: 2 - i } } })
      }
      const r = await confirmMicroDeposit(h.deps, { ...ids, amount })
      expect(code(r)).toBe(expected)
      if (r.ok) expect(r.value).toMatchObject({ status: 'verified', method: 'micro-deposit', myRole: 'admin', microDeposit: { state: 'confirmed' } })
    })

    it.each([
      [72 * 3600 - 1, 'OK'],
      [72 * 3600, 'MICRO_DEPOSIT_EXPIRED'],
    ])('the right amount %s s after the payout → %s', async (seconds, expected) => {
      const ids = await verifiedApplicant()
      const { amount } = await deposit(ids)
      h.clock.advanceSeconds(seconds)
      expect(code(await confirmMicroDeposit(h.deps, { ...ids, amount }))).toBe(expected)
    })

    it('a non-amount is refused without counting; a second payout waits for the first to end', async () => {
      const ids = await verifiedApplicant()
      const { amount, wrong } = await deposit(ids)
      for (const junk of ['abc', '1.5', '0.375', '0']) expect(code(await confirmMicroDeposit(h.deps, { ...ids, amount: junk }))).toBe('VALIDATION_FAILED')
      expect(code(await startMicroDeposit(h.deps, { ...ids, bankName: '沙箱银行', bankAccount: '123456789012345678' }))).toBe('MICRO_DEPOSIT_PENDING')
      for (let i = 0; i < 3; i++) await confirmMicroDeposit(h.deps, { ...ids, amount: wrong })
      const again = await startMicroDeposit(h.deps, { ...ids, bankName: '沙箱银行', bankAccount: '123456789012345678' })
      expect(again).toMatchObject({ ok: true, value: { microDeposit: { attemptsLeft: 3, state: 'awaiting-amount' } } })
      expect(amount).toMatch(/^0\.\d\d$/)
    })

    it.each([
      ['1234567', 'BANK_ACCOUNT_INVALID'],
      ['12345678x', 'BANK_ACCOUNT_INVALID'],
    ])('bank account %j → %s naming the field', async (bankAccount, expected) => {
      const ids = await verifiedApplicant()
      const r = await startMicroDeposit(h.deps, { ...ids, bankName: '沙箱银行', bankAccount })
      expect(r).toMatchObject({ ok: false, error: { code: expected, details: { field: 'bankAccount' } } })
    })
  })

  describe('intent proofs: bound to contract, signer and document; 10 minutes; single use', () => {
    const confirmWithCode = async (userId: string, phone: string, documentHash: string, codeDoc = documentHash) => {
      await seedContract(userId)
      await requestIntentCode(h.deps, { userId, contractId: 'C1', signerId: 'S1', documentHash: codeDoc })
      return confirmIntent(h.deps, { userId, contractId: 'C1', signerId: 'S1', documentHash, method: 'sms', code: await lastCode(phone) })
    }

    it('a code sent for document A does not confirm document B', async () => {
      const phone = freshPhone()
      const userId = await login(phone)
      const r = await confirmWithCode(userId, phone, DOC_B, DOC_A)
      expect(code(r)).toBe('SMS_CODE_INVALID')
    })

    it('verifies only for the same act, within 10 minutes, once', async () => {
      // Prepare
      const phone = freshPhone()
      const userId = await login(phone)
      const proof = await confirmWithCode(userId, phone, DOC_A)
      if (!proof.ok) throw new Error(JSON.stringify(proof.error))
      const base = { proofId: proof.value.proofId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A }

      // Assess
      const reason = (r: Awaited<ReturnType<typeof verifyIntentProof>>) => (r.ok ? 'OK' : String(r.error.details?.reason))
      expect(reason(await verifyIntentProof(h.deps, { ...base, documentHash: DOC_B }))).toBe('mismatch')
      expect(reason(await verifyIntentProof(h.deps, { ...base, signerId: 'S2' }))).toBe('not-found')
      expect(reason(await verifyIntentProof(h.deps, { ...base, userId: 'someone-else' }))).toBe('mismatch')
      const ok = await verifyIntentProof(h.deps, { ...base, userId })
      expect(ok).toMatchObject({ ok: true, value: { proofHash: proof.value.proofHash, proof: { method: 'sms', documentHash: DOC_A } } })
      h.clock.advanceSeconds(599)
      expect(reason(await verifyIntentProof(h.deps, { ...base, consume: true }))).toBe('OK')
      expect(reason(await verifyIntentProof(h.deps, { ...base, consume: true }))).toBe('used')
    })

    it('records a confirmed intent as exactly one INTENT_CONFIRMED evidence record matching the proof; the chain verifies', async () => {
      // Prepare
      const phone = freshPhone()
      const userId = await login(phone)

      // Act
      const proof = await confirmWithCode(userId, phone, DOC_A)

      // Assess
      if (!proof.ok) throw new Error(JSON.stringify(proof.error))
      const chain = await verifyEvidenceChain(h.deps, { contractId: 'C1' })
      if (!chain.ok) throw new Error(JSON.stringify(chain.error))
      const events = chain.value.records.filter((r) => r.type === 'intent.confirmed')
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ seq: 1, at: proof.value.confirmedAt })
      expect(events[0].data).toEqual({ contractId: 'C1', signerId: 'S1', proofId: proof.value.proofId, documentHash: DOC_A, method: 'sms', proofHash: proof.value.proofHash })
      expect(intentProofHash(proof.value.proof)).toBe(events[0].data.proofHash)
      expect(JSON.stringify(chain.value.records)).not.toContain(phone)
    })

    it('stores no usable proof when its evidence record cannot be appended', async () => {
      // Prepare: every transaction fails its conditions, so the proof and its evidence record cannot be written.
      const phone = freshPhone()
      const userId = await login(phone)
      await seedContract(userId)
      await requestIntentCode(h.deps, { userId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A })
      const store = h.deps.metadata
      const losing = new Proxy(store, { get: (t, p, r) => (p === 'transact' ? async () => ({ ok: false, code: 'CONFLICT', message: 'taken' }) : Reflect.get(t, p, r)) })

      // Act
      const r = await confirmIntent({ ...h.deps, metadata: losing }, { userId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A, method: 'sms', code: await lastCode(phone) })

      // Assess
      expect(code(r)).toBe('CONFLICT')
      expect((await store.query('INTENT#C1#S1', { skPrefix: 'PROOF#' })).items).toEqual([])
      expect(await verifyEvidenceChain(h.deps, { contractId: 'C1' })).toMatchObject({ ok: true, value: { length: 0 } })
    })

    it('confirms intent by face (verified person only); a failed face counts towards the lock', async () => {
      // Prepare: a verified person.
      const userId = await login()
      await seedContract(userId)
      expect(code(await startIntentFace(h.deps, { userId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A }))).toBe('PERSON_NOT_VERIFIED')
      await submitPersonDetails(h.deps, { userId, ...ZHANG })
      const s = await startFaceVerification(h.deps, { userId })
      await h.deps.sandboxFace!.completeFaceSession((s as { value: { url: string } }).value.url.split('/').pop()!, 'pass')
      expect(code(await completeFaceVerification(h.deps, { userId }))).toBe('OK')
      const target = { userId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A }

      // Act + Assess: a failed face intent, then a passed one.
      const failed = await startIntentFace(h.deps, target)
      if (!failed.ok) throw new Error(JSON.stringify(failed.error))
      expect(code(await confirmIntent(h.deps, { ...target, method: 'face', challengeId: failed.value.challengeId }))).toBe('FACE_PENDING')
      await h.deps.sandboxFace!.completeFaceSession(failed.value.url.split('/').pop()!, 'fail')
      expect(await confirmIntent(h.deps, { ...target, method: 'face', challengeId: failed.value.challengeId })).toMatchObject({ ok: false, error: { code: 'FACE_FAILED', details: { attemptsLeft: 4 } } })
      expect(code(await confirmIntent(h.deps, { ...target, method: 'face', challengeId: failed.value.challengeId }))).toBe('INTENT_PROOF_INVALID')
      const passed = await startIntentFace(h.deps, target)
      if (!passed.ok) throw new Error(JSON.stringify(passed.error))
      await h.deps.sandboxFace!.completeFaceSession(passed.value.url.split('/').pop()!, 'pass')
      expect(code(await confirmIntent(h.deps, { ...target, documentHash: DOC_B, method: 'face', challengeId: passed.value.challengeId }))).toBe('INTENT_PROOF_INVALID')
      const proof = await confirmIntent(h.deps, { ...target, method: 'face', challengeId: passed.value.challengeId })
      expect(proof).toMatchObject({ ok: true, value: { method: 'face', proof: { providerSessionHash: expect.stringMatching(/^[0-9a-f]{64}$/) } } })
      const chain = await verifyEvidenceChain(h.deps, { contractId: 'C1' })
      expect(chain).toMatchObject({ ok: true, value: { length: 1, records: [{ type: 'intent.confirmed', data: { method: 'face', proofHash: proof.ok && proof.value.proofHash } }] } })
      const person = await getPersonVerification(h.deps, { userId })
      expect(person).toMatchObject({ ok: true, value: { face: { failures: 1, attemptsLeft: 4 } } })
    })

    it('expires after 10 minutes, and a stored proof that was altered is refused', async () => {
      const phone = freshPhone()
      const userId = await login(phone)
      const p1 = await confirmWithCode(userId, phone, DOC_A)
      if (!p1.ok) throw new Error('no proof')
      h.clock.advanceSeconds(600)
      const expired = await verifyIntentProof(h.deps, { proofId: p1.value.proofId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A })
      expect(!expired.ok && expired.error.details?.reason).toBe('expired')

      h.clock.advanceSeconds(60)
      const p2 = await confirmWithCode(userId, phone, DOC_A)
      if (!p2.ok) throw new Error('no proof')
      const key = intentProofKey({ contractId: 'C1', signerId: 'S1' }, p2.value.proofId)
      const stored = (await h.deps.metadata.get(key.pk, key.sk))!
      const { version, ...rest } = stored
      await h.deps.metadata.put({ ...rest, proof: { ...(stored.proof as object), confirmedAt: '2020-01-01T00:00:00.000Z' } }, { expectedVersion: version })
      const tampered = await verifyIntentProof(h.deps, { proofId: p2.value.proofId, contractId: 'C1', signerId: 'S1', documentHash: DOC_A })
      expect(!tampered.ok && tampered.error.details?.reason).toBe('tampered')
    })
  })
})
