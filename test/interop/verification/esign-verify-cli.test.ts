/**
 * `esign verify` as operators run it: the compiled CLI (node bin/esign.js). Exit 0 valid, 1 not
 * valid, 2 unreadable input or bad usage; `--json` prints the report; the platform root comes from
 * ESIGN_DATA_DIR and `--trust` adds roots; pdfsig agrees on intact/invalid while the CLI also
 * catches the rewritten page pdfsig misses; only the verifier is loaded (no jsrsasign).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PdfDict } from '../../../cloud-functions/core/pdf/pdf-objects'
import type { VerificationReport } from '../../../cloud-functions/api/verification.types'
import { makePdf } from '../../support/local-app'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { pdfsig, requireTools, tempDir } from '../../support/pdf-tools'
import { addStream, appendRevision, expectAgreesWithPdfsig } from '../../support/pdf-verify-kit'

jest.setTimeout(180_000)

const ROOT = join(__dirname, '../../..')
const CLI = join(ROOT, 'bin/esign.js')
const BUILT = join(ROOT, 'build/cloud-functions/cli/verify-command.js')

let dir: string
let pki: PdfTestPki
let files: Record<string, string>

function esign(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [CLI, 'verify', ...args], { cwd: dir, env: { ...process.env, ESIGN_DATA_DIR: join(dir, 'no-data'), ...env }, encoding: 'utf8', timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(async () => {
  requireTools('pdfsig')
  const sources = ['cli/verify-command.ts', 'core/verification/verify-pdf.ts', 'core/verification/difference-analysis.ts', 'cli/commands.ts'].map((f) => join(ROOT, 'cloud-functions', f))
  if (!existsSync(BUILT) || sources.some((s) => statSync(BUILT).mtimeMs < statSync(s).mtimeMs)) {
    spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'ignore' })
  }
  if (!existsSync(BUILT)) throw new Error('build/ has no verify-command.js: run "npx tsc -p tsconfig.server.json"')
  dir = tempDir('qianyue-verify-cli-')
  pki = await createPdfTestPki()
  const signed = await signAs(pki, await signAs(pki, await makePdf('CLI contract'), '张三'), '李四')
  const tampered = Buffer.from(signed)
  tampered[300] ^= 1
  const rewritten = appendRevision(signed, (reader, writer) => {
    const page = reader.pageRef(0)
    writer.set(page, (reader.dictAt(page) as PdfDict).clone().set('Contents', addStream(writer, 'BT /F1 14 Tf 50 780 Td (NOTHING) Tj ET')))
  })
  files = { signed: 'signed.pdf', tampered: 'tampered.pdf', rewritten: 'rewritten.pdf', unsigned: 'unsigned.pdf', garbage: 'garbage.pdf' }
  writeFileSync(join(dir, files.signed), signed)
  writeFileSync(join(dir, files.tampered), tampered)
  writeFileSync(join(dir, files.rewritten), rewritten)
  writeFileSync(join(dir, files.unsigned), await makePdf('nothing signed'))
  writeFileSync(join(dir, files.garbage), Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x41)]))
  writeFileSync(join(dir, 'root.pem'), pki.rootPem)
  // A data dir whose platform root is the test root.
  mkdirSync(join(dir, 'data', 'pki'), { recursive: true })
  writeFileSync(join(dir, 'data', 'pki', 'root.pem'), pki.rootPem)
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('esign verify', () => {
  it('exit 0 and a human report for a valid file; trusted through --trust or the platform root in ESIGN_DATA_DIR; without a trusted root exit 3, 无法确认签署人身份', () => {
    const plain = esign([files.signed])
    expect({ status: plain.status, stderr: plain.stderr }).toEqual({ status: 3, stderr: '' })
    expect(plain.stdout).toMatch(/签名 1\/2：域 "Signature1"/)
    expect(plain.stdout).toMatch(/信任：\s*不受信任/)
    expect(plain.stdout).toMatch(/^结论：无法确认签署人身份 — 每个签名完整且有效/m)
    const trusted = esign([files.signed, '--trust', 'root.pem'])
    expect(trusted.status).toBe(0)
    expect(trusted.stdout).toMatch(/^结论：有效 — 每个签名完整、有效且签署人受信任/m)
    expect(trusted.stdout).toMatch(/信任：\s*受信任（张三 → Qianyue Test Signing CA 1 → Qianyue Test Root CA）/)
    const viaDataDir = esign([files.signed, '--json'], { ESIGN_DATA_DIR: join(dir, 'data') })
    const report = JSON.parse(viaDataDir.stdout) as VerificationReport
    expect(report.signatures.map((s) => s.trusted)).toEqual([true, true])
  })

  it('--json prints the report with the fields the issue names; pdfsig agrees on every file, the CLI also catches the rewrite', () => {
    for (const [name, file] of Object.entries(files)) {
      if (name === 'garbage' || name === 'unsigned') continue
      const r = esign([file, '--json', '--trust', 'root.pem'])
      const report = JSON.parse(r.stdout) as VerificationReport
      expect({ name, status: r.status }).toEqual({ name, status: report.valid ? 0 : 1 })
      expect(Object.keys(report)).toEqual(expect.arrayContaining(['valid', 'signatures']))
      for (const s of report.signatures) {
        expect(Object.keys(s)).toEqual(expect.arrayContaining(['field', 'signer', 'intact', 'valid', 'trusted', 'timestamp', 'modification', 'coversWholeDocument']))
        expect(['none', 'allowed', 'disallowed']).toContain(s.modification)
      }
      const ps = expectAgreesWithPdfsig(join(dir, file), report)
      if (name === 'rewritten') {
        expect(ps.every((s) => s.valid)).toBe(true) // pdfsig misses it
        expect(report.valid).toBe(false)
        expect(report.signatures.map((s) => s.modification)).toEqual(['disallowed', 'disallowed'])
      }
      if (name === 'tampered') expect(pdfsig(join(dir, file)).signatures.map((s) => s.status)).toEqual(['Digest Mismatch.', 'Digest Mismatch.'])
    }
  })

  it('exit 1 for a tampered file and for a file without signatures', () => {
    expect(esign([files.tampered]).status).toBe(1)
    const unsigned = esign([files.unsigned])
    expect(unsigned.status).toBe(1)
    expect(unsigned.stdout).toMatch(/结论：无效 — 文档中没有签名/)
    const tampered = esign([files.tampered])
    expect(tampered.stdout).toMatch(/完整性：\s*不完整/)
    expect(tampered.stdout).toMatch(/^结论：无效 — \d 个签名不完整或无效/m)
  })

  it('exit 2 with one clear line for input that cannot be read as a PDF, a missing file, bad usage', () => {
    for (const args of [[files.garbage], ['missing.pdf'], [], ['a.pdf', 'b.pdf'], [files.signed, '--frobnicate'], [files.signed, '--trust', 'nope.pem']]) {
      const r = esign(args)
      expect({ args, status: r.status }).toEqual({ args, status: 2 })
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(/^esign verify: /)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    const json = esign([files.garbage, '--json'])
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'NOT_A_PDF', message: expect.any(String) } })
  })

  it('loads only what verification needs (no jsrsasign, no pdf-lib); npm run bench:verify measures its speed', () => {
    const script = `require(${JSON.stringify(join(ROOT, 'build/cloud-functions/cli/main.js'))}).main(['verify', ${JSON.stringify(join(dir, files.signed))}]).then((code) => {
      const loaded = Object.keys(require.cache)
      process.stderr.write(JSON.stringify({ code, jsrsasign: loaded.some((k) => k.includes('jsrsasign')), pdfLib: loaded.some((k) => k.includes('pdf-lib')) }))
    })`
    const r = spawnSync('node', ['-e', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, ESIGN_DATA_DIR: join(dir, 'no-data') } })
    // No trusted root in this data folder: the signatures are intact and valid, the signer unknown (3).
    expect(JSON.parse(r.stderr)).toEqual({ code: 3, jsrsasign: false, pdfLib: false })
  })
})
