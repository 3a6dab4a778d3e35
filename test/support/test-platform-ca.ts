import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InProcessTsa } from '../../cloud-functions/adapters/local/in-process-tsa'
import { LocalKeyVault } from '../../cloud-functions/adapters/local/local-key-vault'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import { createCaHierarchy, type CaHierarchy } from '../../cloud-functions/core/pki/create-ca-hierarchy'
import type { PlatformCa } from '../../cloud-functions/ports/platform-ca'
import { ManualClock } from './manual-clock'

export type TestTrustServices = {
  ca: PlatformCa
  hierarchy: CaHierarchy
  metadata: SqliteMetadataStore
  vault: LocalKeyVault
  clock: ManualClock
  deps: { metadata: SqliteMetadataStore; clock: ManualClock; ca: PlatformCa }
  close: () => Promise<void>
}

/**
 * A {@link PlatformCa} for use-case tests: a fresh hierarchy (Node keys), a LocalKeyVault and a
 * SQLite metadata store in a temp folder, and a manual clock that every piece reads.
 */
export async function startTestTrustServices(start?: Date): Promise<TestTrustServices> {
  const dir = mkdtempSync(join(tmpdir(), 'qianyue-trust-'))
  const clock = new ManualClock(start)
  const hierarchy = await createCaHierarchy({ now: clock.now(), baseUrl: 'https://esign.example.com' })
  const metadata = new SqliteMetadataStore({ file: join(dir, 'metadata.sqlite'), clock })
  const vault = new LocalKeyVault({ directory: join(dir, 'vault'), masterKey: randomBytes(32) })
  const ca: PlatformCa = {
    baseUrl: 'https://esign.example.com',
    rootCertificateDer: hierarchy.root.certificateDer,
    issuingCertificateDer: hierarchy.issuing.certificateDer,
    tsaCertificateDer: hierarchy.tsa.certificateDer,
    ocspCertificateDer: hierarchy.ocsp.certificateDer,
    issuing: hierarchy.issuing,
    root: async () => hierarchy.root,
    ocspResponder: hierarchy.ocsp,
    tsa: new InProcessTsa({ signer: hierarchy.tsa.signer, clock }),
    keyVault: vault,
  }
  return {
    ca,
    hierarchy,
    metadata,
    vault,
    clock,
    deps: { metadata, clock, ca },
    close: async () => {
      await metadata.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
