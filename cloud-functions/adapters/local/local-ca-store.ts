import { randomBytes, type KeyObject } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import { access, mkdir, mkdtemp, open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CA_ROLES, createCaHierarchy, type CaRole } from '../../core/pki/create-ca-hierarchy'
import { issueEventCertificate, type EventCertificate } from '../../core/pki/issue-event-certificate'
import type { CertificateIssuer } from '../../core/pki/issue-certificate'
import { createNodeCryptoSigner } from '../../core/pki/node-crypto-signer'
import { fromPem, toPem } from '../../core/pki/pem'
import type { Clock } from '../../ports/clock'
import type { Signer } from '../../ports/signer'
import { InProcessTsa } from './in-process-tsa'
import { unwrapPrivateKey, wrapPrivateKey, type KeyEnvelope } from './key-envelope'
import { LocalKeyVault } from './local-key-vault'

/** The local platform CA, loaded and ready to sign. */
export type LocalCa = {
  /** `<dataDir>/pki`. */
  directory: string
  /** Base URL of the CRL DP / AIA of the signer certificates issued through this object (see `LocalCaOptions.baseUrl`). */
  baseUrl: string
  /** Whether this call created the hierarchy (false: it was loaded). */
  created: boolean
  /** Keys of long-term certificates: wrapped under the same master key, in `<dataDir>/pki/vault/`. */
  keyVault: LocalKeyVault
  rootCertificateDer: Uint8Array
  rootCertificatePem: string
  issuingCertificateDer: Uint8Array
  tsaCertificateDer: Uint8Array
  ocspCertificateDer: Uint8Array
  /** The issuing CA (signs signer certificates; will sign CRLs). */
  issuing: CertificateIssuer
  /** The delegated OCSP responder of the issuing CA. */
  ocspResponder: CertificateIssuer
  /** The platform TSA (RFC 3161, in process). `tsa.responder.respond(der)` answers HTTP clients. */
  tsa: InProcessTsa
  /** Total DER size of the certificates the TSA puts in its tokens: the `tsaChainBytes` of `maxCmsSize`. */
  tsaCertificatesSize: number
  /**
   * A fresh key and event certificate (事件证书) for one signing act; its chain includes the issuing CA.
   * Not recorded in the certificate registry (an adapter has no metadata store): for tests and tools.
   * The product issues through `use-cases/pki/issue-recorded-event-certificate.ts` (the server's
   * `PkiServices`, `esign sign`), which records it, so OCSP never answers `unknown` for one of ours.
   */
  issueEventCertificate(request: LocalEventCertificateRequest): Promise<EventCertificate>
  /** The root CA's signer, decrypted on demand (the root key stays encrypted otherwise). */
  rootSigner(): Promise<Signer>
}

export type LocalEventCertificateRequest = {
  name: string
  org?: string
  contractId?: string
  /** SHA-256 of the intent proof: 32 bytes or 64 hex characters. */
  intentHash?: Uint8Array | string
  /** Salted identity hash for the subject serialNumber attribute (never the ID number). */
  subjectSerialNumber?: string
  singleUse?: boolean
}

export type LocalCaOptions = {
  /** 32-byte key that wraps the CA private keys. Default: `<dataDir>/pki/master.key`, generated on first use (mode 0600). */
  masterKey?: Uint8Array
  /**
   * The public base URL of the trust services (`ESIGN_PUBLIC_BASE_URL`) for CRL DP / AIA: written
   * into the CA certificates at creation, and into every signer certificate issued through the
   * returned object. Default: the URL recorded at creation, `http://127.0.0.1:8787` the first time.
   */
  baseUrl?: string
  /** Organisation in the CA subjects; default `Qianyue`. Used at creation only. */
  organization?: string
}

const MANIFEST = 'ca.json'
const MASTER_KEY = 'master.key'

type Manifest = { version: 1; createdAt: string; baseUrl: string; organization: string }

/**
 * The local CA of `esign sign` and the local server ("using the local CA in ESIGN_DATA_DIR (created on
 * first use)"): loads the hierarchy from `<dataDir>/pki/`, creating it the first time.
 *
 * Layout of `<dataDir>/pki/` (directory 0700):
 * - `ca.json` — manifest (version, creation time, base URL, organisation);
 * - `root.pem`, `issuing.pem`, `tsa.pem`, `ocsp.pem` — certificates (PEM, 0644);
 * - `<role>.key.enc` — PKCS#8 private keys encrypted with AES-256-GCM under the master key (0600;
 *   JSON envelope with a random 96-bit IV, the tag, and the role bound in as associated data so a
 *   file cannot be swapped for another role's). No private key is ever on disk in clear.
 * - `master.key` — 32 random bytes (0600), only when no `masterKey` is passed.
 * - `vault/` — the {@link LocalKeyVault} of long-term signer keys, wrapped the same way.
 *
 * Creation is race-safe across processes: everything is written (and fsynced) into a fresh
 * temporary directory beside `pki/`, which is then renamed to `pki/` in one step. rename(2) of a
 * directory fails when the target exists and is not empty, so exactly one creator wins; the others
 * discard their copy and load the winner's. Readers therefore see either no CA or a complete one.
 *
 * @example
 * const ca = await loadOrCreateLocalCa(config.dataDir, clock)
 * const { signer } = await ca.issueEventCertificate({ name: '张三', contractId, intentHash })
 * const cms = await buildCmsSignedData({ documentDigest, signer, tsa: ca.tsa })
 */
export async function loadOrCreateLocalCa(dataDir: string, clock: Clock, options: LocalCaOptions = {}): Promise<LocalCa> {
  if (options.masterKey && options.masterKey.length !== 32) throw new Error('masterKey must be 32 bytes')
  const directory = join(dataDir, 'pki')
  const existing = await load(directory, clock, options, false)
  if (existing) return existing
  const won = await create(dataDir, directory, clock, options)
  const created = await load(directory, clock, options, won)
  if (!created) throw new Error(`${directory} exists but holds no CA (${MANIFEST} missing): move it away and retry`)
  return created
}

/** Writes a new hierarchy and moves it into place; false when another process's was there first. */
async function create(dataDir: string, directory: string, clock: Clock, options: LocalCaOptions): Promise<boolean> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const temporary = await mkdtemp(join(dataDir, '.pki-tmp-'))
  try {
    const masterKey = options.masterKey ?? new Uint8Array(randomBytes(32))
    if (!options.masterKey) await writeDurably(join(temporary, MASTER_KEY), masterKey, 0o600)
    const manifest: Manifest = {
      version: 1,
      createdAt: clock.now().toISOString(),
      baseUrl: (options.baseUrl ?? 'http://127.0.0.1:8787').replace(/\/+$/, ''),
      organization: options.organization ?? 'Qianyue',
    }
    const hierarchy = await createCaHierarchy({ now: clock.now(), baseUrl: manifest.baseUrl, organization: manifest.organization })
    for (const role of CA_ROLES) {
      await writeDurably(join(temporary, `${role}.pem`), new TextEncoder().encode(toPem(hierarchy[role].certificateDer)), 0o644)
      await writeDurably(join(temporary, `${role}.key.enc`), new TextEncoder().encode(JSON.stringify(wrapPrivateKey(role, hierarchy[role].privateKey, masterKey))), 0o600)
    }
    await writeDurably(join(temporary, MANIFEST), new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'), 0o644)
    await fsyncDirectory(temporary)
    try {
      await rename(temporary, directory)
      await fsyncDirectory(dataDir)
      return true
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      // Another process created pki/ first (or something else sits there): load() decides.
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e
      return false
    }
  } finally {
    await rm(temporary, { recursive: true, force: true })
  }
}

/**
 * The master key that wraps the local keys: `options.masterKey` (`ESIGN_MASTER_KEY`), else
 * `<directory>/master.key` (`directory` = `<dataDir>/pki`, present once the CA exists). Also used
 * to wrap the personal-data key (runtime/services.ts).
 */
export async function readMasterKey(directory: string, options: Pick<LocalCaOptions, 'masterKey'> = {}): Promise<Uint8Array> {
  const masterKey = options.masterKey ?? new Uint8Array(await readFile(join(directory, MASTER_KEY)))
  if (masterKey.length !== 32) throw new Error(`${directory}/${MASTER_KEY} must hold 32 bytes`)
  return masterKey
}

async function load(directory: string, clock: Clock, options: LocalCaOptions, created: boolean): Promise<LocalCa | undefined> {
  let manifest: Manifest
  try {
    manifest = JSON.parse(await readFile(join(directory, MANIFEST), 'utf8')) as Manifest
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  if (manifest.version !== 1) throw new Error(`${directory}/${MANIFEST}: unsupported version ${manifest.version}`)
  const masterKey = await readMasterKey(directory, options)
  const certificate = async (role: CaRole): Promise<Uint8Array> => fromPem(await readFile(join(directory, `${role}.pem`), 'utf8'))
  const key = async (role: CaRole): Promise<KeyObject> =>
    unwrapPrivateKey(role, JSON.parse(await readFile(join(directory, `${role}.key.enc`), 'utf8')) as KeyEnvelope, masterKey, join(directory, `${role}.key.enc`))

  const [rootDer, issuingDer, tsaDer, ocspDer] = await Promise.all(CA_ROLES.map(certificate))
  const issuing: CertificateIssuer = { certificateDer: issuingDer, signer: createNodeCryptoSigner(await key('issuing'), [issuingDer]) }
  const ocspResponder: CertificateIssuer = { certificateDer: ocspDer, signer: createNodeCryptoSigner(await key('ocsp'), [ocspDer, issuingDer]) }
  const tsaSigner = createNodeCryptoSigner(await key('tsa'), [tsaDer])
  const tsa = new InProcessTsa({ signer: tsaSigner, clock })
  const baseUrl = options.baseUrl?.replace(/\/+$/, '') ?? manifest.baseUrl
  return {
    directory,
    baseUrl,
    created,
    keyVault: new LocalKeyVault({ directory: join(directory, 'vault'), masterKey }),
    rootCertificateDer: rootDer,
    rootCertificatePem: toPem(rootDer),
    issuingCertificateDer: issuingDer,
    tsaCertificateDer: tsaDer,
    ocspCertificateDer: ocspDer,
    issuing,
    ocspResponder,
    tsa,
    tsaCertificatesSize: (await tsaSigner.certificateChain()).reduce((n, c) => n + c.length, 0),
    issueEventCertificate: (r) =>
      issueEventCertificate({
        name: r.name,
        organization: r.org,
        contractId: r.contractId,
        intentHash: r.intentHash,
        subjectSerialNumber: r.subjectSerialNumber,
        singleUse: r.singleUse,
        issuer: issuing,
        baseUrl,
        now: clock.now(),
      }),
    rootSigner: async () => createNodeCryptoSigner(await key('root'), [rootDer]),
  }
}

async function writeDurably(file: string, data: Uint8Array, mode: number): Promise<void> {
  const handle = await open(file, 'wx', mode)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  try {
    await access(dir, fsConstants.R_OK)
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Directory fsync is best effort (not supported on every platform).
  }
}
