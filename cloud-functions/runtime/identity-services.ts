import { derivePersonalDataKeys, unwrapDataKey, wrapDataKey, type PersonalDataKeys, type WrappedDataKey } from '../core/identity/personal-data'
import type { TrueTypeFont } from '../core/pdf/truetype-font'
import type { IdentityProvider } from '../ports/identity-provider'
import type { Payout } from '../ports/payout'
import type { SmsSender } from '../ports/sms-sender'
import type { SandboxIdentityProvider } from '../adapters/sandbox/sandbox-identity-provider'
import type { SandboxOutbox } from '../adapters/sandbox/sandbox-outbox'
import type { WeChatLogin } from '../adapters/wechat/wechat-login'
import type { Container } from './container'
import { getPkiServices, type PkiServices } from './pki-services'
import { personalDataKeyKey } from '../use-cases/identity/records'

/** What the identity, auth and intent use cases need beyond the base container. */
export type IdentityServices = {
  identity: IdentityProvider
  sms: SmsSender
  /** Sandbox identity provider only (no real payout adapter exists yet): micro-deposits are unavailable otherwise. */
  payout?: Payout
  /** Keys of personal-data encryption and lookup hashes (data key wrapped under the master key). */
  personalData: PersonalDataKeys
  /**
   * The trust services (runtime/pki-services.ts): the platform CA for long-term certificates
   * (`issueLongTermCertificate` after verification), recorded event certificates and the TSA
   * (the authorisation letter's signature).
   */
  pki: PkiServices
  /** The CJK font for generated documents. */
  font: () => TrueTypeFont
  /** Sandbox only: the outbox of codes and payouts, and the 沙箱 face page's sessions. */
  outbox?: SandboxOutbox
  sandboxFace?: SandboxIdentityProvider
  /** WeChat code2Session login, when `ESIGN_WECHAT_APP_ID` is set. */
  wechat?: WeChatLogin
}

/** Use-case dependencies: the base container plus {@link IdentityServices}. */
export type IdentityDeps = Container & IdentityServices

const cache = new WeakMap<object, Promise<IdentityServices>>()

/**
 * The identity services of a container, built once per container (keyed by its metadata store,
 * which the router's per-request copies of the container share). Sandbox or Tencent Cloud adapters
 * are chosen by `config.identity`.
 */
export function getIdentityServices(deps: Container): Promise<IdentityServices> {
  let services = cache.get(deps.metadata)
  if (!services) {
    services = createIdentityServices(deps)
    cache.set(deps.metadata, services)
    services.catch(() => cache.delete(deps.metadata))
  }
  return services
}

/** `deps` with its identity services: what handlers pass to the identity use cases. */
export async function withIdentityServices(deps: Container): Promise<IdentityDeps> {
  return { ...deps, ...(await getIdentityServices(deps)) }
}

/** Build the services (not memoised: tests with their own clock call this). */
export async function createIdentityServices(deps: Container): Promise<IdentityServices> {
  const { config, metadata, clock, ids } = deps
  const id = config.identity
  const pki = await getPkiServices(deps)
  let masterKey = config.masterKey
  if (!masterKey) {
    if (config.mode !== 'local') throw new Error('ESIGN_MASTER_KEY is required when ESIGN_MODE=aws (it wraps the personal-data key)')
    // The local CA (created by the trust services above) keeps the generated master key.
    const { readMasterKey } = await import('../adapters/local/local-ca-store')
    masterKey = await readMasterKey(pki.location)
  }
  const personalData = derivePersonalDataKeys(await loadOrCreateDataKey(deps, masterKey))

  const needsSandbox = id.identityProvider === 'sandbox' || id.smsProvider === 'sandbox'
  const { SandboxOutbox } = await import('../adapters/sandbox/sandbox-outbox')
  const outbox = new SandboxOutbox({ metadata, clock, ids })
  const credentials = { secretId: id.tencent.secretId ?? '', secretKey: id.tencent.secretKey ?? '' }

  let identity: IdentityProvider
  let sandboxFace: SandboxIdentityProvider | undefined
  if (id.identityProvider === 'tencent') {
    const { TencentIdentityProvider } = await import('../adapters/tencent-cloud/tencent-identity-provider')
    identity = new TencentIdentityProvider({
      credentials,
      clock,
      faceIdEndpoint: id.tencent.faceIdEndpoint,
      ocrEndpoint: id.tencent.ocrEndpoint,
      faceRuleId: id.tencent.faceRuleId ?? '',
      region: id.tencent.region,
      timeoutMs: id.providerTimeoutMs,
    })
  } else {
    const { SandboxIdentityProvider } = await import('../adapters/sandbox/sandbox-identity-provider')
    sandboxFace = new SandboxIdentityProvider({ metadata, clock, ids, publicBaseUrl: config.publicBaseUrl })
    identity = sandboxFace
  }

  let sms: SmsSender
  if (id.smsProvider === 'tencent') {
    const { TencentSmsSender } = await import('../adapters/tencent-cloud/tencent-sms-sender')
    sms = new TencentSmsSender({
      credentials,
      clock,
      endpoint: id.tencent.smsEndpoint,
      region: id.tencent.region,
      sdkAppId: id.tencent.smsSdkAppId ?? '',
      signName: id.tencent.smsSignName ?? '',
      templateId: id.tencent.smsTemplateId ?? '',
      timeoutMs: id.providerTimeoutMs,
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

  let wechat: WeChatLogin | undefined
  if (id.wechat.appId && id.wechat.appSecret) {
    const { WeChatLogin } = await import('../adapters/wechat/wechat-login')
    wechat = new WeChatLogin({ appId: id.wechat.appId, appSecret: id.wechat.appSecret, apiBase: id.wechat.apiBase, timeoutMs: id.providerTimeoutMs })
  }

  const { loadNotoSansSc } = await import('../adapters/local/noto-sans-sc-font')
  return {
    identity,
    sms,
    payout,
    personalData,
    pki,
    font: loadNotoSansSc,
    outbox: needsSandbox ? outbox : undefined,
    sandboxFace,
    wechat,
  }
}


/**
 * The personal-data key: 32 random bytes, stored in the metadata store only wrapped
 * (AES-256-GCM) under the master key. The first caller creates it (a conditional write, so
 * concurrent first callers agree on one key); everyone else unwraps the stored one.
 */
async function loadOrCreateDataKey(deps: Container, masterKey: Uint8Array): Promise<Uint8Array> {
  const existing = await deps.metadata.get(personalDataKeyKey.pk, personalDataKeyKey.sk)
  if (existing) return unwrapDataKey(masterKey, existing.wrapped as WrappedDataKey)
  const dataKey = deps.ids.randomBytes(32)
  const written = await deps.metadata.put({ ...personalDataKeyKey, wrapped: wrapDataKey(masterKey, dataKey), createdAt: deps.clock.now().toISOString() }, { mustNotExist: true })
  if (written.ok) return dataKey
  const winner = await deps.metadata.get(personalDataKeyKey.pk, personalDataKeyKey.sk)
  if (!winner) throw new Error('the personal-data key record vanished while being created')
  return unwrapDataKey(masterKey, winner.wrapped as WrappedDataKey)
}
