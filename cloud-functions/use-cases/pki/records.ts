import { createHash } from 'node:crypto'
import type { CrlReason } from '../../core/pki/build-crl'
import type { CertificateStatus } from '../../core/pki/build-ocsp-response'
import { nameAttributes, parseCertificate } from '../../core/pki/certificate-info'
import type { Item, MetadataStore, NewItem, TransactOperation } from '../../ports/metadata-store'
import type { CrlIssuer } from './refresh-crl'

/**
 * The certificate registry: every certificate the platform CA issues, in the metadata store, so
 * that OCSP answers good / revoked / unknown and the CRLs list what was revoked.
 *
 * Items (all reads below are strongly consistent queries or gets, on SQLite and DynamoDB):
 * - `CERT#<serial>` / `META` — the {@link CertificateRecord} (serial = uppercase hex of the INTEGER content bytes);
 * - `PKI#CRL#<issuer>#<shard>` / `REVOKED#<serial>` — one entry per revoked certificate, written in
 *   the same transaction as the record's new status: what the issuer's next CRL lists. Spread over
 *   {@link REVOKED_SHARDS} partitions by a hash of the serial, read back in parallel (entries written
 *   before the sharding stay in `PKI#CRL#<issuer>` and are read too);
 * - `PKI#CRL#<issuer>` / `CURRENT` — the current CRL's number, dates and SHA-256; its DER in
 *   `PKI#CRL#<issuer>#PARTS` / `<sha256>#<n>` items of at most {@link CRL_PART_BYTES} each, so that no
 *   item nears DynamoDB's 400 KB limit however many certificates are revoked (20,000 revocations: a
 *   CRL of ≈ 1 MB, ≈ 49 bytes per entry, in 5–6 parts);
 * - `PKI#OWNER#<owner>` / `CERT#<serial>` — the certificates of one owner (account closure).
 */

/** What a certificate is for. `ca`: the issuing CA itself (listed on the root's CRL). */
export type CertificateKind = 'event' | 'long-term' | 'tsa' | 'ocsp' | 'ca' | 'root'

/** Which CA signed it: the root (issuing CA, TSA), the issuing CA (signers, OCSP responder), or itself (root). */
export type IssuerRole = 'root' | 'issuing' | 'self'

/**
 * `good`: valid as far as the CA knows; `superseded`: renewed, no longer used for new signatures
 * but not revoked (OCSP still answers good); `revoked`: on the CRL.
 */
export type CertificateState = 'good' | 'superseded' | 'revoked'

export type CertificateRecord = {
  /** Uppercase hex of the serial number's INTEGER content bytes. */
  serialNumber: string
  kind: CertificateKind
  issuer: IssuerRole
  subjectCommonName: string
  subjectOrganization?: string
  /** The subject serialNumber attribute (a salted identity hash, or a credit code). */
  subjectSerialNumber?: string
  /** Who the certificate belongs to (a user or company id), for long-term certificates. */
  owner?: string
  /** The key vault's id of the key (long-term certificates and KMS-held CA keys). */
  keyId?: string
  /** ISO 8601. */
  notBefore: string
  notAfter: string
  issuedAt: string
  status: CertificateState
  revokedAt?: string
  revocationReason?: CrlReason
  /** Serial of the certificate that replaced this one (renewal). */
  supersededBy?: string
  certificateDer: Uint8Array
  /** The store's item version (optimistic concurrency). */
  version: number
}

/** The registry keys. */
export const certificateKey = (serialHex: string) => ({ pk: `CERT#${serialHex}`, sk: 'META' })
export const revokedEntryKey = (issuer: IssuerRole, serialHex: string) => ({ pk: revokedShardPk(issuer, revokedShard(serialHex)), sk: `REVOKED#${serialHex}` })

/**
 * Partitions of the revoked entries per issuer. 16: a CRL refresh reads them with 16 parallel
 * queries, and each holds 1/16 of the revocations (20,000 revocations: ≈ 1,250 small items each).
 */
export const REVOKED_SHARDS = 16
const revokedShard = (serialHex: string): number => createHash('sha256').update(serialHex).digest()[0]! % REVOKED_SHARDS
const revokedShardPk = (issuer: IssuerRole, shard: number) => `PKI#CRL#${issuer}#${shard.toString(16)}`
const ownerEntryKey = (owner: string, serialHex: string) => ({ pk: `PKI#OWNER#${owner}`, sk: `CERT#${serialHex}` })

/** Uppercase hex of INTEGER content bytes: how the registry names a serial. */
export const serialHex = (serialNumber: Uint8Array): string => Buffer.from(serialNumber).toString('hex').toUpperCase()

export type NewCertificateRecord = {
  certificateDer: Uint8Array
  kind: CertificateKind
  issuer: IssuerRole
  owner?: string
  keyId?: string
  issuedAt: Date
}

/**
 * The transaction operations that record a newly issued certificate (the record, and the owner
 * entry when it has an owner); both must not exist yet. Subject fields and validity are read from
 * the certificate itself, so the record cannot disagree with it.
 */
export function recordCertificateOperations(input: NewCertificateRecord): { record: CertificateRecord; operations: TransactOperation[] } {
  const info = parseCertificate(input.certificateDer)
  const subject = nameAttributes(info.subjectDer)
  const record: CertificateRecord = {
    serialNumber: serialHex(info.serialNumber),
    kind: input.kind,
    issuer: input.issuer,
    subjectCommonName: subject.commonName ?? '',
    subjectOrganization: subject.organization,
    subjectSerialNumber: subject.serialNumber,
    owner: input.owner,
    keyId: input.keyId,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    issuedAt: input.issuedAt.toISOString(),
    status: 'good',
    certificateDer: input.certificateDer,
    version: 1,
  }
  const operations: TransactOperation[] = [{ put: toItem(record), condition: { mustNotExist: true } }]
  if (input.owner) operations.push({ put: { ...ownerEntryKey(input.owner, record.serialNumber), type: 'owner-certificate' }, condition: { mustNotExist: true } })
  return { record, operations }
}

/**
 * Record a newly issued certificate. Recording the same certificate again is a no-op that returns
 * the stored record (so a retried issue, or the CA's own certificates at every start, are safe).
 *
 * @example
 * const record = await recordCertificate(deps.metadata, { certificateDer, kind: 'event', issuer: 'issuing', issuedAt: clock.now() })
 */
export async function recordCertificate(metadata: MetadataStore, input: NewCertificateRecord): Promise<CertificateRecord> {
  const { record, operations } = recordCertificateOperations(input)
  const written = await metadata.transact(operations)
  if (written.ok) return record
  const stored = await getCertificateRecord(metadata, record.serialNumber)
  if (stored && Buffer.from(stored.certificateDer).equals(Buffer.from(input.certificateDer))) return stored
  throw new Error(`serial number ${record.serialNumber} is already recorded for another certificate`)
}

/**
 * Record the platform CA's own certificates (root, issuing CA, TSA, OCSP responder): at every server
 * start, and by `esign sign` when it created the hierarchy. Idempotent (see {@link recordCertificate}).
 */
export async function recordCaCertificates(
  metadata: MetadataStore,
  ca: { rootCertificateDer: Uint8Array; issuingCertificateDer: Uint8Array; tsaCertificateDer: Uint8Array; ocspCertificateDer: Uint8Array },
  issuedAt: Date,
): Promise<void> {
  const certificates: [Uint8Array, CertificateKind, IssuerRole][] = [
    [ca.rootCertificateDer, 'root', 'self'],
    [ca.issuingCertificateDer, 'ca', 'root'],
    [ca.tsaCertificateDer, 'tsa', 'root'],
    [ca.ocspCertificateDer, 'ocsp', 'issuing'],
  ]
  await Promise.all(certificates.map(([certificateDer, kind, issuer]) => recordCertificate(metadata, { certificateDer, kind, issuer, issuedAt })))
}

/** The record of `serial` (uppercase or lowercase hex), or `undefined` when the CA never issued it. */
export async function getCertificateRecord(metadata: MetadataStore, serial: string): Promise<CertificateRecord | undefined> {
  if (!/^[0-9A-Fa-f]{2,42}$/.test(serial)) return undefined
  const key = certificateKey(serial.toUpperCase())
  const item = await metadata.get(key.pk, key.sk)
  return item && fromItem(item)
}

/**
 * The status OCSP reports for a serial number (INTEGER content bytes) of `issuer`: `unknown` for a
 * serial this CA never issued (or issued under another CA), `revoked` with time and reason, else
 * `good` (a superseded certificate is not revoked).
 */
export async function certificateStatus(metadata: MetadataStore, serialNumber: Uint8Array, issuer: IssuerRole): Promise<CertificateStatus> {
  const record = await getCertificateRecord(metadata, serialHex(serialNumber))
  if (!record || record.issuer !== issuer) return { status: 'unknown' }
  if (record.status === 'revoked') return { status: 'revoked', revocationTime: new Date(record.revokedAt!), reason: record.revocationReason }
  return { status: 'good' }
}

/** The transaction operations that revoke `record` (conditional on its version) and list it on its issuer's CRL. */
export function revokeOperations(record: CertificateRecord, revokedAt: Date, reason: CrlReason): TransactOperation[] {
  const updated: CertificateRecord = { ...record, status: 'revoked', revokedAt: revokedAt.toISOString(), revocationReason: reason }
  return [
    { put: toItem(updated), condition: { expectedVersion: record.version } },
    {
      put: { ...revokedEntryKey(record.issuer, record.serialNumber), type: 'revoked-certificate', serialNumber: record.serialNumber, revokedAt: updated.revokedAt, reason },
      condition: { mustNotExist: true },
    },
  ]
}

/** The put that stores a changed record, conditional on the version it was read at. */
export function updateOperation(record: CertificateRecord, changes: Partial<Omit<CertificateRecord, 'serialNumber' | 'version'>>): TransactOperation {
  return { put: toItem({ ...record, ...changes }), condition: { expectedVersion: record.version } }
}

/** Every revoked certificate of `issuer`, for its CRL, in serial order: its shards read in parallel (and the unsharded partition of older entries). */
export async function listRevoked(metadata: MetadataStore, issuer: IssuerRole): Promise<{ serialNumber: string; revokedAt: Date; reason: CrlReason }[]> {
  const partitions = [`PKI#CRL#${issuer}`, ...Array.from({ length: REVOKED_SHARDS }, (_, shard) => revokedShardPk(issuer, shard))]
  const items = (await Promise.all(partitions.map((pk) => queryAll(metadata, pk, 'REVOKED#')))).flat()
  const entries = items.map((i) => ({ serialNumber: String(i.serialNumber), revokedAt: new Date(String(i.revokedAt)), reason: i.reason as CrlReason }))
  return entries.sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0))
}

/** Every certificate recorded for `owner`, oldest serial first. */
export async function listOwnerCertificates(metadata: MetadataStore, owner: string): Promise<CertificateRecord[]> {
  const entries = await queryAll(metadata, `PKI#OWNER#${owner}`, 'CERT#')
  const records = await Promise.all(entries.map((e) => getCertificateRecord(metadata, e.sk.slice('CERT#'.length))))
  return records.filter((r): r is CertificateRecord => r !== undefined)
}

async function queryAll(metadata: MetadataStore, pk: string, skPrefix: string): Promise<Item[]> {
  const items: Item[] = []
  let cursor: string | undefined
  do {
    const page = await metadata.query(pk, { skPrefix, limit: 500, cursor })
    items.push(...page.items)
    cursor = page.next
  } while (cursor)
  return items
}

function toItem(r: CertificateRecord) {
  const { certificateDer, version: _version, ...rest } = r
  return { ...certificateKey(r.serialNumber), type: 'certificate', ...rest, certificateDer: Buffer.from(certificateDer).toString('base64') }
}

function fromItem(item: Item): CertificateRecord {
  const { pk: _pk, sk: _sk, type: _type, certificateDer, version, ...rest } = item
  return { ...(rest as Omit<CertificateRecord, 'certificateDer' | 'version'>), certificateDer: new Uint8Array(Buffer.from(String(certificateDer), 'base64')), version }
}

/** The current CRL of `issuer` (its number, dates and the SHA-256 of its DER, kept in parts). */
export const crlKey = (issuer: CrlIssuer) => ({ pk: `PKI#CRL#${issuer}`, sk: 'CURRENT' })

/** DER bytes per CRL part item (≈ 256 KB once base64-encoded: well under DynamoDB's 400 KB item limit). */
export const CRL_PART_BYTES = 192 * 1024

const crlPartKey = (issuer: CrlIssuer, derSha256: string, index: number) => ({ pk: `PKI#CRL#${issuer}#PARTS`, sk: `${derSha256}#${String(index).padStart(4, '0')}` })

/**
 * The part items of a CRL: keyed by the SHA-256 of its DER (two processes that sign different CRLs
 * at once never overwrite each other's parts), each expiring `expiresAt` (epoch seconds: after the
 * CRL's nextUpdate, when a newer CRL has replaced it).
 */
export function crlPartItems(issuer: CrlIssuer, der: Uint8Array, expiresAt: number): { derSha256: string; parts: NewItem[] } {
  const derSha256 = createHash('sha256').update(der).digest('hex')
  const parts: NewItem[] = []
  for (let offset = 0, index = 0; offset < der.length; offset += CRL_PART_BYTES, index++) {
    parts.push({ ...crlPartKey(issuer, derSha256, index), type: 'crl-part', der: Buffer.from(der.subarray(offset, offset + CRL_PART_BYTES)).toString('base64'), expiresAt })
  }
  return { derSha256, parts }
}

/** The DER of a CRL stored in parts, or undefined when a part is missing or the bytes do not match `derSha256`. */
export async function readCrlParts(metadata: MetadataStore, issuer: CrlIssuer, derSha256: string, partCount: number): Promise<Uint8Array | undefined> {
  const items = await queryAll(metadata, `PKI#CRL#${issuer}#PARTS`, `${derSha256}#`)
  if (items.length !== partCount) return undefined
  const der = Buffer.concat(items.map((i) => Buffer.from(String(i.der), 'base64')))
  return createHash('sha256').update(der).digest('hex') === derSha256 ? new Uint8Array(der) : undefined
}

/** The platform CA's certificates in AWS mode (keys in KMS; see runtime/load-or-create-vault-ca.ts). */
export const vaultCaKey = { pk: 'PKI#CA', sk: 'CURRENT' }
