import os from 'node:os'
import path from 'node:path'
import * as z from 'zod'
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, publicBaseUrlFrom } from './defaults'
import { IDENTITY_ENV, checkIdentityEnv, toIdentityConfig, type IdentityConfig } from './identity-config'

/**
 * The server's configuration, parsed once from the environment (the only place that reads it).
 * Every variable is listed in README.md's configuration table.
 */
const ZConfig = z
  .object({
    ESIGN_MODE: z.enum(['local', 'aws']).default('local'),
    PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
    HOST: z.string().min(1).default(DEFAULT_HOST),
    ESIGN_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
    ESIGN_PUBLIC_BASE_URL: z.string().url().optional(),
    ESIGN_MAX_BODY_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
    ESIGN_H5_DIR: z.string().min(1).default('dist/h5'),
    ESIGN_TICK_SECONDS: z.coerce.number().int().min(0).default(60),
    ESIGN_CPU_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
    ESIGN_CPU_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
    ESIGN_EVENT_LOOP_CPU: z.string().regex(/^(auto|off|\d{1,4})$/, 'must be auto, off or a CPU number (0, 1, …)').default('auto'),
    ESIGN_ASSET_DIR: z.string().min(1).optional(),
    ESIGN_SQLITE_SYNCHRONOUS: z.enum(['full', 'normal']).default('normal'),
    ESIGN_CORS_ORIGINS: z
      .string()
      .refine((v) => v.split(',').every((o) => /^https?:\/\/[^/\s,]+$/.test(o.trim())), 'must be a comma-separated list of origins such as https://app.example.cn (no path, no *)')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    ESIGN_S3_BUCKET: z.string().min(3).optional(),
    ESIGN_BULK_QUEUE_URL: z.string().url().optional(),
    ESIGN_S3_ENDPOINT: z.string().url().optional(),
    ESIGN_DYNAMODB_TABLE: z.string().min(3).optional(),
    ESIGN_DYNAMODB_ENDPOINT: z.string().url().optional(),
    ESIGN_SESSION_SECRET: z.string().min(32).optional(),
    ...IDENTITY_ENV,
    ESIGN_OPERATOR_TOKEN: z.string().regex(/^[A-Za-z0-9._~-]{24,200}$/, 'must be 24–200 URL-safe characters (openssl rand -hex 24)').optional(),
    ESIGN_ALLOW_SANDBOX: z.enum(['true', 'false']).default('false'),
    ESIGN_WEBHOOK_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false'),
    ESIGN_MASTER_KEY: z
      .string()
      .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
      .optional(),
    ESIGN_KMS_ENDPOINT: z.string().url().optional(),
    ESIGN_KMS_ROOT_KEY_ID: z.string().min(1).optional(),
    ESIGN_KMS_ISSUING_KEY_ID: z.string().min(1).optional(),
    ESIGN_KMS_TSA_KEY_ID: z.string().min(1).optional(),
    ESIGN_KMS_OCSP_KEY_ID: z.string().min(1).optional(),
    ESIGN_KMS_DATA_KEY_ID: z.string().min(1).optional(),
    // Read before this schema, by runtime/ssm-secrets.ts (listed here so that a bad value is named).
    ESIGN_SSM_PARAMETERS: z.string().min(1).optional(),
    ESIGN_SSM_ENDPOINT: z.string().url().optional(),
  })
  .superRefine((env, ctx) => {
    checkIdentityEnv(env, (key, message) => ctx.addIssue({ code: 'custom', path: [key], message }))
    if (env.ESIGN_MODE === 'aws') {
      for (const key of ['ESIGN_S3_BUCKET', 'ESIGN_DYNAMODB_TABLE', 'ESIGN_SESSION_SECRET'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required when ESIGN_MODE=aws` })
      }
      // The sandbox shows every code in an outbox: a deployment runs it only when its stage says so.
      const sandbox = [env.ESIGN_IDENTITY_PROVIDER === 'sandbox' && 'ESIGN_IDENTITY_PROVIDER', env.ESIGN_SMS_PROVIDER === 'sandbox' && 'ESIGN_SMS_PROVIDER'].filter((k): k is string => Boolean(k))
      if (sandbox.length && env.ESIGN_ALLOW_SANDBOX !== 'true') {
        ctx.addIssue({ code: 'custom', path: [sandbox[0]!], message: `${sandbox.join(' and ')} = sandbox is refused when ESIGN_MODE=aws unless ESIGN_ALLOW_SANDBOX=true (a test stage)` })
      }
      // Webhooks to loopback exist for local tests and development only.
      if (env.ESIGN_WEBHOOK_ALLOW_LOOPBACK === 'true') ctx.addIssue({ code: 'custom', path: ['ESIGN_WEBHOOK_ALLOW_LOOPBACK'], message: 'ESIGN_WEBHOOK_ALLOW_LOOPBACK=true is refused when ESIGN_MODE=aws' })
    }
  })

export type Config = {
  mode: 'local' | 'aws'
  port: number
  host: string
  /** Absolute path of the local data folder (SQLite file, objects, keys). */
  dataDir: string
  /** The URL clients reach this server at, for links and presigned local URLs. */
  publicBaseUrl: string
  maxBodyBytes: number
  /** Absolute path of the H5 build the local server serves at `/`. */
  h5Dir: string
  /** Seconds between scheduled ticks in the local server (0 turns the timer off). */
  tickSeconds: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /**
   * SQLite `synchronous` of the embedded metadata store (`ESIGN_SQLITE_SYNCHRONOUS`, default
   * `normal`): in WAL mode `NORMAL` keeps every commit through a crash or kill of the process and
   * never corrupts the file, but a power loss may roll back the last commits; `full` syncs the WAL on
   * every commit (durable through power loss, several times slower per write).
   */
  sqliteSynchronous?: 'FULL' | 'NORMAL'
  /** Worker threads for CPU-heavy work (runtime/cpu-work.ts); 0 runs it inline (the AWS default: one request per Lambda container). */
  cpuWorkers?: number
  /**
   * `ESIGN_CPU_WORKER_NICE` (0–19, default 10): how many nice steps below the event loop the CPU
   * worker threads run (Linux), so that the one thread every request goes through gets a core first.
   */
  cpuWorkerNice?: number
  /**
   * `ESIGN_EVENT_LOOP_CPU` (`auto`, `off` or a CPU number; default `auto`): the CPU the local
   * server's event loop is kept on (runtime/pin-event-loop.ts); `auto` picks the one that serves
   * the fewest device interrupts, when the process has two or more.
   */
  eventLoopCpu?: 'auto' | 'off' | number
  /**
   * `ESIGN_ASSET_DIR`: the folder holding the CJK fonts and the PDFium WebAssembly file
   * (`fonts/NotoSansSC_400Regular.ttf`, `fonts/NotoSansSC_700Bold.ttf`, `pdfium.wasm`); in AWS the
   * Lambda layer's `/opt/qianyue-assets`. Unset: the files inside node_modules.
   */
  assetDir?: string
  /** Browser origins allowed to call the API cross-origin (`ESIGN_CORS_ORIGINS`); empty: CORS off. */
  corsOrigins?: string[]
  /** Base64 secret that signs session tokens; local mode keeps one in the data dir instead. */
  sessionSecret?: string
  /** Identity verification, SMS and WeChat login providers (runtime/identity-config.ts). */
  identity: IdentityConfig
  /**
   * `ESIGN_OPERATOR_TOKEN`: what the sandbox outbox (API and page) requires. Absent: the local server
   * generates one per start and prints it (runtime/operator-token.ts); AWS mode keeps the outbox closed.
   */
  operatorToken?: string
  /** `ESIGN_ALLOW_SANDBOX=true`: AWS mode may run the sandbox providers (a test stage). */
  allowSandbox: boolean
  /**
   * Webhook endpoint URLs: `https:` only in AWS mode; loopback addresses only with
   * `ESIGN_WEBHOOK_ALLOW_LOOPBACK=true` (tests and development, refused in AWS mode). Private and
   * link-local addresses are always refused.
   */
  webhooks: { requireHttps: boolean; allowLoopback: boolean }
  /** The 32-byte key that wraps local private keys (`ESIGN_MASTER_KEY`); absent: `<dataDir>/pki/master.key`, generated 0600. */
  masterKey?: Uint8Array
  aws: {
    region: string
    bucket?: string
    /** The SQS queue bulk-send jobs go to (`ESIGN_BULK_QUEUE_URL`, AWS mode); absent: the in-process queue. */
    bulkQueueUrl?: string
    s3Endpoint?: string
    table?: string
    dynamoDbEndpoint?: string
    /**
     * KMS: an endpoint override (a local KMS-compatible server), the CA, TSA and OCSP key ids, and
     * `dataKeyId`, the symmetric key that wraps the personal-data key (`ESIGN_KMS_DATA_KEY_ID`; AWS mode).
     */
    kms: { endpoint?: string; rootKeyId?: string; issuingKeyId?: string; tsaKeyId?: string; ocspKeyId?: string; dataKeyId?: string }
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parse `env` (normally `process.env`); throws `ConfigError` naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>, cwd: string): Config {
  const parsed = ZConfig.safeParse(emptyAsUnset(env))
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`)
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  }
  const e = parsed.data
  return {
    mode: e.ESIGN_MODE,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.ESIGN_DATA_DIR),
    publicBaseUrl: publicBaseUrlFrom(e),
    maxBodyBytes: e.ESIGN_MAX_BODY_BYTES,
    h5Dir: path.resolve(cwd, e.ESIGN_H5_DIR),
    tickSeconds: e.ESIGN_TICK_SECONDS,
    logLevel: e.LOG_LEVEL,
    corsOrigins: (e.ESIGN_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    sqliteSynchronous: e.ESIGN_SQLITE_SYNCHRONOUS === 'full' ? 'FULL' : 'NORMAL',
    cpuWorkers: e.ESIGN_CPU_WORKERS ?? (e.ESIGN_MODE === 'aws' ? 0 : Math.max(2, os.availableParallelism())),
    cpuWorkerNice: e.ESIGN_CPU_WORKER_NICE,
    eventLoopCpu: e.ESIGN_EVENT_LOOP_CPU === 'auto' || e.ESIGN_EVENT_LOOP_CPU === 'off' ? e.ESIGN_EVENT_LOOP_CPU : Number(e.ESIGN_EVENT_LOOP_CPU),
    assetDir: e.ESIGN_ASSET_DIR ? path.resolve(cwd, e.ESIGN_ASSET_DIR) : undefined,
    sessionSecret: e.ESIGN_SESSION_SECRET,
    identity: toIdentityConfig(e),
    operatorToken: e.ESIGN_OPERATOR_TOKEN,
    allowSandbox: e.ESIGN_ALLOW_SANDBOX === 'true',
    webhooks: { requireHttps: e.ESIGN_MODE === 'aws', allowLoopback: e.ESIGN_WEBHOOK_ALLOW_LOOPBACK === 'true' },
    masterKey: e.ESIGN_MASTER_KEY ? new Uint8Array(Buffer.from(e.ESIGN_MASTER_KEY, 'base64')) : undefined,
    aws: {
      region: e.AWS_REGION,
      bucket: e.ESIGN_S3_BUCKET,
      bulkQueueUrl: e.ESIGN_BULK_QUEUE_URL,
      s3Endpoint: e.ESIGN_S3_ENDPOINT,
      table: e.ESIGN_DYNAMODB_TABLE,
      dynamoDbEndpoint: e.ESIGN_DYNAMODB_ENDPOINT,
      kms: {
        endpoint: e.ESIGN_KMS_ENDPOINT,
        rootKeyId: e.ESIGN_KMS_ROOT_KEY_ID,
        issuingKeyId: e.ESIGN_KMS_ISSUING_KEY_ID,
        tsaKeyId: e.ESIGN_KMS_TSA_KEY_ID,
        ocspKeyId: e.ESIGN_KMS_OCSP_KEY_ID,
        dataKeyId: e.ESIGN_KMS_DATA_KEY_ID,
      },
    },
  }
}

function emptyAsUnset(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v
  return out
}
