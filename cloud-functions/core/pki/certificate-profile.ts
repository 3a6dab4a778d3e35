import { createHmac } from 'node:crypto'
import type { Asn1 } from './jsrsasign-adapter'
import { OID } from './oids'

/**
 * Certificate profiles of the platform CA (RFC 5280, with the signer profile following the spirit
 * of ETSI EN 319 412-2). A profile is data — subject, validity and extensions — and
 * `issueCertificate` turns it into a certificate; keys, serial numbers and the issuer are added there
 * (including subjectKeyIdentifier and authorityKeyIdentifier, which every profile gets).
 *
 * Distribution points, relative to the public base URL (`ESIGN_PUBLIC_BASE_URL`, see {@link pkiUrls}),
 * are exactly the routes of `handlers/http/pki.ts`: `/api/pki/crl/root.crl`,
 * `/api/pki/crl/issuing.crl`, `/api/pki/ocsp`, `/api/pki/certs/root.cer`, `/api/pki/certs/issuing.cer`.
 */

/** A distinguished name as the platform writes it, in this RDN order: C, O, OU, CN, serialNumber. */
export type DistinguishedName = {
  commonName: string
  organization?: string
  organizationalUnit?: string
  /** ISO 3166 alpha-2; defaults to `CN`. */
  country?: string
  /**
   * X.520 serialNumber attribute. For people this is a salted hash of the identity number
   * ({@link identitySerialNumber}); the ID number itself never appears in a certificate.
   */
  serialNumber?: string
}

/** One extension: `value` is the ASN.1 value that goes inside `extnValue`'s OCTET STRING. */
export type ExtensionSpec = { oid: string; critical: boolean; value: Asn1 }

/** What a profile decides: subject, validity and extensions. */
export type CertificateTemplate = {
  subject: DistinguishedName
  notBefore: Date
  notAfter: Date
  extensions: ExtensionSpec[]
}

/** The URLs published in certificates, derived from one base URL (no trailing slash needed). */
export type PkiUrls = {
  rootCrl: string
  issuingCrl: string
  ocsp: string
  rootCertificate: string
  issuingCertificate: string
}

/** The paths of {@link PkiUrls} below the base URL; `handlers/http/pki.ts` routes exactly these. */
export const PKI_PATHS = {
  rootCrl: '/api/pki/crl/root.crl',
  issuingCrl: '/api/pki/crl/issuing.crl',
  ocsp: '/api/pki/ocsp',
  rootCertificate: '/api/pki/certs/root.cer',
  issuingCertificate: '/api/pki/certs/issuing.cer',
} as const satisfies PkiUrls

/** Where the trust services publish CRLs, certificates and OCSP, under `baseUrl` (the server's public URL). */
export function pkiUrls(baseUrl: string): PkiUrls {
  const base = baseUrl.replace(/\/+$/, '')
  if (!/^https?:\/\/[^\s]+$/.test(base)) throw new Error(`base URL must be an http(s) URL: ${baseUrl}`)
  return {
    rootCrl: base + PKI_PATHS.rootCrl,
    issuingCrl: base + PKI_PATHS.issuingCrl,
    ocsp: base + PKI_PATHS.ocsp,
    rootCertificate: base + PKI_PATHS.rootCertificate,
    issuingCertificate: base + PKI_PATHS.issuingCertificate,
  }
}

/** Clock-skew allowance: every certificate's notBefore is `now` minus this. */
export const NOT_BEFORE_BACKDATE_MS = 5 * 60 * 1000

const YEAR_MS = 365 * 24 * 60 * 60 * 1000

// Key usage bit positions (RFC 5280 §4.2.1.3).
const KU = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const

/** Root CA: CA:TRUE pathLen 1 (one level of issuing CA below), keyCertSign + cRLSign, 20 years by default. */
export function rootCaProfile(o: { subject: DistinguishedName; now: Date; validityYears?: number }): CertificateTemplate {
  return {
    subject: o.subject,
    ...validity(o.now, (o.validityYears ?? 20) * YEAR_MS),
    extensions: [basicConstraints(true, 1), keyUsage([KU.keyCertSign, KU.cRLSign])],
  }
}

/**
 * Issuing CA for signer certificates (and the OCSP responder): CA:TRUE pathLen 0, keyCertSign +
 * cRLSign, anyPolicy, the root's CRL and certificate URLs. 10 years by default.
 */
export function issuingCaProfile(o: { subject: DistinguishedName; now: Date; baseUrl: string; validityYears?: number }): CertificateTemplate {
  const urls = pkiUrls(o.baseUrl)
  return {
    subject: o.subject,
    ...validity(o.now, (o.validityYears ?? 10) * YEAR_MS),
    extensions: [
      basicConstraints(true, 0),
      keyUsage([KU.keyCertSign, KU.cRLSign]),
      certificatePolicies([OID.anyPolicy]),
      crlDistributionPoint(urls.rootCrl),
      authorityInfoAccess({ caIssuers: urls.rootCertificate }),
    ],
  }
}

/** The act an event certificate is bound to (see {@link signingActBindingExtension}). */
export type SigningActBinding = {
  contractId?: string
  /** SHA-256 of the intent proof (意愿认证 record), 32 bytes. */
  intentProofHash?: Uint8Array
}

/**
 * Signer certificate (natural person or organisation).
 * - subject: C (default CN), O if given, CN = name, serialNumber if given (salted hash only);
 * - keyUsage digitalSignature + nonRepudiation, critical;
 * - extKeyUsage id-kp-documentSigning (1.3.6.1.5.5.7.3.36), not critical;
 * - certificatePolicies: `policy` (default: the platform event-certificate policy, see oids.ts);
 * - cRLDistributionPoints and authorityInfoAccess (OCSP + caIssuers) of the issuing CA;
 * - when `binding` is given, the signing-act binding extension (event certificates).
 *
 * Validity: `now - 5 min` to `now + validityMs` (default one year, so a validator that checks the
 * chain at "now" — pdfsig does — keeps accepting the signature for that long; the time-stamp and the
 * later DSS/LTV data carry it beyond).
 */
export function signerProfile(o: {
  name: string
  organization?: string
  country?: string
  serialNumber?: string
  now: Date
  baseUrl: string
  validityMs?: number
  policy?: string
  binding?: SigningActBinding
}): CertificateTemplate {
  const urls = pkiUrls(o.baseUrl)
  const extensions: ExtensionSpec[] = [
    keyUsage([KU.digitalSignature, KU.nonRepudiation]),
    extKeyUsage([OID.kpDocumentSigning], false),
    certificatePolicies([o.policy ?? OID.eventCertificatePolicy]),
    crlDistributionPoint(urls.issuingCrl),
    authorityInfoAccess({ ocsp: urls.ocsp, caIssuers: urls.issuingCertificate }),
  ]
  if (o.binding && (o.binding.contractId !== undefined || o.binding.intentProofHash !== undefined)) {
    extensions.push(signingActBindingExtension(o.binding))
  }
  return {
    subject: { country: o.country ?? 'CN', organization: o.organization, commonName: o.name, serialNumber: o.serialNumber },
    ...validity(o.now, o.validityMs ?? YEAR_MS),
    extensions,
  }
}

/**
 * Time-stamping unit certificate (RFC 3161 §2.3): keyUsage digitalSignature + nonRepudiation
 * (critical), extKeyUsage id-kp-timeStamping as the only purpose, **critical**; issued by the root.
 */
export function tsaProfile(o: { subject: DistinguishedName; now: Date; baseUrl: string; validityYears?: number }): CertificateTemplate {
  const urls = pkiUrls(o.baseUrl)
  return {
    subject: o.subject,
    ...validity(o.now, (o.validityYears ?? 10) * YEAR_MS),
    extensions: [
      keyUsage([KU.digitalSignature, KU.nonRepudiation]),
      extKeyUsage([OID.kpTimeStamping], true),
      certificatePolicies([OID.infrastructureCertificatePolicy]),
      crlDistributionPoint(urls.rootCrl),
      authorityInfoAccess({ caIssuers: urls.rootCertificate }),
    ],
  }
}

/**
 * Delegated OCSP responder certificate (RFC 6960 §4.2.2.2): issued by the CA whose certificates it
 * answers for, extKeyUsage id-kp-OCSPSigning, and id-pkix-ocsp-nocheck (§4.2.2.2.1) so clients
 * do not ask about the responder itself — which is why its validity is short (2 years by default).
 */
export function ocspResponderProfile(o: { subject: DistinguishedName; now: Date; baseUrl: string; validityYears?: number }): CertificateTemplate {
  const urls = pkiUrls(o.baseUrl)
  return {
    subject: o.subject,
    ...validity(o.now, (o.validityYears ?? 2) * YEAR_MS),
    extensions: [
      keyUsage([KU.digitalSignature]),
      extKeyUsage([OID.kpOcspSigning], false),
      { oid: OID.ocspNoCheck, critical: false, value: { null: true } },
      certificatePolicies([OID.infrastructureCertificatePolicy]),
      authorityInfoAccess({ caIssuers: urls.issuingCertificate }),
    ],
  }
}

/**
 * The signing-act binding of an event certificate, a non-critical private extension
 * (OID `<platform arc>.3.1`, see oids.ts):
 *
 * ```asn1
 * SigningActBinding ::= SEQUENCE {
 *   contractId       [0] IMPLICIT UTF8String OPTIONAL,   -- the platform's contract id
 *   intentProofHash  [1] IMPLICIT OCTET STRING OPTIONAL  -- SHA-256 of the intent proof record
 * }
 * ```
 *
 * It is an extension rather than subject attributes so that the subject stays a plain, comparable
 * identity (name, organisation) and validators that do not know the extension ignore it.
 */
export function signingActBindingExtension(b: SigningActBinding): ExtensionSpec {
  const fields: Asn1[] = []
  if (b.contractId !== undefined) {
    if (b.contractId.length === 0 || b.contractId.length > 128) throw new Error('contractId must be 1–128 characters')
    fields.push({ implicit: 0, node: { utf8: b.contractId } })
  }
  if (b.intentProofHash !== undefined) {
    if (b.intentProofHash.length !== 32) throw new Error('intentProofHash must be a 32-byte SHA-256 value')
    fields.push({ implicit: 1, node: { octets: b.intentProofHash } })
  }
  return { oid: OID.signingActBinding, critical: false, value: { seq: fields } }
}

/**
 * The subject serialNumber value for a person: uppercase hex HMAC-SHA256(salt, ID number), 64
 * characters (X.520 ub-serial-number). The salt is a platform secret, so the value identifies the
 * person across certificates without revealing or enabling a lookup of the ID number.
 */
export function identitySerialNumber(idNumber: string, salt: Uint8Array): string {
  if (salt.length < 16) throw new Error('identity salt must be at least 16 bytes')
  return createHmac('sha256', salt).update(idNumber.trim().toUpperCase(), 'utf8').digest('hex').toUpperCase()
}

/** The `Name` (RDNSequence) of a {@link DistinguishedName}: C, O, OU, CN, serialNumber. */
export function distinguishedNameAsn1(dn: DistinguishedName): Asn1 {
  const rdns: Asn1[] = []
  const add = (oid: string, value: Asn1): void => {
    rdns.push({ set: [{ seq: [{ oid }, value] }] })
  }
  const country = dn.country ?? 'CN'
  if (!/^[A-Z]{2}$/.test(country)) throw new Error(`country must be ISO 3166 alpha-2: ${country}`)
  add(OID.countryName, { printable: country })
  if (dn.organization !== undefined) add(OID.organizationName, { utf8: bounded(dn.organization, 'organization') })
  if (dn.organizationalUnit !== undefined) add(OID.organizationalUnitName, { utf8: bounded(dn.organizationalUnit, 'organizationalUnit') })
  add(OID.commonName, { utf8: bounded(dn.commonName, 'commonName') })
  if (dn.serialNumber !== undefined) add(OID.serialNumber, { printable: bounded(dn.serialNumber, 'serialNumber') })
  return { seq: rdns }
}

/** Upper bounds of X.520 (ub-common-name, ub-organization-name, ub-serial-number …): 64 characters. */
function bounded(value: string, what: string): string {
  const v = value.trim()
  if (v.length === 0 || [...v].length > 64) throw new Error(`${what} must be 1–64 characters`)
  return v
}

function validity(now: Date, lifetimeMs: number): { notBefore: Date; notAfter: Date } {
  const t = now.getTime()
  if (Number.isNaN(t)) throw new Error('invalid "now"')
  return { notBefore: new Date(Math.floor((t - NOT_BEFORE_BACKDATE_MS) / 1000) * 1000), notAfter: new Date(Math.floor((t + lifetimeMs) / 1000) * 1000) }
}

function basicConstraints(ca: boolean, pathLen?: number): ExtensionSpec {
  const fields: Asn1[] = []
  if (ca) fields.push({ bool: true })
  if (pathLen !== undefined) fields.push({ int: pathLen })
  return { oid: OID.basicConstraints, critical: true, value: { seq: fields } }
}

function keyUsage(bits: number[]): ExtensionSpec {
  return { oid: OID.keyUsage, critical: true, value: { namedBits: bits } }
}

function extKeyUsage(purposes: string[], critical: boolean): ExtensionSpec {
  return { oid: OID.extKeyUsage, critical, value: { seq: purposes.map((oid) => ({ oid })) } }
}

function certificatePolicies(policies: string[]): ExtensionSpec {
  return { oid: OID.certificatePolicies, critical: false, value: { seq: policies.map((oid) => ({ seq: [{ oid }] })) } }
}

/** One DistributionPoint with a fullName URI: `SEQUENCE { [0] { [0] { [6] uri } } }`. */
function crlDistributionPoint(uri: string): ExtensionSpec {
  return {
    oid: OID.cRLDistributionPoints,
    critical: false,
    value: { seq: [{ seq: [{ explicit: 0, node: { implicit: 0, node: { seq: [{ implicit: 6, node: { ia5: uri } }] } } }] }] },
  }
}

function authorityInfoAccess(o: { ocsp?: string; caIssuers?: string }): ExtensionSpec {
  const descriptions: Asn1[] = []
  if (o.ocsp) descriptions.push({ seq: [{ oid: OID.accessOcsp }, { implicit: 6, node: { ia5: o.ocsp } }] })
  if (o.caIssuers) descriptions.push({ seq: [{ oid: OID.accessCaIssuers }, { implicit: 6, node: { ia5: o.caIssuers } }] })
  return { oid: OID.authorityInfoAccess, critical: false, value: { seq: descriptions } }
}
