import { createHash } from 'node:crypto'
import { parseCertificate } from './certificate-info'
import type { Asn1 } from './jsrsasign-adapter'
import { OID } from './oids'

/**
 * The ESS `signing-certificate-v2` signed attribute (RFC 5035 §3, required by PAdES/CAdES baseline
 * and by RFC 5816 for time-stamp tokens) identifying `certificateDer` by its SHA-256 hash:
 *
 * ```asn1
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
 * ESSCertIDv2 ::= SEQUENCE {
 *   hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},  -- omitted: it is SHA-256
 *   certHash      OCTET STRING,
 *   issuerSerial  IssuerSerial }                                       -- issuer name + serial, as pyHanko writes it
 * ```
 *
 * OpenSSL checks this attribute when verifying CMS (3.0+) and time-stamp tokens.
 */
export function signingCertificateV2Attribute(certificateDer: Uint8Array): Asn1 {
  const cert = parseCertificate(certificateDer)
  const certHash = new Uint8Array(createHash('sha256').update(certificateDer).digest())
  const issuerSerial: Asn1 = { seq: [{ seq: [{ explicit: 4, node: { der: cert.issuerDer } }] }, { intBytes: cert.serialNumber }] }
  return attribute(OID.signingCertificateV2, { seq: [{ seq: [{ seq: [{ octets: certHash }, issuerSerial] }] }] })
}

/** `Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }` with one value. */
export function attribute(oid: string, value: Asn1): Asn1 {
  return { seq: [{ oid }, { set: [value] }] }
}
