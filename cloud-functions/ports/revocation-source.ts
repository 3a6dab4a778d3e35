/**
 * Revocation status from outside the document: the platform's own OCSP responder (or its
 * certificate registry). The verifier asks only for certificates that chain to a trusted root and
 * whose status the document's own data (DSS, CMS) does not settle.
 */
export interface RevocationSource {
  /**
   * A DER `OCSPResponse` (RFC 6960) about `certificate`, issued by `issuer` (both DER), or
   * undefined when no answer is available (unknown issuer, responder down, timeout). Must not throw
   * for those; the verifier then reports the status as unknown.
   */
  ocsp(certificate: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | undefined>
  /**
   * The platform's own record of `certificate` (issued by `issuer`, both DER): `good`, or `revoked`
   * with the time; undefined when it is not exactly a certificate the platform issued. Asked before
   * `ocsp`; a report marks these answers `registry`. Must not throw.
   */
  registryStatus?(certificate: Uint8Array, issuer: Uint8Array): Promise<RegistryStatus | undefined>
}

export type RegistryStatus = { status: 'good' | 'revoked'; revokedAt?: Date }
