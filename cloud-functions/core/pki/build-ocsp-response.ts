import { createHash } from 'node:crypto'
import { err, ok, type DomainError, type Result } from '../shared/result'
import { HASH_ALGORITHMS } from './algorithms'
import { CRL_REASONS, type CrlReason } from './build-crl'
import { parseCertificate } from './certificate-info'
import { contextTag, DerStructureError, expectTag, readIntegerBytes, readOctets, readOid, readSmallInt, TAG } from './der-values'
import type { CertificateIssuer } from './issue-certificate'
import { decodeDer, encodeDer, type Asn1, type DerElement } from './jsrsasign-adapter'
import { OID } from './oids'
import { signStructure } from './sign-structure'

/** The status of one certificate, as the CA's records say. */
export type CertificateStatus = { status: 'good' } | { status: 'revoked'; revocationTime: Date; reason?: CrlReason } | { status: 'unknown' }

/** One `CertID` of a request (RFC 6960 §4.1.1). */
export type OcspCertId = {
  hashAlgorithm: string
  issuerNameHash: Uint8Array
  issuerKeyHash: Uint8Array
  /** INTEGER content bytes. */
  serialNumber: Uint8Array
  /** The CertID exactly as the client sent it (echoed in the response). */
  der: Uint8Array
}

/** A parsed `OCSPRequest`. */
export type OcspRequest = {
  certIds: OcspCertId[]
  /** The nonce extension's extnValue (RFC 6960 §4.4.1, RFC 8954), echoed as is. */
  nonce?: Uint8Array
}

export type BuildOcspResponseInput = {
  /** DER OCSPRequest (HTTP POST body, or the base64-decoded GET path). */
  requestDer: Uint8Array
  /** Who signs: a delegated responder certified by the issuing CA (EKU OCSPSigning), or the CA itself. */
  responder: CertificateIssuer
  /** The CA certificates whose certificates this responder answers for. */
  issuers: Uint8Array[]
  /** The CA's records: the status of `serialNumber` (INTEGER content bytes) issued by `issuerCertificate`. */
  lookup: (serialNumber: Uint8Array, issuerCertificate: Uint8Array) => Promise<CertificateStatus> | CertificateStatus
  /** producedAt and thisUpdate. */
  now: Date
  /** nextUpdate = now + this; default 24 h. */
  validityMs?: number
}

/** Requests listing more certificates than this are answered malformedRequest. */
export const MAX_OCSP_REQUEST_CERTIFICATES = 32

const RESPONSE_STATUS = { successful: 0, malformedRequest: 1, internalError: 2, tryLater: 3, sigRequired: 5, unauthorized: 6 } as const

/**
 * Answer an OCSP request (RFC 6960) with a DER `OCSPResponse`:
 * - unparseable request → `malformedRequest` (no responseBytes);
 * - otherwise `successful` with a BasicOCSPResponse signed by `responder` (SHA-256), ResponderID
 *   byKey, producedAt = thisUpdate = `now`, nextUpdate = now + validity, the responder's
 *   certificate in `certs`, the request nonce echoed, and one SingleResponse per CertID (the CertID
 *   echoed byte for byte): `good`, `revoked` (time, reason) or `unknown` from `lookup`; a CertID
 *   naming an issuer this responder does not serve, or hashed with an unsupported algorithm, is
 *   `unknown`.
 * CertIDs hashed with SHA-1 (what `openssl ocsp` sends by default) and SHA-256/384/512 are matched.
 *
 * @example
 * const der = await buildOcspResponse({ requestDer, responder: ca.ocspResponder, issuers: [ca.issuingCertificateDer], lookup, now: clock.now() })
 */
export async function buildOcspResponse(input: BuildOcspResponseInput): Promise<Uint8Array> {
  const parsed = parseOcspRequest(input.requestDer)
  if (!parsed.ok) return encodeDer({ seq: [{ enumerated: RESPONSE_STATUS.malformedRequest }] })
  const request = parsed.value
  const responderCert = parseCertificate(input.responder.certificateDer)
  const issuers = input.issuers.map((der) => ({ der, info: parseCertificate(der) }))
  const thisUpdate = input.now
  const nextUpdate = new Date(input.now.getTime() + (input.validityMs ?? 24 * 60 * 60 * 1000))

  const responses: Asn1[] = []
  for (const id of request.certIds) {
    const hashName = (HASH_ALGORITHMS as Record<string, { name: string } | undefined>)[id.hashAlgorithm]?.name
    const issuer =
      hashName && hashName !== 'md5'
        ? issuers.find(
            (i) => equal(digest(hashName, i.info.subjectDer), id.issuerNameHash) && equal(digest(hashName, i.info.subjectPublicKey), id.issuerKeyHash),
          )
        : undefined
    const status: CertificateStatus = issuer ? await input.lookup(id.serialNumber, issuer.der) : { status: 'unknown' }
    responses.push({
      seq: [{ der: id.der }, certStatus(status), { generalizedTime: thisUpdate }, { explicit: 0, node: { generalizedTime: nextUpdate } }],
    })
  }
  const responseData: Asn1[] = [
    { explicit: 2, node: { octets: digest('sha1', responderCert.subjectPublicKey) } }, // ResponderID byKey
    { generalizedTime: input.now },
    { seq: responses },
  ]
  if (request.nonce) responseData.push({ explicit: 1, node: { seq: [{ seq: [{ oid: OID.ocspNonce }, { octets: request.nonce }] }] } })
  const basic = await signStructure(encodeDer({ seq: responseData }), input.responder.signer, [
    { explicit: 0, node: { seq: [{ der: input.responder.certificateDer }] } },
  ])
  return encodeDer({
    seq: [{ enumerated: RESPONSE_STATUS.successful }, { explicit: 0, node: { seq: [{ oid: OID.ocspBasic }, { octets: basic }] } }],
  })
}

/**
 * Parse a DER `OCSPRequest` (RFC 6960 §4.1.1). A signed request's signature is ignored (the
 * responder does not require signed requests). Malformed input is `MALFORMED_OCSP_REQUEST`.
 */
export function parseOcspRequest(der: Uint8Array): Result<OcspRequest, DomainError<'MALFORMED_OCSP_REQUEST'>> {
  if (der.length > 64 * 1024) return err('MALFORMED_OCSP_REQUEST', 'request too large')
  const decoded = decodeDer(der)
  if (!decoded.ok) return err('MALFORMED_OCSP_REQUEST', decoded.error.message)
  try {
    const request = expectTag(decoded.value, TAG.sequence, 'OCSPRequest')
    if (request.children.length < 1 || request.children.length > 2) throw new DerStructureError('OCSPRequest must have 1 or 2 fields')
    const tbs = expectTag(request.children[0], TAG.sequence, 'tbsRequest').children
    let i = 0
    if (tbs[i]?.tag === contextTag(0, true)) {
      if (readSmallInt(tbs[i].children[0], 'version') !== 0) throw new DerStructureError('unsupported version')
      i++
    }
    if (tbs[i]?.tag === contextTag(1, true)) i++ // requestorName
    const list = expectTag(tbs[i++], TAG.sequence, 'requestList').children
    if (list.length === 0 || list.length > MAX_OCSP_REQUEST_CERTIFICATES) throw new DerStructureError('requestList must hold 1–32 requests')
    const certIds = list.map((r) => readCertId(expectTag(r, TAG.sequence, 'Request').children[0]))
    let nonce: Uint8Array | undefined
    if (tbs[i]?.tag === contextTag(2, true)) {
      for (const ext of expectTag(tbs[i].children[0], TAG.sequence, 'requestExtensions').children) {
        if (readOid(ext.children[0], 'extnID') === OID.ocspNonce) {
          nonce = readOctets(ext.children[ext.children.length - 1], 'nonce')
          if (nonce.length > 128) throw new DerStructureError('nonce too long')
        }
      }
      i++
    }
    if (i !== tbs.length) throw new DerStructureError('unexpected field in tbsRequest')
    return ok({ certIds, nonce })
  } catch (e) {
    if (e instanceof DerStructureError) return err('MALFORMED_OCSP_REQUEST', e.message)
    throw e
  }
}

function readCertId(e: DerElement | undefined): OcspCertId {
  const id = expectTag(e, TAG.sequence, 'CertID')
  if (id.children.length !== 4) throw new DerStructureError('CertID must have 4 fields')
  return {
    hashAlgorithm: readOid(expectTag(id.children[0], TAG.sequence, 'hashAlgorithm').children[0], 'hashAlgorithm'),
    issuerNameHash: readOctets(id.children[1], 'issuerNameHash'),
    issuerKeyHash: readOctets(id.children[2], 'issuerKeyHash'),
    serialNumber: readIntegerBytes(id.children[3], 'serialNumber'),
    der: id.der,
  }
}

function certStatus(s: CertificateStatus): Asn1 {
  if (s.status === 'good') return { implicit: 0, node: { null: true } }
  if (s.status === 'unknown') return { implicit: 2, node: { null: true } }
  const info: Asn1[] = [{ generalizedTime: s.revocationTime }]
  if (s.reason) info.push({ explicit: 0, node: { enumerated: CRL_REASONS[s.reason] } })
  return { implicit: 1, node: { seq: info } }
}

function digest(algorithm: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest())
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b))
}
