import { parseCertificate } from './certificate-info'
import { signatureAlgorithm } from './algorithms'
import { extension, type CertificateIssuer } from './issue-certificate'
import { encodeDer, type Asn1 } from './jsrsasign-adapter'
import { OID } from './oids'
import { signStructure } from './sign-structure'

/** RFC 5280 §5.3.1 CRLReason values. */
export const CRL_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const

export type CrlReason = keyof typeof CRL_REASONS

/** One revoked certificate. */
export type RevokedCertificate = {
  /** The certificate's serial number as INTEGER content bytes (`CertificateInfo.serialNumber`). */
  serialNumber: Uint8Array
  revocationDate: Date
  /** Omitted from the entry when `unspecified` (RFC 5280 §5.3.1: SHOULD be absent). */
  reason?: CrlReason
}

export type BuildCrlInput = {
  /** The CA whose certificates are listed; it signs the CRL (keyUsage cRLSign). */
  issuer: CertificateIssuer
  thisUpdate: Date
  nextUpdate: Date
  /** Monotonically increasing per issuer (RFC 5280 §5.2.3); the caller keeps the counter. */
  crlNumber: bigint
  revoked: RevokedCertificate[]
}

/**
 * A complete X.509 v2 CRL (RFC 5280 §5) for `issuer`, DER: issuer name from the CA certificate,
 * thisUpdate/nextUpdate, the revoked entries (with a reasonCode entry extension unless unspecified;
 * the list is omitted when empty, as §5.1.2.6 requires), and the CRL extensions
 * authorityKeyIdentifier (= the CA's key id) and cRLNumber. Signed with SHA-256 through the CA's
 * {@link Signer}; nothing here reads the clock.
 *
 * @example
 * const crl = await buildCrl({ issuer: ca.issuing, thisUpdate: now, nextUpdate: addDays(now, 7), crlNumber: 42n, revoked })
 */
export async function buildCrl(input: BuildCrlInput): Promise<Uint8Array> {
  if (!(input.thisUpdate < input.nextUpdate)) throw new Error('thisUpdate must be before nextUpdate')
  if (input.crlNumber < 0n || input.crlNumber >= 1n << 159n) throw new Error('crlNumber must be a non-negative integer of at most 20 octets')
  const ca = parseCertificate(input.issuer.certificateDer)
  if (!ca.subjectKeyIdentifier) throw new Error('the CA certificate has no subjectKeyIdentifier')
  const tbs: Asn1[] = [
    { int: 1 }, // v2
    signatureAlgorithm(input.issuer.signer.keyAlgorithm),
    { der: ca.subjectDer },
    { time: input.thisUpdate },
    { time: input.nextUpdate },
  ]
  if (input.revoked.length > 0) {
    tbs.push({
      seq: input.revoked.map((r): Asn1 => {
        if (r.serialNumber.length === 0 || r.serialNumber.length > 21) throw new Error('bad serial number')
        const entry: Asn1[] = [{ intBytes: r.serialNumber }, { time: r.revocationDate }]
        if (r.reason && r.reason !== 'unspecified') entry.push({ seq: [extension(OID.cRLReason, false, { enumerated: CRL_REASONS[r.reason] })] })
        return { seq: entry }
      }),
    })
  }
  tbs.push({
    explicit: 0,
    node: {
      seq: [
        extension(OID.authorityKeyIdentifier, false, { seq: [{ implicit: 0, node: { octets: ca.subjectKeyIdentifier } }] }),
        extension(OID.cRLNumber, false, { int: input.crlNumber }),
      ],
    },
  })
  return signStructure(encodeDer({ seq: tbs }), input.issuer.signer)
}
