import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMetadataTable } from '../../cloud-functions/adapters/aws/dynamodb-metadata-store'
import { issueSessionToken } from '../../cloud-functions/core/auth/session-token'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startDynamoDbLocal } from '../support/emulators'

/**
 * The zips `osls package` builds (npm test packages before jest) run on their own: each is
 * unpacked into an empty folder that has only the AWS SDK beside it (the Lambda runtime provides
 * it), and its handler serves a request. This catches what bundling leaves behind — a file read at
 * run time (the CJK fonts), a module left external, a JSON import.
 */
const ROOT = path.resolve(__dirname, '../..')
const ZIPS = path.join(ROOT, '.serverless')
const SECRET = Buffer.alloc(32, 3)
/** The assets layer zip (scripts/build-asset-layer.js, run by package:aws), unpacked as Lambda does under /opt. */
const LAYER_ZIP = path.join(ROOT, '.layers', 'qianyue-assets.zip')
const ZIP_BUDGET_BYTES = 1.5 * 1024 * 1024
let layerDir: string | undefined
function assetDir(): string {
  if (!layerDir) {
    if (!fs.existsSync(LAYER_ZIP)) throw new Error(`${LAYER_ZIP} is missing: run "npm run package:aws"`)
    layerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-lambda-opt-'))
    execFileSync('unzip', ['-q', LAYER_ZIP, '-d', layerDir])
  }
  return path.join(layerDir, 'qianyue-assets')
}

jest.setTimeout(60_000)

function unpack(fn: string): string {
  const zip = path.join(ZIPS, `${fn}.zip`)
  if (!fs.existsSync(zip)) throw new Error(`${zip} is missing: run "npm run package:aws" (npm test does it before jest)`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qianyue-lambda-${fn}-`))
  execFileSync('unzip', ['-q', zip, '-d', dir])
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true })
  fs.symlinkSync(path.join(ROOT, 'node_modules', '@aws-sdk'), path.join(dir, 'node_modules', '@aws-sdk'))
  return dir
}

/** Invoke `handler` of the unpacked bundle in a fresh Node process, as the Lambda runtime would. */
function invoke(dir: string, handlerFile: string, event: unknown, extraEnv: Record<string, string> = {}): { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean } {
  const script = `require(${JSON.stringify(path.join(dir, handlerFile))}).handler(${JSON.stringify(event)}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(3) })`
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      ESIGN_MODE: 'aws',
      // A test stage: the sandbox providers are allowed (serverless.yml sets them per stage).
      ESIGN_ALLOW_SANDBOX: 'true',
      ESIGN_S3_BUCKET: 'bundle-test',
      ESIGN_DYNAMODB_TABLE: 'bundle-test',
      ESIGN_SESSION_SECRET: SECRET.toString('base64'),
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'silent',
      // serverless.yml: the fonts and pdfium.wasm come from the assets layer.
      ESIGN_ASSET_DIR: assetDir(),
      ...extraEnv,
    },
  })
  if (r.status !== 0) throw new Error(`the ${handlerFile} bundle failed (exit ${r.status}):\n${r.stderr}`)
  return JSON.parse(r.stdout)
}

const event = (method: string, rawPath: string, body?: unknown, headers: Record<string, string> = {}) => ({
  version: '2.0',
  rawPath,
  headers: { 'content-type': 'application/json', ...headers },
  requestContext: { http: { method, path: rawPath }, requestId: 'bundle-test' },
  body: body === undefined ? undefined : JSON.stringify(body),
  isBase64Encoded: false,
})

describe('Lambda bundles from osls package', () => {
  const dirs: string[] = []
  afterAll(() => [...dirs, ...(layerDir ? [layerDir] : [])].forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

  it('every function in serverless.yml has a zip', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8')
    const functions = [...yml.slice(yml.indexOf('\nfunctions:')).matchAll(/^ {2}([a-z-]+):\s*$/gm)].map((m) => m[1])
    expect(functions.length).toBeGreaterThanOrEqual(10)
    for (const fn of functions) expect(fs.existsSync(path.join(ZIPS, `${fn}.zip`))).toBe(true)
  })

  it('every function zip is within the 1.5 MB budget (fonts and PDFium live in the assets layer)', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8')
    const functions = [...yml.slice(yml.indexOf('\nfunctions:')).matchAll(/^ {2}([a-z-]+):\s*$/gm)].map((m) => m[1])
    const sizes = Object.fromEntries(functions.map((fn) => [fn, fs.statSync(path.join(ZIPS, `${fn}.zip`)).size]))
    const over = Object.entries(sizes).filter(([, bytes]) => bytes > ZIP_BUDGET_BYTES)
    expect(over).toEqual([])
    // The layer holds what the code reads at run time from ESIGN_ASSET_DIR.
    const dir = assetDir()
    for (const f of ['fonts/NotoSansSC_400Regular.ttf', 'fonts/NotoSansSC_700Bold.ttf', 'pdfium.wasm']) expect(fs.statSync(path.join(dir, f)).size).toBeGreaterThan(1_000_000)
  })

  it('every handler bundle is ASCII (a non-ASCII source is read and parsed as a two-byte string at every cold start)', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8')
    const handlers = [...yml.slice(yml.indexOf('\nfunctions:')).matchAll(/^ {2}([a-z-]+):\s*\n(?:(?: {4}.*)?\n)*? {4}handler: (\S+)\.handler/gm)].map((m) => [m[1]!, `${m[2]}.js`] as const)
    expect(handlers.length).toBeGreaterThanOrEqual(10)
    const nonAscii: string[] = []
    for (const [fn, file] of handlers) {
      const js = execFileSync('unzip', ['-p', path.join(ZIPS, `${fn}.zip`), file], { maxBuffer: 64 * 1024 * 1024 })
      expect(js.length).toBeGreaterThan(1000)
      const at = js.findIndex((b) => b > 0x7f)
      // esbuild escapes non-ASCII in strings and templates but not in regular expression literals: write those with \u escapes.
      if (at >= 0) nonAscii.push(`${fn}: ${js.subarray(Math.max(0, at - 60), at + 20).toString('utf8')}`)
    }
    expect(nonAscii).toEqual([])
  })

  it('the documents bundle answers a routed request with a typed error (no session) without touching AWS', () => {
    const dir = unpack('documents')
    dirs.push(dir)
    // Documents need a session (issue 10 item 4); a call without one is refused before any storage call
    // (a signed-in call reads the session's revocation records: see the seals bundle below).
    const res = invoke(dir, 'cloud-functions/handlers/http/documents.js', { ...event('PATCH', `/api/documents/${'a'.repeat(32)}`), body: '{"fileName":"x.pdf"}' })
    expect(res.statusCode).toBe(401)
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHENTICATED')
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff' })
  })

  it('the contracts bundle routes contract and signing-link requests (typed errors before any storage call)', () => {
    const dir = unpack('contracts')
    dirs.push(dir)
    const noSession = invoke(dir, 'cloud-functions/handlers/http/contracts.js', event('GET', '/api/contracts/C1'))
    expect(noSession.statusCode).toBe(401)
    expect(JSON.parse(noSession.body).error.code).toBe('UNAUTHENTICATED')
    const badLink = invoke(dir, 'cloud-functions/handlers/http/contracts.js', event('GET', '/api/signing-links/not-a-token'))
    expect(badLink.statusCode).toBe(403)
    expect(JSON.parse(badLink.body).error.code).toBe('LINK_INVALID')
    // What signing and page images need at run time is in the assets layer, not the zip.
    expect(fs.existsSync(path.join(dir, 'node_modules/@expo-google-fonts'))).toBe(false)
    expect(fs.existsSync(path.join(assetDir(), 'pdfium.wasm'))).toBe(true)
  })

  it('the webhooks bundle routes company webhook requests (typed errors before any storage call)', () => {
    const dir = unpack('webhooks')
    dirs.push(dir)
    const res = invoke(dir, 'cloud-functions/handlers/http/webhooks.js', event('GET', '/api/companies/C1/webhooks'))
    expect(res.statusCode).toBe(401)
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHENTICATED')
  })

  it('the openapi bundle serves the document of every route without touching AWS', () => {
    const dir = unpack('openapi')
    dirs.push(dir)
    const res = invoke(dir, 'cloud-functions/handlers/http/openapi.js', event('GET', '/api/openapi.json'))
    expect(res.statusCode).toBe(200)
    const doc = JSON.parse(res.body)
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.paths['/api/documents/{id}'].get).toBeDefined()
    expect(doc.paths['/api/openapi.json'].get).toBeDefined()
  })

  it('the verification bundle refuses a PDF with too many revisions before touching AWS, with the security headers', () => {
    const dir = unpack('verification')
    dirs.push(dir)
    const pdf = Buffer.from(`%PDF-1.4\n${'%%EOF\n'.repeat(300)}`, 'latin1')
    const res = invoke(dir, 'cloud-functions/handlers/http/verification.js', {
      ...event('POST', '/api/verify', undefined, { 'content-type': 'application/pdf' }),
      body: pdf.toString('base64'),
      isBase64Encoded: true,
    })
    expect(res.statusCode).toBe(422)
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'TOO_MANY_REVISIONS', details: { revisions: 300, maxRevisions: 256 } })
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' })
  })

  it('the seals bundle draws a seal with the CJK font from the assets layer', async () => {
    // An authenticated call reads the session's revocation records: DynamoDB Local stands in for DynamoDB.
    const dynamo = await startDynamoDbLocal()
    try {
      const client = new DynamoDBClient({ region: EMULATOR_REGION, endpoint: dynamo.endpoint, credentials: EMULATOR_CREDENTIALS })
      await createMetadataTable(client, 'bundle-test')
      client.destroy()
      const dir = unpack('seals')
      dirs.push(dir)
      const token = issueSessionToken({ kind: 'user', sub: 'bundle-user' }, SECRET, new Date(), 600)
      const env = { ESIGN_DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey }
      const res = invoke(dir, 'cloud-functions/handlers/http/seals.js', event('POST', '/api/seals/preview', { kind: 'personal-square', name: '张三' }, { authorization: `Bearer ${token}` }), env)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('image/png')
      expect(Buffer.from(res.body, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG')
    } finally {
      await dynamo.stop()
    }
  })
})
