/**
 * The platform PKI (root, issuing CA, TSA) for PDF signing tests, built once per test file from
 * cloud-functions/core/pki, plus helpers to issue event certificates for named signers.
 */
import { X509Certificate } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCaHierarchy, type CaHierarchy, type CaKeyType } from '../../cloud-functions/core/pki/create-ca-hierarchy'
import { issueEventCertificate } from '../../cloud-functions/core/pki/issue-event-certificate'
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
}

export async function createPdfTestPki(o: { rootKey?: CaKeyType; issuingKey?: CaKeyType } = {}): Promise<PdfTestPki> {
  const now = new Date()
  const ca = await createCaHierarchy({
    now,
    baseUrl: BASE_URL,
    organization: 'Qianyue Test',
    keyTypes: { root: o.rootKey ?? 'P-256', issuing: o.issuingKey ?? 'P-256' },
  })
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
      issueEventCertificate({ name, organization, issuer: ca.issuing, baseUrl: BASE_URL, now: new Date() }),
  }
}
