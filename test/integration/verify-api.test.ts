/**
 * POST /api/verify on the real local server: raw application/pdf and multipart `file` uploads give
 * the same report as `esign verify --json` (trusting the platform root of the server's data dir);
 * oversized bodies are 413, other media types 415, unreadable files 400 NOT_A_PDF.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getPkiServices } from '../../cloud-functions/runtime/services'
import { maxCmsSize } from '../../cloud-functions/core/signing/build-cms-signed-data'
import { signPdf } from '../../cloud-functions/core/signing/sign-pdf'
import type { VerificationReport } from '../../cloud-functions/api/verification.types'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(120_000)

const ROOT = join(__dirname, '../..')
let app: TestApp
let signed: Buffer

beforeAll(async () => {
  app = await startTestApp({ ESIGN_MAX_BODY_BYTES: String(2 * 1024 * 1024) })
  // The server's own trust services: the event certificate is recorded, so its OCSP answers good.
  const pki = await getPkiServices(app.deps)
  const { signer } = await pki.issueEventCertificate({ name: '张三' })
  const sealed = await signPdf(await makePdf('API contract'), {
    signer,
    tsa: pki.ca.tsa,
    contentsSize: maxCmsSize(await signer.certificateChain(), true),
    signingTime: new Date(),
    signerName: '张三',
  })
  signed = Buffer.from(sealed.toBytes())
})
afterAll(async () => app?.stop())

const post = (body: Buffer | string, headers: Record<string, string>) => fetch(`${app.url}/api/verify`, { method: 'POST', body, headers })
type ErrorJson = { error: { code: string } }

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env })
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout }))
  })
}

/** The report without the fields that depend on when it was made. */
function timeless(r: VerificationReport): unknown {
  return JSON.parse(JSON.stringify(r, (k, v) => (k === 'verifiedAt' || k === 'validatedAt' ? undefined : v)))
}

describe('POST /api/verify', () => {
  it('raw PDF → 200 with the report: valid, trusted by the platform root, revocation from the platform OCSP', async () => {
    const res = await post(signed, { 'content-type': 'application/pdf' })
    expect(res.status).toBe(200)
    const report = (await res.json()) as VerificationReport
    expect(report.valid).toBe(true)
    expect(report.signatures).toEqual([expect.objectContaining({ field: 'Signature1', signer: '张三', intact: true, valid: true, trusted: true, modification: 'none', coversWholeDocument: true, timestamp: expect.objectContaining({ time: expect.any(String) }) })])
    // The signer certificate is known to the registry (good, asked online); the issuing CA needs the root's CRL, which the file does not carry.
    expect(report.signatures[0].warnings.map((w) => w.message)).toEqual([expect.stringMatching(/no usable revocation information for "CN=Qianyue Signing CA 1/)])
  })

  it('multipart `file` gives the same report, which is the same JSON as `esign verify --json --ocsp <the server>`', async () => {
    const form = new FormData()
    form.append('file', new Blob([signed], { type: 'application/pdf' }), 'contract.pdf')
    const res = await fetch(`${app.url}/api/verify`, { method: 'POST', body: form })
    expect(res.status).toBe(200)
    const viaMultipart = (await res.json()) as VerificationReport
    const viaRaw = (await (await post(signed, { 'content-type': 'application/pdf' })).json()) as VerificationReport
    expect(timeless(viaMultipart)).toEqual(timeless(viaRaw))
    const file = join(app.dataDir, 'cli.pdf')
    writeFileSync(file, signed)
    if (!existsSync(join(ROOT, 'build/cloud-functions/cli/verify-command.js'))) spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'ignore' })
    // The same trust root (the data dir) and the same OCSP (the server's, over HTTP) as the API.
    // Asynchronously: the server runs in this process and must answer the CLI's OCSP requests.
    const cli = await run('node', [join(ROOT, 'bin/esign.js'), 'verify', file, '--json', '--ocsp', `${app.url}/api/pki/ocsp`], { ...process.env, ESIGN_DATA_DIR: app.dataDir })
    expect(cli.status).toBe(0)
    expect(timeless(JSON.parse(cli.stdout))).toEqual(timeless(viaRaw))
  })

  it('a tampered PDF → 200 with valid: false', async () => {
    const bad = Buffer.from(signed)
    bad[250] ^= 1
    const report = (await (await post(bad, { 'content-type': 'application/pdf' })).json()) as VerificationReport
    expect(report.valid).toBe(false)
    expect(report.signatures[0]).toMatchObject({ intact: false, valid: false })
  })

  it('errors: 400 NOT_A_PDF, 413 over the size limit (raw and multipart), 415 other types, 400 multipart without `file`', async () => {
    const notPdf = await post(Buffer.from('hello'), { 'content-type': 'application/pdf' })
    expect(notPdf.status).toBe(400)
    expect(((await notPdf.json()) as ErrorJson).error.code).toBe('NOT_A_PDF')
    const big = await post(Buffer.alloc(2 * 1024 * 1024 + 10), { 'content-type': 'application/pdf' })
    expect(big.status).toBe(413)
    expect(((await big.json()) as ErrorJson).error.code).toBe('PAYLOAD_TOO_LARGE')
    const form = new FormData()
    form.append('file', new Blob([Buffer.alloc(2 * 1024 * 1024 + 10)]), 'big.pdf')
    expect((await fetch(`${app.url}/api/verify`, { method: 'POST', body: form })).status).toBe(413)
    const text = await post('hi', { 'content-type': 'text/plain' })
    expect(text.status).toBe(415)
    const noFile = new FormData()
    noFile.append('other', 'x')
    const nf = await fetch(`${app.url}/api/verify`, { method: 'POST', body: noFile })
    expect(nf.status).toBe(400)
    expect(((await nf.json()) as ErrorJson).error.code).toBe('VALIDATION_FAILED')
  })
})
