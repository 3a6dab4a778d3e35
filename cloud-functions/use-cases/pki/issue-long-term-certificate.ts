import { signerProfile } from '../../core/pki/certificate-profile'
import { issueCertificate } from '../../core/pki/issue-certificate'
import { OID } from '../../core/pki/oids'
import { randomSerialNumber } from '../../core/pki/serial-number'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { VaultKeyAlgorithm } from '../../ports/key-vault'
import type { MetadataStore, TransactOperation } from '../../ports/metadata-store'
import type { PlatformCa } from '../../ports/platform-ca'
import { certificateRenewalItem } from '../notifications/records'
import { listOwnerCertificates, recordCertificateOperations, type CertificateRecord } from './records'

export type IssueLongTermCertificateDeps = { metadata: MetadataStore; clock: Clock; ca: PlatformCa }

export type IssueLongTermCertificateInput = {
  /** Who holds it (user or company id): account closure revokes by owner. Default `identity:<subjectSerialNumber>`. */
  owner?: string
  /** The verified name (person) or the company name (organisation certificate's CN). */
  name: string
  /** Subject O, for a certificate of a person acting for a company, or of the company itself. */
  organization?: string
  /**
   * Subject serialNumber: the salted identity hash (`identitySerialNumber`, 64 hex digits) of the
   * ID number (person) or of the unified social credit code (company). Anything else is refused, so
   * an ID number in clear can never reach a certificate.
   */
  subjectSerialNumber: string
  /** Default P-256. */
  algorithm?: VaultKeyAlgorithm
  /** Default 365 days (never beyond the issuing CA's own validity). */
  validityDays?: number
}

/** A long-term certificate is renewed (and not re-issued) from this long before its notAfter. */
export const DEFAULT_RENEW_WITHIN_DAYS = 30

const DAY = 24 * 60 * 60 * 1000

/**
 * Issue a long-term signer certificate after real-name verification (实名认证): a new key in the
 * platform's key vault (KMS in AWS mode, wrapped locally), certified by the issuing CA with the
 * signer profile under the long-term certificate policy (`OID.longTermCertificatePolicy`), and
 * recorded in the certificate registry with its key id and owner. The identity flow calls this
 * with what it verified; the ID number never reaches here, only its salted hash.
 *
 * Idempotent per owner and subject: while the owner holds a good long-term certificate for the
 * same name, organisation and subject serialNumber that is not yet due for renewal, that one is
 * answered (`created: false`) and nothing is created. Bad input is `VALIDATION_FAILED` and
 * creates nothing; when recording fails, the new key is destroyed again.
 *
 * @example
 * const r = await issueLongTermCertificate(deps, { owner: userId, name: '张三', subjectSerialNumber: identitySerialNumber(idNumber, salt) })
 * if (r.ok) r.value.record.serialNumber // '4F…'
 */
export async function issueLongTermCertificate(
  deps: IssueLongTermCertificateDeps,
  input: IssueLongTermCertificateInput,
): Promise<Result<{ record: CertificateRecord; created: boolean }, DomainError<'VALIDATION_FAILED'>>> {
  const checked = validate(input)
  if (!checked.ok) return checked
  const subject = checked.value
  const now = deps.clock.now()
  const owner = input.owner ?? `identity:${subject.subjectSerialNumber}`

  const existing = (await listOwnerCertificates(deps.metadata, owner)).find(
    (r) =>
      r.kind === 'long-term' &&
      r.status === 'good' &&
      r.subjectCommonName === subject.name &&
      r.subjectOrganization === subject.organization &&
      r.subjectSerialNumber === subject.subjectSerialNumber &&
      now.getTime() < new Date(r.notAfter).getTime() - DEFAULT_RENEW_WITHIN_DAYS * DAY,
  )
  if (existing) return ok({ record: existing, created: false })

  const issued = await issueAndRecord(deps, { ...subject, owner, algorithm: input.algorithm ?? 'P-256', validityMs: (input.validityDays ?? 365) * DAY })
  // A fresh random serial cannot collide; a failed condition here is a broken store.
  if (issued.conflict) throw new Error('the certificate registry refused a new serial number')
  return ok({ record: issued.record, created: true })
}

/**
 * Create a key, certify it and write the registry — with the certificate's renewal due item
 * (`RENEWAL#DUE`, 30 days before notAfter) — the record alone, or together with the
 * operations `extra` derives from it, in one transaction (renewal supersedes the old record in the
 * same write). A failed condition destroys the new key and answers `{ conflict: true }`, so the
 * caller can look at what won; any other failure destroys the key and throws.
 */
export async function issueAndRecord(
  deps: IssueLongTermCertificateDeps,
  o: { name: string; organization?: string; subjectSerialNumber: string; owner: string; algorithm: VaultKeyAlgorithm; validityMs: number },
  extra: (record: CertificateRecord) => TransactOperation[] = () => [],
): Promise<{ record: CertificateRecord; conflict: false } | { conflict: true }> {
  const now = deps.clock.now()
  const key = await deps.ca.keyVault.createKey({ algorithm: o.algorithm, label: `qianyue long-term certificate of ${o.owner}` })
  try {
    const certificateDer = await issueCertificate({
      template: signerProfile({
        name: o.name,
        organization: o.organization,
        serialNumber: o.subjectSerialNumber,
        now,
        baseUrl: deps.ca.baseUrl,
        validityMs: o.validityMs,
        policy: OID.longTermCertificatePolicy,
      }),
      subjectPublicKeyInfo: key.publicKeyDer,
      serialNumber: randomSerialNumber(),
      issuer: deps.ca.issuing,
    })
    const { record, operations } = recordCertificateOperations({ certificateDer, kind: 'long-term', issuer: 'issuing', owner: o.owner, keyId: key.keyId, issuedAt: now })
    // Its renewal goes in the schedule's due index with it: the tick renews it 30 days before notAfter.
    // Not for a certificate that short-lived (its successor would be due at once, again and again).
    const renewAt = Date.parse(record.notAfter) - DEFAULT_RENEW_WITHIN_DAYS * DAY
    const renewal: TransactOperation[] = renewAt - Date.parse(record.notBefore) > DEFAULT_RENEW_WITHIN_DAYS * DAY ? [{ put: certificateRenewalItem(record.serialNumber, new Date(renewAt), record.notAfter) }] : []
    const written = await deps.metadata.transact([...operations, ...renewal, ...extra(record)])
    if (!written.ok) {
      await deps.ca.keyVault.destroyKey(key.keyId)
      return { conflict: true }
    }
    return { record, conflict: false }
  } catch (e) {
    await deps.ca.keyVault.destroyKey(key.keyId).catch(() => undefined)
    throw e
  }
}

function validate(input: IssueLongTermCertificateInput): Result<{ name: string; organization?: string; subjectSerialNumber: string }, DomainError<'VALIDATION_FAILED'>> {
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined)
  const name = text(input.name)
  // eslint-disable-next-line no-control-regex
  const printable = (v: string): boolean => [...v].length >= 1 && [...v].length <= 64 && !/[\u0000-\u001f\u007f]/.test(v)
  if (!name || !printable(name)) return err('VALIDATION_FAILED', '姓名或名称须为 1–64 个字符', { field: 'name' })
  const organization = input.organization === undefined ? undefined : text(input.organization)
  if (input.organization !== undefined && (!organization || !printable(organization))) {
    return err('VALIDATION_FAILED', '组织名称须为 1–64 个字符', { field: 'organization' })
  }
  // Only the salted hash: anything else could be an ID number in clear, which must never reach a certificate.
  const serial = text(input.subjectSerialNumber)?.toUpperCase()
  if (!serial || !/^[0-9A-F]{64}$/.test(serial)) {
    return err('VALIDATION_FAILED', '证书主体序列号须为加盐身份摘要（identitySerialNumber，64 位十六进制）', { field: 'subjectSerialNumber' })
  }
  if (input.algorithm !== undefined && input.algorithm !== 'P-256' && input.algorithm !== 'RSA-2048') {
    return err('VALIDATION_FAILED', '密钥算法须为 P-256 或 RSA-2048', { field: 'algorithm' })
  }
  if (input.validityDays !== undefined && (!Number.isInteger(input.validityDays) || input.validityDays < 1 || input.validityDays > 3 * 365)) {
    return err('VALIDATION_FAILED', '有效期须为 1–1095 天', { field: 'validityDays' })
  }
  return ok({ name, organization, subjectSerialNumber: serial })
}
