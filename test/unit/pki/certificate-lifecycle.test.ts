/**
 * The certificate lifecycle use cases on a real SQLite registry and a LocalKeyVault: long-term
 * issuance after real-name verification, renewal before expiry, revocation (compromise, account
 * closure), the registry's OCSP status, and CRL regeneration on revocation and on schedule.
 */
import { createHash } from 'node:crypto'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { certificateStatus, getCertificateRecord, listOwnerCertificates, recordCertificate, serialHex } from '../../../cloud-functions/use-cases/pki/records'
import { issueLongTermCertificate } from '../../../cloud-functions/use-cases/pki/issue-long-term-certificate'
import { openCertificateSigner } from '../../../cloud-functions/use-cases/pki/open-certificate-signer'
import { CRL_POLICY, refreshCrl } from '../../../cloud-functions/use-cases/pki/refresh-crl'
import { renewCertificate } from '../../../cloud-functions/use-cases/pki/renew-certificate'
import { revokeCertificate } from '../../../cloud-functions/use-cases/pki/revoke-certificate'
import { revokeOwnerCertificates } from '../../../cloud-functions/use-cases/pki/revoke-owner-certificates'
import { startTestTrustServices, type TestTrustServices } from '../../support/test-platform-ca'

jest.setTimeout(30_000)

const DAY_S = 86_400
const IDENTITY_HASH = 'C0FFEE'.repeat(10) + 'C0FE'
const sha256 = (s: string) => new Uint8Array(createHash('sha256').update(s).digest())

/** Every item in the store, to prove a refused call wrote nothing. */
async function allItems(t: TestTrustServices): Promise<string> {
  const db = (t.metadata as unknown as { db: { prepare(sql: string): { all(): unknown[] } } }).db
  return JSON.stringify(db.prepare('select pk, sk, version, data from items order by pk, sk').all())
}

describe('certificate lifecycle', () => {
  let t: TestTrustServices
  beforeEach(async () => (t = await startTestTrustServices()))
  afterEach(() => t.close())

  describe('issueLongTermCertificate', () => {
    it('creates a vault key, certifies it under the long-term policy and records it with its owner and key id', async () => {
      const r = await issueLongTermCertificate(t.deps, { owner: 'u1', name: ' 张三 ', subjectSerialNumber: IDENTITY_HASH.toLowerCase() })
      if (!r.ok) throw new Error(r.error.message)
      expect(r.value.created).toBe(true)
      const record = r.value.record
      expect(record).toMatchObject({ kind: 'long-term', issuer: 'issuing', owner: 'u1', status: 'good', subjectCommonName: '张三', subjectSerialNumber: IDENTITY_HASH })
      expect(await t.vault.describeKey(record.keyId!)).toBeDefined()
      const info = parseCertificate(record.certificateDer)
      expect(Buffer.from((await t.vault.describeKey(record.keyId!))!.publicKeyDer).equals(Buffer.from(info.subjectPublicKeyInfoDer))).toBe(true)
      expect(await getCertificateRecord(t.metadata, record.serialNumber)).toEqual(record)
      expect((await listOwnerCertificates(t.metadata, 'u1')).map((c) => c.serialNumber)).toEqual([record.serialNumber])
      // Its key signs through the vault, with the chain certificate → issuing CA.
      const signer = await openCertificateSigner(t.deps, record.serialNumber)
      if (!signer.ok) throw new Error(signer.error.message)
      expect(await signer.value.certificateChain()).toEqual([record.certificateDer, t.ca.issuingCertificateDer])
    })

    it('answers the existing certificate for the same owner and subject instead of issuing a second one', async () => {
      const first = await issueLongTermCertificate(t.deps, { owner: 'u1', name: '张三', subjectSerialNumber: IDENTITY_HASH })
      const second = await issueLongTermCertificate(t.deps, { owner: 'u1', name: '张三', subjectSerialNumber: IDENTITY_HASH })
      expect(second).toMatchObject({ ok: true, value: { created: false } })
      if (first.ok && second.ok) expect(second.value.record.serialNumber).toBe(first.value.record.serialNumber)
      const company = await issueLongTermCertificate(t.deps, { owner: 'u1', name: '张三', organization: '上海示例信息技术有限公司', subjectSerialNumber: IDENTITY_HASH })
      expect(company).toMatchObject({ ok: true, value: { created: true, record: { subjectOrganization: '上海示例信息技术有限公司' } } })
    })

    it.each([
      [{ name: '', subjectSerialNumber: IDENTITY_HASH }, 'name'],
      [{ name: 'x'.repeat(65), subjectSerialNumber: IDENTITY_HASH }, 'name'],
      [{ name: '张三', subjectSerialNumber: '110101199003071234' + '\n' }, 'subjectSerialNumber'],
      [{ name: '张三', subjectSerialNumber: 'short' }, 'subjectSerialNumber'],
      [{ name: '上海示例信息技术有限公司', organization: '上海示例信息技术有限公司', subjectSerialNumber: '91310000MA1FL8TQ3K' }, 'subjectSerialNumber'],
      [{ name: '张三', organization: '', subjectSerialNumber: IDENTITY_HASH }, 'organization'],
      [{ name: '张三', subjectSerialNumber: IDENTITY_HASH, validityDays: 0 }, 'validityDays'],
    ])('refuses bad input %j with VALIDATION_FAILED on %s, creating no key and no record', async (input, field) => {
      const before = await allItems(t)
      const r = await issueLongTermCertificate(t.deps, { owner: 'u1', ...input })
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field } } })
      expect(await allItems(t)).toBe(before)
    })
  })

  describe('renewCertificate', () => {
    it('refuses to renew before the window, then issues a new key and certificate and supersedes the old one', async () => {
      const issued = await issueLongTermCertificate(t.deps, { owner: 'u1', name: '张三', subjectSerialNumber: IDENTITY_HASH, validityDays: 90 })
      if (!issued.ok) throw new Error(issued.error.message)
      const old = issued.value.record
      const early = await renewCertificate(t.deps, { serialNumber: old.serialNumber })
      expect(early).toMatchObject({ ok: false, error: { code: 'RENEWAL_NOT_DUE' } })

      t.clock.advanceSeconds(70 * DAY_S) // within 30 days of notAfter
      const renewed = await renewCertificate(t.deps, { serialNumber: old.serialNumber })
      if (!renewed.ok) throw new Error(renewed.error.message)
      const fresh = renewed.value.record
      expect(fresh.serialNumber).not.toBe(old.serialNumber)
      expect(fresh.keyId).not.toBe(old.keyId)
      expect(fresh).toMatchObject({ subjectCommonName: '张三', subjectSerialNumber: IDENTITY_HASH, owner: 'u1', status: 'good' })
      expect(new Date(fresh.notAfter).getTime() - new Date(fresh.notBefore).getTime()).toBe(new Date(old.notAfter).getTime() - new Date(old.notBefore).getTime())
      expect(await getCertificateRecord(t.metadata, old.serialNumber)).toMatchObject({ status: 'superseded', supersededBy: fresh.serialNumber })
      // The old key is gone, the old certificate is not revoked (earlier signatures stay valid).
      expect(await t.vault.describeKey(old.keyId!)).toBeUndefined()
      expect(await certificateStatus(t.metadata, parseCertificate(old.certificateDer).serialNumber, 'issuing')).toEqual({ status: 'good' })
      expect(await openCertificateSigner(t.deps, old.serialNumber)).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_NOT_USABLE' } })
      // Renewing the superseded one again is refused, pointing at its successor.
      expect(await renewCertificate(t.deps, { serialNumber: old.serialNumber })).toMatchObject({
        ok: false,
        error: { code: 'CERTIFICATE_NOT_RENEWABLE', details: { supersededBy: fresh.serialNumber } },
      })
    })

    it('two concurrent renewals give one successor', async () => {
      const issued = await issueLongTermCertificate(t.deps, { owner: 'u1', name: '张三', subjectSerialNumber: IDENTITY_HASH, validityDays: 10 })
      if (!issued.ok) throw new Error(issued.error.message)
      const [a, b] = await Promise.all([renewCertificate(t.deps, { serialNumber: issued.value.record.serialNumber }), renewCertificate(t.deps, { serialNumber: issued.value.record.serialNumber })])
      expect(a.ok && b.ok).toBe(true)
      if (a.ok && b.ok) expect(a.value.record.serialNumber).toBe(b.value.record.serialNumber)
      const good = (await listOwnerCertificates(t.metadata, 'u1')).filter((r) => r.status === 'good')
      expect(good).toHaveLength(1)
    })

    it('refuses unknown serials and event certificates', async () => {
      expect(await renewCertificate(t.deps, { serialNumber: 'ABCDEF' })).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_NOT_FOUND' } })
      const event = await issueEventCertificate({ name: '李四', issuer: t.ca.issuing, baseUrl: t.ca.baseUrl, now: t.clock.now() })
      const record = await recordCertificate(t.metadata, { certificateDer: event.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: t.clock.now() })
      expect(await renewCertificate(t.deps, { serialNumber: record.serialNumber })).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_NOT_RENEWABLE' } })
    })
  })

  describe('revokeCertificate', () => {
    it('revokes on compromise: OCSP status revoked, listed on a regenerated CRL, key destroyed; a second call changes nothing', async () => {
      const issued = await issueLongTermCertificate(t.deps, { owner: 'u1', name: '张三', subjectSerialNumber: IDENTITY_HASH })
      if (!issued.ok) throw new Error(issued.error.message)
      const record = issued.value.record
      const crlBefore = await refreshCrl(t.deps, 'issuing')
      t.clock.advanceSeconds(60)
      const r = await revokeCertificate(t.deps, { serialNumber: record.serialNumber.toLowerCase(), reason: 'keyCompromise' })
      expect(r).toMatchObject({ ok: true, value: { changed: true, record: { status: 'revoked', revocationReason: 'keyCompromise', revokedAt: t.clock.now().toISOString() } } })
      expect(await certificateStatus(t.metadata, parseCertificate(record.certificateDer).serialNumber, 'issuing')).toEqual({
        status: 'revoked',
        revocationTime: t.clock.now(),
        reason: 'keyCompromise',
      })
      expect(await t.vault.describeKey(record.keyId!)).toBeUndefined()
      const crl = await refreshCrl(t.deps, 'issuing')
      expect(crl.regenerated).toBe(false) // the revocation already regenerated it
      expect(crl.crlNumber).toBe(crlBefore.crlNumber + 1n)
      expect(Buffer.from(crl.der).includes(Buffer.from(record.serialNumber, 'hex'))).toBe(true)

      const before = await allItems(t)
      expect(await revokeCertificate(t.deps, { serialNumber: record.serialNumber, reason: 'superseded' })).toMatchObject({
        ok: true,
        value: { changed: false, record: { revocationReason: 'keyCompromise' } },
      })
      expect(await allItems(t)).toBe(before)
    })

    it('refuses an unknown serial, a bad reason and the root, writing nothing', async () => {
      await refreshCrl(t.deps, 'issuing')
      await recordCertificate(t.metadata, { certificateDer: t.ca.rootCertificateDer, kind: 'root', issuer: 'self', issuedAt: t.clock.now() })
      const before = await allItems(t)
      expect(await revokeCertificate(t.deps, { serialNumber: '0BADC0DE', reason: 'keyCompromise' })).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_NOT_FOUND' } })
      expect(await revokeCertificate(t.deps, { serialNumber: 'zz', reason: 'keyCompromise' })).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_NOT_FOUND' } })
      expect(await revokeCertificate(t.deps, { serialNumber: '0BADC0DE', reason: 'because' as never })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
      const rootSerial = serialHex(parseCertificate(t.ca.rootCertificateDer).serialNumber)
      expect(await revokeCertificate(t.deps, { serialNumber: rootSerial, reason: 'keyCompromise' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
      expect(await allItems(t)).toBe(before)
    })
  })

  it('account closure revokes every certificate of the owner (current and superseded), once, and no one else’s', async () => {
    const a = await issueLongTermCertificate(t.deps, { owner: 'closing', name: '张三', subjectSerialNumber: IDENTITY_HASH, validityDays: 20 })
    const other = await issueLongTermCertificate(t.deps, { owner: 'staying', name: '李四', subjectSerialNumber: 'AB'.repeat(32) })
    if (!a.ok || !other.ok) throw new Error('issue failed')
    const renewed = await renewCertificate(t.deps, { serialNumber: a.value.record.serialNumber })
    if (!renewed.ok) throw new Error(renewed.error.message)
    const r = await revokeOwnerCertificates(t.deps, { owner: 'closing' })
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.revoked.map((x) => x.serialNumber).sort()).toEqual([a.value.record.serialNumber, renewed.value.record.serialNumber].sort())
    expect(r.value.revoked.every((x) => x.revocationReason === 'cessationOfOperation')).toBe(true)
    expect(await t.vault.describeKey(renewed.value.record.keyId!)).toBeUndefined()
    expect(await getCertificateRecord(t.metadata, other.value.record.serialNumber)).toMatchObject({ status: 'good' })
    expect(await revokeOwnerCertificates(t.deps, { owner: 'closing' })).toEqual({ ok: true, value: { revoked: [] } })
    expect(await revokeOwnerCertificates(t.deps, { owner: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  })

  describe('OCSP status from the registry', () => {
    it('is unknown for a serial never recorded, and for a serial recorded under another issuer', async () => {
      const event = await issueEventCertificate({ name: '王五', intentHash: sha256('i'), issuer: t.ca.issuing, baseUrl: t.ca.baseUrl, now: t.clock.now() })
      const serial = parseCertificate(event.certificateDer).serialNumber
      expect(await certificateStatus(t.metadata, serial, 'issuing')).toEqual({ status: 'unknown' })
      await recordCertificate(t.metadata, { certificateDer: event.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: t.clock.now() })
      expect(await certificateStatus(t.metadata, serial, 'issuing')).toEqual({ status: 'good' })
      expect(await certificateStatus(t.metadata, serial, 'root')).toEqual({ status: 'unknown' })
      // Recording the same certificate twice is a no-op.
      await recordCertificate(t.metadata, { certificateDer: event.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: t.clock.now() })
    })
  })

  describe('refreshCrl on schedule', () => {
    it('keeps a fresh CRL, regenerates it inside the refresh window with the next CRL number, and flags one found past its nextUpdate', async () => {
      const first = await refreshCrl(t.deps, 'issuing')
      expect(first).toMatchObject({ regenerated: true, crlNumber: 1n, wasOverdue: false })
      expect(first.nextUpdate.getTime() - first.thisUpdate.getTime()).toBe(CRL_POLICY.issuing.validityMs)
      t.clock.advanceSeconds(60)
      expect(await refreshCrl(t.deps, 'issuing')).toMatchObject({ regenerated: false, crlNumber: 1n })
      t.clock.advanceSeconds((CRL_POLICY.issuing.validityMs - CRL_POLICY.issuing.refreshBeforeMs) / 1000)
      expect(await refreshCrl(t.deps, 'issuing')).toMatchObject({ regenerated: true, crlNumber: 2n, wasOverdue: false })
      t.clock.advanceSeconds(CRL_POLICY.issuing.validityMs / 1000 + 1)
      expect(await refreshCrl(t.deps, 'issuing')).toMatchObject({ regenerated: true, crlNumber: 3n, wasOverdue: true })
    })

    it('concurrent refreshes publish distinct CRL numbers, never two CRLs under one number', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => refreshCrl(t.deps, 'issuing', { force: true })))
      const numbers = results.map((r) => r.crlNumber.toString()).sort()
      expect(new Set(numbers).size).toBe(5)
    })
  })
})
