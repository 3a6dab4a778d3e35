import { Certificate } from '../../core/verification/certificate'
import type { RegistryStatus, RevocationSource } from '../../ports/revocation-source'

/** What the registry holds about one certificate (use-cases/pki/certificate-registry.ts). */
export type RegistryEntry = { certificateDer: Uint8Array; status: 'good' | 'superseded' | 'revoked'; revokedAt?: string }

/**
 * Revocation status of the platform's own certificates, from its certificate registry: signer
 * certificates of the issuing CA and the certificates the root issued (the issuing CA, the TSA).
 * Answers only when the issuer is the platform's root or issuing CA and the registry holds exactly
 * these certificate bytes (a certificate from another CA with the same names and serial gets no
 * answer). `superseded` (renewed) is good. Anything else is left to `fallback` (the platform OCSP).
 *
 * @example
 * const revocation = new PlatformRegistryRevocationSource({ rootDer, issuingDer, lookup: (serial) => getCertificateRecord(metadata, serial), fallback })
 */
export class PlatformRegistryRevocationSource implements RevocationSource {
  private readonly issuers: Set<string>

  constructor(
    private readonly options: {
      rootDer: Uint8Array
      issuingDer: Uint8Array
      /** The registry record of an uppercase-hex serial number (INTEGER content bytes). */
      lookup: (serialHex: string) => Promise<RegistryEntry | undefined>
      fallback?: RevocationSource
    },
  ) {
    this.issuers = new Set([options.rootDer, options.issuingDer].map((d) => Certificate.tryParse(d)?.sha256).filter((x): x is string => x !== undefined))
  }

  async registryStatus(certificate: Uint8Array, issuer: Uint8Array): Promise<RegistryStatus | undefined> {
    try {
      const issuerCert = Certificate.tryParse(issuer)
      const cert = Certificate.tryParse(certificate)
      if (!issuerCert || !cert || !this.issuers.has(issuerCert.sha256)) return undefined
      const hex = Buffer.from(cert.serialNumber).toString('hex').toUpperCase()
      // The registry names a serial by its INTEGER content bytes: with a leading 00 when the high bit is set.
      for (const serial of [hex, `00${hex}`]) {
        const entry = await this.options.lookup(serial)
        if (!entry || !Buffer.from(entry.certificateDer).equals(Buffer.from(certificate))) continue
        return entry.status === 'revoked' ? { status: 'revoked', revokedAt: entry.revokedAt ? new Date(entry.revokedAt) : undefined } : { status: 'good' }
      }
      return undefined
    } catch {
      return undefined
    }
  }

  async ocsp(certificate: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | undefined> {
    return this.options.fallback?.ocsp(certificate, issuer)
  }
}
