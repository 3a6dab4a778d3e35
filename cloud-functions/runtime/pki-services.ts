import { issueEventCertificate, type EventCertificate } from '../core/pki/issue-event-certificate'
import type { CertificateIssuer } from '../core/pki/issue-certificate'
import type { CaRole } from '../core/pki/create-ca-hierarchy'
import { InProcessTsa } from '../adapters/local/in-process-tsa'
import type { Clock } from '../ports/clock'
import type { KeyVault } from '../ports/key-vault'
import type { MetadataStore } from '../ports/metadata-store'
import type { PlatformCa } from '../ports/platform-ca'
import { recordCertificate, type CertificateKind, type IssuerRole } from '../use-cases/pki/records'
import { loadOrCreateVaultCa } from './load-or-create-vault-ca'
import { ConfigError, type Config } from './config'
import type { Logger } from './logger'

/** The trust services of one process: the platform CA, and event certificates that are recorded. */
export type PkiServices = {
  ca: PlatformCa
  /** Where the CA lives, for logs and `esign ca`: `<dataDir>/pki` or `kms`. */
  location: string
  /** Whether this process created the hierarchy (first start). */
  created: boolean
  /**
   * A fresh key and event certificate (事件证书) for one signing act, recorded in the certificate
   * registry (so OCSP answers good for it). The key lives only in the returned Signer.
   */
  issueEventCertificate(request: EventCertificateRequest): Promise<EventCertificate>
}

export type EventCertificateRequest = {
  name: string
  organization?: string
  contractId?: string
  /** SHA-256 of the intent proof: 32 bytes or 64 hex characters. */
  intentHash?: Uint8Array | string
  subjectSerialNumber?: string
  singleUse?: boolean
}

type PkiDeps = { config: Config; clock: Clock; metadata: MetadataStore; logger: Logger }

const cache = new WeakMap<MetadataStore, Promise<PkiServices>>()

/**
 * The process's trust services, built once per metadata store (the router hands handlers a copy of
 * the container per request; the store is the same object) and created on first use:
 *
 * - local mode: the local CA in `<dataDir>/pki` — the very store `esign sign` and `esign ca` use
 *   (`loadOrCreateLocalCa`), keys wrapped under `ESIGN_MASTER_KEY` or `pki/master.key`; long-term
 *   keys in its `LocalKeyVault`;
 * - AWS mode: root, issuing CA, TSA and OCSP keys are the KMS keys `ESIGN_KMS_{ROOT,ISSUING,TSA,OCSP}_KEY_ID`
 *   (optionally at `ESIGN_KMS_ENDPOINT`), their certificates in the metadata store
 *   (`loadOrCreateVaultCa`); long-term keys are new KMS keys.
 *
 * Either way the CA certificates are recorded in the certificate registry, and certificates issued
 * now point at `ESIGN_PUBLIC_BASE_URL` for CRL and OCSP.
 *
 * @example
 * const pki = await getPkiServices(deps)
 * const reply = await pki.ca.tsa.responder.respond(requestDer)
 */
export function getPkiServices(deps: PkiDeps): Promise<PkiServices> {
  let services = cache.get(deps.metadata)
  if (!services) {
    services = createPkiServices(deps)
    cache.set(deps.metadata, services)
    services.catch(() => cache.delete(deps.metadata))
  }
  return services
}

async function createPkiServices(deps: PkiDeps): Promise<PkiServices> {
  const built = deps.config.mode === 'aws' ? await kmsCa(deps) : await localCa(deps)
  const { ca } = built
  await Promise.all(
    (
      [
        [ca.rootCertificateDer, 'root', 'self'],
        [ca.issuingCertificateDer, 'ca', 'root'],
        [ca.tsaCertificateDer, 'tsa', 'root'],
        [ca.ocspCertificateDer, 'ocsp', 'issuing'],
      ] as [Uint8Array, CertificateKind, IssuerRole][]
    ).map(([certificateDer, kind, issuer]) => recordCertificate(deps.metadata, { certificateDer, kind, issuer, issuedAt: deps.clock.now() })),
  )
  if (built.created) deps.logger.info({ location: built.location }, 'created the platform CA hierarchy')
  return {
    ...built,
    issueEventCertificate: async (r) => {
      const now = deps.clock.now()
      const issued = await issueEventCertificate({
        name: r.name,
        organization: r.organization,
        contractId: r.contractId,
        intentHash: r.intentHash,
        subjectSerialNumber: r.subjectSerialNumber,
        singleUse: r.singleUse,
        issuer: ca.issuing,
        baseUrl: ca.baseUrl,
        now,
      })
      await recordCertificate(deps.metadata, { certificateDer: issued.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: now })
      return issued
    },
  }
}

async function localCa(deps: PkiDeps): Promise<Omit<PkiServices, 'issueEventCertificate'>> {
  const { loadOrCreateLocalCa } = await import('../adapters/local/local-ca-store')
  const local = await loadOrCreateLocalCa(deps.config.dataDir, deps.clock, { masterKey: deps.config.masterKey, baseUrl: deps.config.publicBaseUrl })
  const ca: PlatformCa = {
    baseUrl: local.baseUrl,
    rootCertificateDer: local.rootCertificateDer,
    issuingCertificateDer: local.issuingCertificateDer,
    tsaCertificateDer: local.tsaCertificateDer,
    ocspCertificateDer: local.ocspCertificateDer,
    issuing: local.issuing,
    root: async () => ({ certificateDer: local.rootCertificateDer, signer: await local.rootSigner() }),
    ocspResponder: local.ocspResponder,
    tsa: local.tsa,
    keyVault: local.keyVault,
  }
  return { ca, location: local.directory, created: local.created }
}

async function kmsCa(deps: PkiDeps): Promise<Omit<PkiServices, 'issueEventCertificate'>> {
  const kms = deps.config.aws.kms
  const keyIds = { root: kms.rootKeyId, issuing: kms.issuingKeyId, tsa: kms.tsaKeyId, ocsp: kms.ocspKeyId }
  const missing = Object.entries(keyIds).filter(([, id]) => !id)
  if (missing.length > 0) {
    throw new ConfigError(`the trust services need ${missing.map(([role]) => `ESIGN_KMS_${role.toUpperCase()}_KEY_ID`).join(', ')} when ESIGN_MODE=aws`)
  }
  const { KMSClient } = await import('@aws-sdk/client-kms')
  const { KmsKeyVault } = await import('../adapters/aws/kms-key-vault')
  const vault = new KmsKeyVault({ client: new KMSClient({ region: deps.config.aws.region, ...(kms.endpoint ? { endpoint: kms.endpoint } : {}) }), tags: { app: 'qianyue' } })
  const ca = await vaultBackedCa({ vault, keyIds: keyIds as Record<CaRole, string>, ...deps })
  return { ca: ca.ca, location: `kms (${deps.config.aws.region})`, created: ca.created }
}

/**
 * The {@link PlatformCa} over a key vault's keys, certificates in the metadata store (AWS mode; any
 * vault works, which is how the tests run it on the fake KMS server).
 */
export async function vaultBackedCa(o: {
  vault: KeyVault
  keyIds: Record<CaRole, string>
  metadata: MetadataStore
  clock: Clock
  config: Pick<Config, 'publicBaseUrl'>
}): Promise<{ ca: PlatformCa; created: boolean }> {
  const stored = await loadOrCreateVaultCa({ vault: o.vault, keyIds: o.keyIds, metadata: o.metadata, clock: o.clock, baseUrl: o.config.publicBaseUrl })
  const c = stored.certificates
  const member = async (role: CaRole, chain: Uint8Array[]): Promise<CertificateIssuer> => ({ certificateDer: c[role], signer: await o.vault.signer(o.keyIds[role], chain) })
  const [issuing, ocspResponder, tsa] = await Promise.all([member('issuing', [c.issuing]), member('ocsp', [c.ocsp, c.issuing]), member('tsa', [c.tsa])])
  return {
    created: stored.created,
    ca: {
      baseUrl: o.config.publicBaseUrl,
      rootCertificateDer: c.root,
      issuingCertificateDer: c.issuing,
      tsaCertificateDer: c.tsa,
      ocspCertificateDer: c.ocsp,
      issuing,
      root: () => member('root', [c.root]),
      ocspResponder,
      tsa: new InProcessTsa({ signer: tsa.signer, clock: o.clock }),
      keyVault: o.vault,
    },
  }
}
