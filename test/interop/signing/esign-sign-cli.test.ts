/**
 * `esign sign` as operators run it: the compiled CLI (node bin/esign.js) with a local CA in
 * ESIGN_DATA_DIR. Success → exit 0 and a file pdfsig/qpdf accept; unusable input → exit 2, one
 * line on stderr, no stack trace, no output file; bad usage → exit 1.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { pdfsig, qpdfCheck, renderPage, requireTools, run, tempDir } from '../../support/pdf-tools'
import { findInk, handwritingPng } from '../../support/test-images'

jest.setTimeout(180_000)

const ROOT = join(__dirname, '../../..')
const FIXTURES = join(ROOT, 'test/fixtures/pdf')
const CLI = join(ROOT, 'bin/esign.js')
const BUILT = join(ROOT, 'build/cloud-functions/cli/sign-command.js')

let dir: string
let env: NodeJS.ProcessEnv

function esign(args: string[], extraEnv: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [CLI, 'sign', ...args], { cwd: dir, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The newest modification time of the TypeScript sources the CLI runs. */
function newestSource(): number {
  let newest = 0
  for (const d of ['cloud-functions/cli', 'cloud-functions/core/pdf', 'cloud-functions/core/signing', 'cloud-functions/core/pki']) {
    for (const f of readdirSync(join(ROOT, d))) if (f.endsWith('.ts')) newest = Math.max(newest, statSync(join(ROOT, d, f)).mtimeMs)
  }
  return newest
}

beforeAll(() => {
  requireTools('pdfsig', 'qpdf', 'pdftoppm')
  if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < newestSource()) {
    // Same command as `npm run build:server`; type errors elsewhere in the tree do not block emit.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'ignore' })
  }
  if (!existsSync(BUILT)) throw new Error('build/ has no sign-command.js: run "npx tsc -p tsconfig.server.json"')
  dir = tempDir('qianyue-cli-')
  env = { ...process.env, ESIGN_DATA_DIR: join(dir, 'esign-data') }
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('esign sign', () => {
  it('signs twice with a seal, a cross-page seal and a rect; pdfsig and qpdf accept the result', () => {
    const a = esign([join(FIXTURES, 'labor-libreoffice.pdf'), '-o', 'a.pdf', '--signer', '张三', '--seal', join(FIXTURES, 'seal.png'), '--cross-page-seal', '--reason', '同意', '--location', '上海'])
    expect({ status: a.status, stderr: a.stderr }).toEqual({ status: 0, stderr: '' })
    const b = esign(['a.pdf', '-o', 'b.pdf', '--signer', '李四', '--org', '上海示例信息技术有限公司', '--page', '1', '--rect', '100,100,150,90'])
    expect({ status: b.status, stderr: b.stderr }).toEqual({ status: 0, stderr: '' })
    const file = join(dir, 'b.pdf')
    const sigs = pdfsig(file).signatures
    expect(sigs.map((s) => s.status)).toEqual(['Signature is Valid.', 'Signature is Valid.'])
    expect(sigs.map((s) => s.commonName)).toEqual(['张三', '李四'])
    expect(sigs[1].totalDocumentSigned).toBe(true)
    expect(sigs[1].subFilter).toBe('ETSI.CAdES.detached')
    expect(qpdfCheck(file).ok).toBe(true)
    const aBytes = readFileSync(join(dir, 'a.pdf'))
    expect(Buffer.compare(readFileSync(file).subarray(0, aBytes.length), aBytes)).toBe(0)
  })

  it('signs an xref-stream file and a pre-signed file without breaking the earlier signature', () => {
    for (const f of ['po-objstm.pdf', 'po-presigned.pdf']) {
      const r = esign([join(FIXTURES, f), '-o', `out-${f}`, '--signer', 'Operator'])
      expect({ f, status: r.status, stderr: r.stderr }).toEqual({ f, status: 0, stderr: '' })
      const sigs = pdfsig(join(dir, `out-${f}`)).signatures
      expect(sigs.every((s) => s.valid)).toBe(true)
      expect(sigs.length).toBe(f === 'po-presigned.pdf' ? 2 : 1)
    }
  })

  it('exits 2 with one clear line and no output for input that is not a usable PDF', () => {
    const good = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    writeFileSync(join(dir, 'garbage.pdf'), Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0x41)]))
    writeFileSync(join(dir, 'truncated.pdf'), good.subarray(0, Math.floor(good.length / 2)))
    writeFileSync(join(dir, 'not-a-pdf.pdf'), 'Hello, this is a text file.\n')
    run('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', join(FIXTURES, 'po-chrome.pdf'), join(dir, 'encrypted.pdf')])
    // Signed and then damaged (xref offsets shifted): refused, never rewritten.
    const presigned = readFileSync(join(FIXTURES, 'po-presigned.pdf'))
    const nl = presigned.indexOf(0x0a) + 1
    writeFileSync(join(dir, 'signed-broken.pdf'), Buffer.concat([presigned.subarray(0, nl), Buffer.from('%junk\n'), presigned.subarray(nl)]))
    for (const f of ['garbage.pdf', 'truncated.pdf', 'not-a-pdf.pdf', 'encrypted.pdf', 'signed-broken.pdf', 'missing.pdf']) {
      const out = `out-${f}`
      const r = esign([f, '-o', out, '--signer', 'X'])
      expect({ f, status: r.status }).toEqual({ f, status: 2 })
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(r.stderr).toMatch(/^esign sign: /)
      expect(existsSync(join(dir, out))).toBe(false)
    }
  })

  it('repairs an unsigned file with a broken xref by one full rewrite, then signs it', () => {
    const gs = readFileSync(join(FIXTURES, 'labor-ghostscript.pdf'))
    const nl = gs.indexOf(0x0a) + 1
    writeFileSync(join(dir, 'broken.pdf'), Buffer.concat([gs.subarray(0, nl), Buffer.from('%junk\n'), gs.subarray(nl)]))
    const r = esign(['broken.pdf', '-o', 'repaired.pdf', '--signer', '钱七'])
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    const sigs = pdfsig(join(dir, 'repaired.pdf')).signatures
    expect(sigs.map((s) => s.status)).toEqual(['Signature is Valid.'])
    expect(qpdfCheck(join(dir, 'repaired.pdf')).ok).toBe(true)
  })

  it('draws a handwritten signature with --handwriting, where --rect puts it', () => {
    writeFileSync(join(dir, 'sig.png'), handwritingPng())
    const rect = [300, 80, 200, 110]
    const r = esign([join(FIXTURES, 'po-chrome.pdf'), '-o', 'hw.pdf', '--signer', '王五', '--handwriting', 'sig.png', '--page', '1', '--rect', rect.join(',')])
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    const file = join(dir, 'hw.pdf')
    expect(pdfsig(file).signatures.map((s) => s.status)).toEqual(['Signature is Valid.'])
    const png = renderPage(file, 1, 72, dir)
    const box = [rect[0], png.height - rect[1] - rect[3], rect[0] + rect[2], png.height - rect[1]] as const
    expect(findInk(png, ...box).count).toBeGreaterThan(300)
    expect(findInk(png, 0, 0, png.width, png.height).count).toBe(findInk(png, ...box).count)
    // Not a PNG: a usage-level failure (exit 1), one line, nothing written.
    const bad = esign([join(FIXTURES, 'po-chrome.pdf'), '-o', 'hw-bad.pdf', '--signer', 'X', '--handwriting', join(FIXTURES, 'po.html')])
    expect(bad.status).toBe(1)
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^esign sign: --handwriting .* is not a PNG file$/)])
    expect(existsSync(join(dir, 'hw-bad.pdf'))).toBe(false)
  })

  it('caches its compiled modules as V8 bytecode in a private directory, and ignores one others can write', () => {
    const cache = join(dir, 'compile-cache')
    for (const out of ['cc1.pdf', 'cc2.pdf']) {
      const r = esign([join(FIXTURES, 'po-chrome.pdf'), '-o', out, '--signer', '缓存'], { ESIGN_COMPILE_CACHE: cache })
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
      expect(pdfsig(join(dir, out)).signatures.map((s) => s.status)).toEqual(['Signature is Valid.'])
    }
    const entries = readdirSync(cache)
    expect(entries.length).toBeGreaterThan(20)
    expect(statSync(cache).mode & 0o777).toBe(0o700)
    for (const e of entries) expect({ e, mode: statSync(join(cache, e)).mode & 0o777 }).toEqual({ e, mode: 0o600 })
    const shared = join(dir, 'shared-cache')
    mkdirSync(shared)
    chmodSync(shared, 0o777)
    const r = esign([join(FIXTURES, 'po-chrome.pdf'), '-o', 'cc3.pdf', '--signer', '缓存'], { ESIGN_COMPILE_CACHE: shared })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    expect(readdirSync(shared)).toEqual([])
  })

  it('exits 1 for bad usage', () => {
    expect(esign([join(FIXTURES, 'po-chrome.pdf'), '-o', 'x.pdf']).status).toBe(1) // no --signer
    expect(esign([join(FIXTURES, 'po-chrome.pdf'), '-o', 'x.pdf', '--signer', 'A', '--rect', '1,2']).status).toBe(1)
    expect(esign([join(FIXTURES, 'po-chrome.pdf'), '-o', 'x.pdf', '--signer', 'A', '--page', '9']).status).toBe(1)
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false)
  })
})
