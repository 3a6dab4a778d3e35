/**
 * The platform PKI (root, issuing CA, TSA) for PDF signing tests, built once per test file from
 * cloud-functions/core/pki, plus helpers to issue event certificates for named signers.
 */
import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { signerProfile } from '../../cloud-functions/core/pki/certificate-profile'
import { createCaHierarchy, generateCaKey, type CaHierarchy, type CaKeyType } from '../../cloud-functions/core/pki/create-ca-hierarchy'
import { issueCertificate } from '../../cloud-functions/core/pki/issue-certificate'
import { issueEventCertificate } from '../../cloud-functions/core/pki/issue-event-certificate'
import { createNodeCryptoSigner } from '../../cloud-functions/core/pki/node-crypto-signer'
import { randomSerialNumber } from '../../cloud-functions/core/pki/serial-number'
import { InProcessTsa } from '../../cloud-functions/adapters/local/in-process-tsa'
import type { Signer } from '../../cloud-functions/ports/signer'
import type { TimestampAuthority } from '../../cloud-functions/ports/timestamp-authority'

export const BASE_URL = 'https://esign.test.invalid'

export type PdfTestPki = {
  ca: CaHierarchy
  tsa: TimestampAuthority
  /** PEM of the root, for openssl -CAfile. */
  rootPem: string
  /** Writes root.pem into `dir` and returns its path. */
  writeRoot(dir: string): string
  issue(name: string, organization?: string): Promise<{ signer: Signer; certificateDer: Uint8Array }>
  /**
   * A signer certificate (signer profile, issued by the issuing CA) for a key of `keyType` — e.g. an
   * RSA-2048 or RSA-3072 signer. Keys are generated once per type and PKI (RSA generation is slow).
   */
  issueWithKey(name: string, keyType: CaKeyType): Promise<{ signer: Signer; certificateDer: Uint8Array }>
  /** Total DER size of the certificates the TSA puts into its tokens. */
  tsaCertificatesSize: number
}

export async function createPdfTestPki(o: { rootKey?: CaKeyType; issuingKey?: CaKeyType; tsaKey?: CaKeyType } = {}): Promise<PdfTestPki> {
  const now = new Date()
  const ca = await createCaHierarchy({
    now,
    baseUrl: BASE_URL,
    organization: 'Qianyue Test',
    keyTypes: { root: o.rootKey ?? 'P-256', issuing: o.issuingKey ?? 'P-256', tsa: o.tsaKey ?? 'P-256' },
  })
  const keys = new Map<CaKeyType, KeyObject>()
  const tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: { now: () => new Date() } })
  const rootPem = new X509Certificate(Buffer.from(ca.root.certificateDer)).toString()
  return {
    ca,
    tsa,
    rootPem,
    writeRoot(dir) {
      const p = join(dir, 'root.pem')
      writeFileSync(p, rootPem)
      return p
    },
    issue: (name, organization) =>
      // Test signers are reused across several signatures; real event certificates are single-use.
      issueEventCertificate({ name, organization, issuer: ca.issuing, baseUrl: BASE_URL, now: new Date(), singleUse: false }),
    async issueWithKey(name, keyType) {
      let key = keys.get(keyType)
      if (!key) keys.set(keyType, (key = generateCaKey(keyType)))
      const certificateDer = await issueCertificate({
        template: signerProfile({ name, now: new Date(), baseUrl: BASE_URL }),
        subjectPublicKeyInfo: new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' })),
        serialNumber: randomSerialNumber(),
        issuer: ca.issuing,
      })
      return { signer: createNodeCryptoSigner(key, [certificateDer, ca.issuing.certificateDer]), certificateDer }
    },
    tsaCertificatesSize: ca.tsa.certificateDer.length,
  }
}
