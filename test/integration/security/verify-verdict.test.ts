/**
 * Issue 10 item 9: a PDF signed under a CA made in another data folder (the same names as the
 * platform's) got top-level `valid: true` and `esign verify` exit 0. Now the verdict has three
 * states: `indeterminate` (intact and valid, signer not trusted — 无法确认签署人身份, exit 3,
 * `valid: false`). And revocation of the platform's own certificates comes from its certificate
 * registry (`source: 'registry'`): good for ours, revoked when the registry says so, never
 * answered for a foreign certificate that looks like ours.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { VerificationReport } from '../../../cloud-functions/api/verification.types'
import { maxCmsSize } from '../../../cloud-functions/core/signing/build-cms-signed-data'
import { signPdf } from '../../../cloud-functions/core/signing/sign-pdf'
import { Certificate } from '../../../cloud-functions/core/verification/certificate'
import { getPkiServices } from '../../../cloud-functions/runtime/services'
import { revokeCertificate } from '../../../cloud-functions/use-cases/pki/revoke-certificate'
import { makePdf, startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(120_000)

const ROOT = join(__dirname, '../../..')
let platform: TestApp
let elsewhere: TestApp

beforeAll(async () => {
  ;[platform, elsewhere] = await Promise.all([startTestApp(), startTestApp()])
})
afterAll(async () => Promise.all([platform?.stop(), elsewhere?.stop()]))

/** A PDF signed with an event certificate of `app`'s CA, time-stamped by its TSA. */
async function signWith(app: TestApp, name: string, before?: (serialHex: string) => Promise<void>): Promise<Buffer> {
  const pki = await getPkiServices(app.deps)
  const { signer, certificateDer } = await pki.issueEventCertificate({ name })
  await before?.(Buffer.from(Certificate.tryParse(certificateDer)!.serialNumber).toString('hex').toUpperCase())
  const sealed = await signPdf(await makePdf(`signed by signer ${Buffer.from(name).toString("hex")}`), {
    signer,
    tsa: pki.ca.tsa,
    contentsSize: maxCmsSize(await signer.certificateChain(), true),
    signingTime: new Date(),
    signerName: name,
  })
  return Buffer.from(sealed.toBytes())
}

const verifyOn = async (app: TestApp, pdf: Buffer) => {
  const res = await fetch(`${app.url}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })
  expect(res.status).toBe(200)
  return (await res.json()) as VerificationReport
}

function esignVerify(file: string, dataDir: string, json = false): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [join(ROOT, 'bin/esign.js'), 'verify', file, ...(json ? ['--json'] : [])], { env: { ...process.env, ESIGN_DATA_DIR: dataDir } })
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout }))
  })
}

describe('item 9: a signer under an unknown CA with the platform\'s names', () => {
  let foreign: Buffer
  beforeAll(async () => {
    foreign = await signWith(elsewhere, '张三')
  })

  it('the two CAs really share their names (the attack the issue describes)', async () => {
    const [a, b] = await Promise.all([getPkiServices(platform.deps), getPkiServices(elsewhere.deps)])
    const subject = (der: Uint8Array) => Certificate.tryParse(der)!.subject
    expect(subject(b.ca.rootCertificateDer)).toBe(subject(a.ca.rootCertificateDer))
    expect(subject(b.ca.issuingCertificateDer)).toBe(subject(a.ca.issuingCertificateDer))
    expect(Buffer.from(b.ca.rootCertificateDer).equals(Buffer.from(a.ca.rootCertificateDer))).toBe(false)
  })

  it('POST /api/verify: verdict indeterminate, valid false; the signature intact and valid but not trusted; no registry answer for it', async () => {
    const report = await verifyOn(platform, foreign)
    expect(report).toMatchObject({ verdict: 'indeterminate', valid: false })
    expect(report.signatures[0]).toMatchObject({ signer: '张三', intact: true, valid: true, trusted: false, modification: 'none' })
    expect(report.signatures[0].problems.map((p) => p.code)).toContain('UNTRUSTED_ROOT')
    expect(report.signatures[0].revocation.source).not.toBe('registry')
    // On its own platform the same file is valid.
    expect(await verifyOn(elsewhere, foreign)).toMatchObject({ verdict: 'valid', valid: true })
  })

  it('esign verify against the platform\'s data folder: exit 3, 无法确认签署人身份; --json says indeterminate', async () => {
    const file = join(platform.dataDir, 'foreign.pdf')
    writeFileSync(file, foreign)
    const text = await esignVerify(file, platform.dataDir)
    expect(text.status).toBe(3)
    expect(text.stdout).toMatch(/^结论：无法确认签署人身份/m)
    const json = await esignVerify(file, platform.dataDir, true)
    expect(json.status).toBe(3)
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'indeterminate', valid: false })
    // Trusted by its own data folder: exit 0.
    expect((await esignVerify(file, elsewhere.dataDir)).status).toBe(0)
  })

  it('a tampered copy is invalid (exit 1), whoever signed it', async () => {
    const bad = Buffer.from(foreign)
    bad[250] ^= 1
    expect(await verifyOn(platform, bad)).toMatchObject({ verdict: 'invalid', valid: false })
    const file = join(platform.dataDir, 'foreign-tampered.pdf')
    writeFileSync(file, bad)
    expect((await esignVerify(file, platform.dataDir)).status).toBe(1)
  })
})

describe('revocation from the platform\'s certificate registry', () => {
  it('our signer and our issuing CA: good, from the registry, no warning', async () => {
    const report = await verifyOn(platform, await signWith(platform, '李四'))
    expect(report.verdict).toBe('valid')
    expect(report.signatures[0].revocation).toEqual({ status: 'good', source: 'registry' })
    expect(report.signatures[0].warnings.filter((w) => w.code === 'REVOCATION_UNKNOWN')).toEqual([])
  })

  it('a certificate revoked before it signed: revoked, from the registry; the verdict is invalid', async () => {
    const pki = await getPkiServices(platform.deps)
    const pdf = await signWith(platform, '王五', async (serial) => {
      expect((await revokeCertificate({ ...platform.deps, ca: pki.ca }, { serialNumber: serial, reason: 'keyCompromise' })).ok).toBe(true)
      await new Promise((r) => setTimeout(r, 1100)) // the signing time (whole seconds) after the revocation
    })
    const report = await verifyOn(platform, pdf)
    expect(report.signatures[0].revocation).toMatchObject({ status: 'revoked', source: 'registry', revokedAt: expect.any(String) })
    expect(report.signatures[0]).toMatchObject({ intact: true, valid: true, trusted: false })
    expect(report).toMatchObject({ verdict: 'invalid', valid: false })
  })
})
