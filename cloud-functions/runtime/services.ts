import { derivePersonalDataKeys, unwrapDataKey, wrapDataKey, type WrappedDataKey } from '../core/identity/personal-data'
import type { ContractDeps } from '../use-cases/contracts/deps'
import type { CheckpointDeps } from '../use-cases/evidence/deps'
import type { CertificateIssuer } from '../core/pki/issue-certificate'
import type { CaRole } from '../core/pki/create-ca-hierarchy'
import { sealFontFrom, type SealFont } from '../core/seals/drawing'
import { fontFileSource, notoSansScPath } from '../adapters/local/noto-sans-sc-font'
import type { SandboxIdentityProvider } from '../adapters/sandbox/sandbox-identity-provider'
import type { SandboxOutbox } from '../adapters/sandbox/sandbox-outbox'
import { noAnchor, type Anchor } from '../ports/anchor'
import type { Clock } from '../ports/clock'
import type { DataKeyWrapper, WrappedByVault } from '../ports/data-key-wrapper'
import type { IdentityProvider } from '../ports/identity-provider'
import type { KeyVault } from '../ports/key-vault'
import type { MetadataStore } from '../ports/metadata-store'
import type { Payout } from '../ports/payout'
import type { PlatformCa } from '../ports/platform-ca'
import type { RevocationSource } from '../ports/revocation-source'
import type { EmailSender } from '../ports/email-sender'
import type { SmsSender } from '../ports/sms-sender'
import type { WeChatCodeLogin } from '../ports/wechat-login'
import type { IdentityServices } from '../use-cases/identity/deps'
import { personalDataKeyKey } from '../use-cases/identity/records'
import type { PkiServices } from '../use-cases/pki/deps'
import type { SealDeps } from '../use-cases/seals/deps'
import type { WebhookDeps } from '../use-cases/webhooks/deps'
import type { BulkDeps } from '../use-cases/bulk/deps'
import type { JobQueue } from '../ports/job-queue'
import type { Config } from './config'
import type { Container } from './container'
import type { Logger } from './logger'

/**
 * Every area's services, built here and nowhere else: lazily (an area's adapters are loaded the
 * first time a request needs them) and once per container (keyed by its metadata store, which the
 * router's per-request copies of the container share). Handlers, the schedule and the CLI get theirs
 * from here; use cases see only the types in `use-cases/<area>/deps.ts`.
 *
 * | area | services | built by |
 * |---|---|---|
 * | pki | the platform CA, recorded event certificates | {@link getPkiServices} |
 * | identity (auth, intent) | identity provider, SMS, payout, personal-data keys, sessions, WeChat | {@link getIdentityServices} |
 * | seals | the seal font | {@link sealServices} |
 * | verification | trust roots and revocation from the platform CA | {@link getVerificationServices} |
 */

const areas = new WeakMap<object, Map<string, Promise<unknown>>>()

/** `build()` once per container and area; a failed build is forgotten so the next call retries. */
function memo<T>(deps: { metadata: MetadataStore }, area: string, build: () => Promise<T>): Promise<T> {
  let built = areas.get(deps.metadata)
  if (!built) areas.set(deps.metadata, (built = new Map()))
  let services = built.get(area) as Promise<T> | undefined
  if (!services) {
    services = build()
    built.set(area, services)
    services.catch(() => built.delete(area))
  }
  return services
}

// ---------------------------------------------------------------- pki

export type { EventCertificateRequest, PkiServices } from '../use-cases/pki/deps'

type PkiDeps = { config: Config; clock: Clock; metadata: MetadataStore; logger: Logger }

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
  return memo(deps, 'pki', () => createPkiServices(deps))
}

async function createPkiServices(deps: PkiDeps): Promise<PkiServices> {
  // Loaded here, not at the top: `esign seal` reads this module for its font and must start fast.
  const [{ recordCaCertificates }, { issueRecordedEventCertificate, dailyCertificates }] = await Promise.all([import('../use-cases/pki/records'), import('../use-cases/pki/issue-recorded-event-certificate')])
  const built = deps.config.mode === 'aws' ? await kmsCa(deps) : await localCa(deps)
  const { ca } = built
  await recordCaCertificates(deps.metadata, ca, deps.clock.now())
  if (built.created) deps.logger.info({ location: built.location }, 'created the platform CA hierarchy')
  return {
    ...built,
    issueEventCertificate: (r) => issueRecordedEventCertificate(deps, ca, r),
    dailyCertificate: dailyCertificates(deps, ca),
  }
}

async function localCa(deps: PkiDeps): Promise<Omit<PkiServices, 'issueEventCertificate' | 'dailyCertificate'>> {
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

async function kmsCa(deps: PkiDeps): Promise<Omit<PkiServices, 'issueEventCertificate' | 'dailyCertificate'>> {
  const kms = deps.config.aws.kms
  const keyIds = { root: kms.rootKeyId, issuing: kms.issuingKeyId, tsa: kms.tsaKeyId, ocsp: kms.ocspKeyId }
  const missing = Object.entries(keyIds).filter(([, id]) => !id)
  if (missing.length > 0) {
    const { ConfigError } = await import('./config')
    throw new ConfigError(`the trust services need ${missing.map(([role]) => `ESIGN_KMS_${role.toUpperCase()}_KEY_ID`).join(', ')} when ESIGN_MODE=aws`)
  }
  const { KMSClient } = await import('../adapters/aws/sdk/client-kms')
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
  const { InProcessTsa } = await import('../adapters/local/in-process-tsa')
  const { loadOrCreateVaultCa } = await import('./load-or-create-vault-ca')
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

// ---------------------------------------------------------------- identity

export type { IdentityDeps, IdentityServices } from '../use-cases/identity/deps'

/** Sandbox only, for the handlers (no use case sees them): the outbox of codes and payouts, and the 沙箱 face page's sessions. */
export type SandboxServices = { outbox?: SandboxOutbox; sandboxFace?: SandboxIdentityProvider }

/** The identity services and, in the sandbox, what its pages need. */
export type IdentityRuntimeServices = IdentityServices & SandboxServices

/** A container with its identity services: the `deps` handlers pass to identity, auth and signing use cases. */
export type ContainerWithIdentity = Container & IdentityRuntimeServices

/**
 * The identity services of a container, built once per container (keyed by its metadata store,
 * which the router's per-request copies of the container share). Sandbox or Tencent Cloud adapters
 * are chosen by `config.identity`.
 */
export function getIdentityServices(deps: Container): Promise<IdentityRuntimeServices> {
  return memo(deps, 'identity', () => createIdentityServices(deps))
}

/** `deps` with its identity services: what handlers pass to the identity use cases. */
export async function withIdentityServices(deps: Container): Promise<ContainerWithIdentity> {
  return { ...deps, ...(await getIdentityServices(deps)) }
}

/** Build the services (not memoised: tests with their own clock call this). */
export async function createIdentityServices(deps: Container): Promise<IdentityRuntimeServices> {
  const { config, metadata, clock, ids } = deps
  const { issueSession } = await import('./authenticate')
  const id = config.identity
  if (id.identityProvider === 'none' || id.smsProvider === 'none') {
    const { ConfigError } = await import('./config')
    throw new ConfigError('this process has no identity or SMS provider (ESIGN_IDENTITY_PROVIDER / ESIGN_SMS_PROVIDER = none)')
  }
  const pki = await getPkiServices(deps)
  const personalData = derivePersonalDataKeys(await loadOrCreateDataKey(deps, await dataKeyProtection(deps, pki.location)))

  const needsSandbox = id.identityProvider === 'sandbox' || id.smsProvider === 'sandbox'
  const { SandboxOutbox } = await import('../adapters/sandbox/sandbox-outbox')
  const outbox = new SandboxOutbox({ metadata, clock, ids })
  // What every Tencent Cloud adapter takes.
  const tencent = { credentials: { secretId: id.tencent.secretId ?? '', secretKey: id.tencent.secretKey ?? '' }, clock, region: id.tencent.region, timeoutMs: id.providerTimeoutMs }

  let identity: IdentityProvider
  let sandboxFace: SandboxIdentityProvider | undefined
  if (id.identityProvider === 'tencent') {
    const { TencentIdentityProvider } = await import('../adapters/tencent-cloud/tencent-identity-provider')
    identity = new TencentIdentityProvider({ ...tencent, faceIdEndpoint: id.tencent.faceIdEndpoint, ocrEndpoint: id.tencent.ocrEndpoint, faceRuleId: id.tencent.faceRuleId ?? '' })
  } else {
    const { SandboxIdentityProvider } = await import('../adapters/sandbox/sandbox-identity-provider')
    sandboxFace = new SandboxIdentityProvider({ metadata, clock, ids, publicBaseUrl: config.publicBaseUrl })
    identity = sandboxFace
  }

  let sms: SmsSender
  if (id.smsProvider === 'tencent') {
    const { TencentSmsSender } = await import('../adapters/tencent-cloud/tencent-sms-sender')
    sms = new TencentSmsSender({
      ...tencent,
      endpoint: id.tencent.smsEndpoint,
      sdkAppId: id.tencent.smsSdkAppId ?? '',
      signName: id.tencent.smsSignName ?? '',
      templateId: id.tencent.smsTemplateId ?? '',
    })
  } else {
    const { SandboxSmsSender } = await import('../adapters/sandbox/sandbox-sms-sender')
    sms = new SandboxSmsSender(outbox)
  }

  // No real payout adapter exists yet: micro-deposits exist only with the sandbox identity provider,
  // whose outbox plays the bank statement (a sandbox payout beside real checks would be a way around them).
  let payout: Payout | undefined
  if (id.identityProvider === 'sandbox') {
    const { SandboxPayout } = await import('../adapters/sandbox/sandbox-payout')
    payout = new SandboxPayout(outbox)
  }

  let wechat: WeChatCodeLogin | undefined
  if (id.wechat.appId && id.wechat.appSecret) {
    const { WeChatLogin } = await import('../adapters/wechat/wechat-login')
    wechat = new WeChatLogin({ appId: id.wechat.appId, appSecret: id.wechat.appSecret, apiBase: id.wechat.apiBase, timeoutMs: id.providerTimeoutMs })
  }

  let wechatSubscribe: IdentityServices['wechatSubscribe']
  if (id.wechat.appId && id.wechat.appSecret && Object.keys(id.wechat.subscribeTemplates).length > 0) {
    const { WeChatSubscribeSender } = await import('../adapters/wechat/wechat-subscribe-sender')
    const sender = new WeChatSubscribeSender({
      appId: id.wechat.appId,
      appSecret: id.wechat.appSecret,
      apiBase: id.wechat.apiBase,
      ...(id.wechat.miniprogramState ? { miniprogramState: id.wechat.miniprogramState } : {}),
      timeoutMs: id.providerTimeoutMs,
      clock: deps.clock,
    })
    wechatSubscribe = { sender, templates: id.wechat.subscribeTemplates }
  }

  let email: EmailSender | undefined
  if (id.smtp) {
    const { SmtpEmailSender } = await import('../adapters/smtp/smtp-email-sender')
    email = new SmtpEmailSender({ ...id.smtp, timeoutMs: id.providerTimeoutMs })
  }

  const { loadNotoSansSc } = await import('../adapters/local/noto-sans-sc-font')
  return {
    identity,
    sms,
    email,
    payout,
    personalData,
    pki,
    font: loadNotoSansSc,
    outbox: needsSandbox ? outbox : undefined,
    sandboxFace,
    wechat,
    wechatSubscribe,
    sessions: { issue: (claims, ttlSeconds) => issueSession(deps, claims, ttlSeconds) },
  }
}


/** What protects the stored personal-data key: a KMS key (AWS), else the 32-byte master key. */
type DataKeyProtection = { wrapper?: DataKeyWrapper; masterKey?: Uint8Array }

/**
 * AWS mode with `ESIGN_KMS_DATA_KEY_ID`: envelope encryption under that KMS key (the master key, if
 * also set, only reads a key stored before KMS was configured). Otherwise `ESIGN_MASTER_KEY`, or in
 * local mode the generated master key the local CA keeps.
 */
async function dataKeyProtection(deps: Container, pkiLocation: string): Promise<DataKeyProtection> {
  const { config } = deps
  if (config.mode === 'aws' && config.aws.kms.dataKeyId) {
    const { KMSClient } = await import('../adapters/aws/sdk/client-kms')
    const { KmsDataKeyWrapper } = await import('../adapters/aws/kms-data-key-wrapper')
    const client = new KMSClient({ region: config.aws.region, ...(config.aws.kms.endpoint ? { endpoint: config.aws.kms.endpoint } : {}) })
    return { wrapper: new KmsDataKeyWrapper({ client, keyId: config.aws.kms.dataKeyId }), masterKey: config.masterKey }
  }
  if (config.masterKey) return { masterKey: config.masterKey }
  if (config.mode !== 'local') throw new Error('ESIGN_MODE=aws needs ESIGN_KMS_DATA_KEY_ID (or ESIGN_MASTER_KEY) to protect the personal-data key')
  // The local CA (created by the trust services) keeps the generated master key.
  const { readMasterKey } = await import('../adapters/local/local-ca-store')
  return { masterKey: await readMasterKey(pkiLocation) }
}

/**
 * The personal-data key: 32 bytes, stored in the metadata store only wrapped — by KMS
 * (`vaultWrapped`: GenerateDataKey once for the deployment, Decrypt once per container) or
 * AES-256-GCM under the master key (`wrapped`). The first caller creates it (a conditional write, so
 * concurrent first callers agree on one key); everyone else unwraps the stored one. One key for the
 * whole deployment, because its lookup hashes (ID numbers, phones) must match across containers.
 */
async function loadOrCreateDataKey(deps: Container, p: DataKeyProtection): Promise<Uint8Array> {
  const open = async (item: Record<string, unknown>): Promise<Uint8Array> => {
    if (item.vaultWrapped) {
      if (!p.wrapper) throw new Error('the personal-data key is wrapped by KMS: ESIGN_KMS_DATA_KEY_ID must be set')
      return p.wrapper.unwrap(item.vaultWrapped as WrappedByVault)
    }
    if (!p.masterKey) throw new Error('the personal-data key is wrapped under ESIGN_MASTER_KEY, which is not set')
    return unwrapDataKey(p.masterKey, item.wrapped as WrappedDataKey)
  }
  const existing = await deps.metadata.get(personalDataKeyKey.pk, personalDataKeyKey.sk)
  if (existing) return open(existing)
  let dataKey: Uint8Array
  let stored: Record<string, unknown>
  if (p.wrapper) {
    const generated = await p.wrapper.generate()
    dataKey = generated.dataKey
    stored = { vaultWrapped: generated.wrapped }
  } else {
    dataKey = deps.ids.randomBytes(32)
    stored = { wrapped: wrapDataKey(p.masterKey!, dataKey) }
  }
  const written = await deps.metadata.put({ ...personalDataKeyKey, ...stored, createdAt: deps.clock.now().toISOString() }, { mustNotExist: true })
  if (written.ok) return dataKey
  const winner = await deps.metadata.get(personalDataKeyKey.pk, personalDataKeyKey.sk)
  if (!winner) throw new Error('the personal-data key record vanished while being created')
  return open(winner)
}

// ---------------------------------------------------------------- seals

/** What the seals area needs beyond the base container. */
export type SealServices = {
  /** Noto Sans SC Bold (SIL OFL 1.1, npm @expo-google-fonts/noto-sans-sc), read lazily by position. */
  font: () => SealFont
}

const sealCache = new WeakMap<object, SealServices>()

/** The seals area's services for `deps`, built once per container (the font is read on first use). */
export function sealServices(deps: { metadata: MetadataStore }): SealServices {
  let s = sealCache.get(deps.metadata)
  if (!s) {
    let font: SealFont | undefined
    s = { font: () => (font ??= loadSealFont()) }
    sealCache.set(deps.metadata, s)
  }
  return s
}

/** `deps` with the seal font: what handlers pass to the seals use cases. */
export function withSealServices(deps: Container): SealDeps {
  return { ...deps, sealFont: sealServices(deps).font }
}

/** The seal font (see core/seals/FONTS.md), for the server and `esign seal`. */
export function loadSealFont(): SealFont {
  return sealFontFrom(fontFileSource(notoSansScPath('bold')))
}

// ---------------------------------------------------------------- verification

/** What verifying an uploaded PDF trusts: the platform root, and the platform OCSP (certificate registry) in process. */
export type VerificationServices = { trustRoots: () => Promise<Uint8Array[]>; revocation: RevocationSource }

/** The verification services of a container, over its trust services. */
export function getVerificationServices(deps: Container): Promise<VerificationServices> {
  return memo(deps, 'verification', async () => {
    const { ca } = await getPkiServices(deps)
    const [{ PlatformOcspRevocationSource }, { PlatformRegistryRevocationSource }, { answerOcspRequest }, { getCertificateRecord }] = await Promise.all([
      import('../adapters/ocsp/platform-ocsp-revocation-source'),
      import('../adapters/ocsp/platform-registry-revocation-source'),
      import('../use-cases/pki/answer-ocsp-request'),
      import('../use-cases/pki/records'),
    ])
    // The platform's own certificates are answered from its registry (source `registry`); anything
    // else the document does not carry goes to the in-process OCSP responder.
    const revocation = new PlatformRegistryRevocationSource({
      rootDer: ca.rootCertificateDer,
      issuingDer: ca.issuingCertificateDer,
      lookup: (serial) => getCertificateRecord(deps.metadata, serial),
      fallback: new PlatformOcspRevocationSource(ca.issuingCertificateDer, (request) => answerOcspRequest({ ...deps, ca }, request)),
    })
    return { trustRoots: async () => [ca.rootCertificateDer], revocation }
  })
}

// ── Contracts ────────────────────────────────────────────────────────────────────────────────────

/** `deps` with what the contracts use cases need: identity services, the CPU pool, the verification trust and the evidence anchor. */
export async function withContractServices(deps: Container): Promise<ContractDeps> {
  const { getCpuWork } = await import('./cpu-work')
  const [identity, cpu, verification] = await Promise.all([withIdentityServices(deps), getCpuWork(deps), getVerificationServices(deps)])
  return { ...identity, cpu, verification, anchor: evidenceAnchor() }
}

// ── Evidence ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The external ledger checkpoint roots are handed to (`ports/anchor.ts`): none yet, so `noAnchor`.
 * An adapter for a court's 司法链 or a transparency log is chosen here when one exists.
 */
function evidenceAnchor(): Anchor {
  return noAnchor
}

/** What the evidence checkpoints need: the stores, the clock, the platform TSA and the anchor (`use-cases/evidence/create-checkpoint.ts`). */
export async function getEvidenceServices(deps: Container): Promise<CheckpointDeps> {
  const pki = await getPkiServices(deps)
  return { metadata: deps.metadata, objects: deps.objects, clock: deps.clock, logger: deps.logger, tsa: pki.ca.tsa, anchor: evidenceAnchor() }
}

// ── Webhooks ─────────────────────────────────────────────────────────────────────────────────────

/** How long one webhook delivery may take before it counts as failed. */
const WEBHOOK_TIMEOUT_MS = 10_000

/**
 * `deps` with what the webhook use cases need: the personal-data keys (endpoint secrets are stored
 * encrypted), the system resolver, the pinned-address HTTP poster and the URL policy from the
 * configuration (https in AWS mode; loopback only with `ESIGN_WEBHOOK_ALLOW_LOOPBACK`).
 */
export async function withWebhookServices(deps: Container): Promise<WebhookDeps> {
  const { personalData } = await getIdentityServices(deps)
  const webhooks = await memo(deps, 'webhooks', async () => {
    const [{ DnsHostResolver }, { NodeWebhookPoster }] = await Promise.all([import('../adapters/dns/dns-host-resolver'), import('../adapters/http/node-webhook-poster')])
    return { resolver: new DnsHostResolver(), poster: new NodeWebhookPoster(), policy: deps.config.webhooks, timeoutMs: WEBHOOK_TIMEOUT_MS }
  })
  return { ...deps, personalData, webhooks }
}

// ── Bulk send ────────────────────────────────────────────────────────────────────────────────────

/**
 * `deps` with what bulk send needs: the contracts services (the send use case), the templates
 * (placeholders and roles, and the contract made from a template) and the job queue — locally an
 * in-process queue (one per container; it runs `runBulkJob`, taking over rows a dead process left
 * half-done), on AWS an SQS queue (`ESIGN_BULK_QUEUE_URL`) feeding the bulk-send function.
 */
export async function withBulkServices(deps: Container): Promise<BulkDeps> {
  const contracts = await withContractServices(deps)
  const bulk = await memo(deps, 'bulk', async () => {
    const [{ bulkTemplates }, { runBulkJob }] = await Promise.all([import('../use-cases/bulk/bulk-templates'), import('../use-cases/bulk/run-bulk-job')])
    let queue: JobQueue
    if (deps.config.mode === 'aws' && deps.config.aws.bulkQueueUrl) {
      const { SqsJobQueue } = await import('../adapters/aws/sqs-job-queue')
      queue = new SqsJobQueue({ queueUrl: deps.config.aws.bulkQueueUrl, region: deps.config.aws.region })
    } else {
      const { InProcessJobQueue } = await import('../adapters/local/in-process-job-queue')
      queue = new InProcessJobQueue(
        async (jobId) => {
          await runBulkJob(await withBulkServices(deps), jobId, { reclaimAll: true })
        },
        (error, jobId) => deps.logger.error({ err: error, jobId }, 'bulk send job failed'),
      )
    }
    return { queue, templates: bulkTemplates }
  })
  return { ...contracts, bulkQueue: bulk.queue, templates: bulk.templates(contracts) }
}
