/**
 * Independent judges for signed PDFs: poppler pdfsig, qpdf, openssl, pdftoppm, and the producers
 * (Ghostscript, qpdf, LibreOffice, Chromium) used to make real-world inputs. A missing tool FAILS the
 * test with a message saying what to install — these tests never skip.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PNG } from 'pngjs'

const TOOL_PACKAGES: Record<string, string> = {
  pdfsig: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdftotext: 'poppler-utils',
  qpdf: 'qpdf',
  openssl: 'openssl',
  gs: 'ghostscript',
  certutil: 'libnss3-tools',
  soffice: 'libreoffice-writer-nogui',
  chromium: 'chromium',
}

/** Throws a clear error if a tool is not on PATH. */
export function requireTools(...tools: string[]): void {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0)
  if (missing.length) {
    const pkgs = [...new Set(missing.map((t) => TOOL_PACKAGES[t] ?? t))].join(' ')
    throw new Error(`required tool(s) missing: ${missing.join(', ')} — install with: apt-get install -y ${pkgs}`)
  }
}

export function tempDir(prefix = 'qianyue-pdf-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export type PdfsigSignature = {
  fieldName: string
  commonName?: string
  valid: boolean
  status: string
  totalDocumentSigned: boolean
  ranges: number[]
  subFilter?: string
}

/** Runs `pdfsig -nocert` and parses every signature block (the exit code is 0 even when invalid). */
export function pdfsig(file: string): { signatures: PdfsigSignature[]; stdout: string } {
  const r = spawnSync('pdfsig', ['-nocert', file], { encoding: 'utf8' })
  const stdout = r.stdout ?? ''
  if (r.status !== 0 && r.status !== 2) throw new Error(`pdfsig failed (${r.status}): ${r.stderr}`)
  const blocks = stdout.split(/^Signature #\d+:$/m).slice(1)
  const signatures = blocks.map((b) => {
    const field = /Signature Field Name: (.*)$/m.exec(b)?.[1] ?? ''
    const status = /Signature Validation: (.*)$/m.exec(b)?.[1] ?? ''
    const ranges = /Signed Ranges: \[(\d+) - (\d+)\], \[(\d+) - (\d+)\]/.exec(b)
    return {
      fieldName: field.trim(),
      commonName: /Signer Certificate Common Name: (.*)$/m.exec(b)?.[1]?.trim(),
      valid: status.trim() === 'Signature is Valid.',
      status: status.trim(),
      totalDocumentSigned: /^\s+- Total document signed$/m.test(b),
      ranges: ranges ? ranges.slice(1).map(Number) : [],
      subFilter: /Signature Type: (.*)$/m.exec(b)?.[1]?.trim(),
    }
  })
  return { signatures, stdout }
}

/** `qpdf --check`: exit 0 and no warnings. Returns the output for messages. */
export function qpdfCheck(file: string): { ok: boolean; output: string; status: number | null } {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
  const output = `${r.stdout}${r.stderr}`
  return { ok: r.status === 0 && !/WARNING/i.test(output), output, status: r.status }
}

/** Every `/ByteRange [a b c d]` in the file with the CMS it frames (hex decoded, padding kept). */
export function extractSignatures(bytes: Uint8Array): Array<{ byteRange: number[]; cms: Buffer; content: Buffer }> {
  const buf = Buffer.from(bytes)
  const text = buf.toString('latin1')
  const out: Array<{ byteRange: number[]; cms: Buffer; content: Buffer }> = []
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text))) {
    const br = m.slice(1, 5).map(Number)
    const hex = text.slice(br[1] + 1, br[2] - 1)
    out.push({
      byteRange: br,
      cms: Buffer.from(hex, 'hex'),
      content: Buffer.concat([buf.subarray(br[0], br[0] + br[1]), buf.subarray(br[2], br[2] + br[3])]),
    })
  }
  return out
}

/** `openssl cms -verify` of one extracted signature against a CA file. */
export function opensslVerify(dir: string, sig: { cms: Buffer; content: Buffer }, caFile: string, tag: string): { ok: boolean; output: string } {
  // Strip the zero padding after the DER (openssl accepts it, but a clean file is easier to inspect).
  const p7s = join(dir, `${tag}.p7s`)
  const content = join(dir, `${tag}.content`)
  writeFileSync(p7s, derPrefix(sig.cms))
  writeFileSync(content, sig.content)
  const r = spawnSync(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content, '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'],
    { encoding: 'utf8' },
  )
  return { ok: r.status === 0 && /Verification successful/.test(r.stderr), output: `${r.stdout}${r.stderr}` }
}

/** The DER element at the start of `b` (drops trailing zero padding). */
export function derPrefix(b: Buffer): Buffer {
  if (b[1] === 0x80) return b // BER indefinite length: keep as is
  let len = b[1]
  let hdr = 2
  if (len & 0x80) {
    const n = len & 0x7f
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]
    hdr = 2 + n
  }
  return b.subarray(0, hdr + len)
}

export function run(cmd: string, args: string[], opts: { cwd?: string; timeout?: number } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeout ?? 120_000, cwd: opts.cwd })
}

/**
 * Renders one page (1-based) at `dpi`, as displayed (pdftoppm applies `/Rotate`), and returns the
 * decoded PNG. With `cropBox`, only the crop box is rendered — what a viewer shows.
 */
export function renderPage(file: string, page: number, dpi: number, dir: string, o: { cropBox?: boolean } = {}): PNG {
  const prefix = join(dir, `render-${page}-${Math.random().toString(36).slice(2)}`)
  run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), ...(o.cropBox ? ['-cropbox'] : []), '-png', '-singlefile', file, prefix])
  return PNG.sync.read(readFileSync(`${prefix}.png`))
}

/** Counts "seal red" pixels (strong red, weak green/blue) inside a pixel rectangle. */
export function countRedPixels(png: PNG, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(png.height, Math.ceil(y1)); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(png.width, Math.ceil(x1)); x++) {
      const i = (y * png.width + x) * 4
      const r = png.data[i], g = png.data[i + 1], b = png.data[i + 2]
      if (r > 150 && g < 110 && b < 110) n++
    }
  }
  return n
}

/**
 * Converts documents to PDF with LibreOffice in one `soffice --headless` start (2–5 s), with a fresh
 * user profile in `outDir` (parallel test files never share one). With `formFields`, the PDF export
 * filter creates a PDF form (AcroForm fields) from the document's form controls.
 *
 * @returns the output paths, in the order of `inputs`.
 */
export function convertWithLibreOffice(inputs: string[], outDir: string, o: { formFields?: boolean } = {}): string[] {
  const filter = o.formFields ? 'pdf:writer_pdf_Export:{"ExportFormFields":{"type":"boolean","value":"true"}}' : 'pdf:writer_pdf_Export'
  const profile = pathToFileURL(join(outDir, `lo-profile-${process.pid}`)).href
  const r = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=${profile}`, '--convert-to', filter, '--outdir', outDir, ...inputs], {
    encoding: 'utf8',
    timeout: 180_000,
  })
  const outputs = inputs.map((f) => join(outDir, basename(f).replace(/\.[^.]+$/, '.pdf')))
  const missing = outputs.filter((f) => !existsSync(f))
  if (r.status !== 0 || missing.length) {
    throw new Error(`soffice --convert-to pdf failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}); missing ${missing.join(', ')}\n${r.stdout}${r.stderr}`)
  }
  return outputs
}

/** Prints an HTML file to PDF with headless Chromium (Skia/PDF), offline and with a fresh profile. */
export function printWithChromium(html: string, output: string, workDir: string): string {
  const r = spawnSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(workDir, `chromium-profile-${process.pid}`)}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${output}`,
      pathToFileURL(html).href,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  )
  if (r.status !== 0 || !existsSync(output)) throw new Error(`chromium --print-to-pdf failed (exit ${r.status}): ${r.stderr}`)
  return output
}

/** `pdftotext -layout` of one page (1-based) or the whole file. */
export function pdftotext(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : []
  return run('pdftotext', ['-layout', ...range, file, '-'])
}

/**
 * The verdict of the independent tools on a file we signed: pdfsig reports `expected` signatures,
 * every one `Signature is Valid.`, the last `Total document signed` up to the end of the file;
 * `qpdf --check` is clean; `openssl cms -verify` accepts each of our CMSs (those after the first
 * `foreign` ones, made by another tool) against `caFile`. Throws with the tools' output otherwise.
 */
export function assertSignedPdfValid(file: string, o: { expected: number; foreign?: number; caFile: string; dir: string; label: string }): void {
  const bytes = readFileSync(file)
  const { signatures, stdout } = pdfsig(file)
  if (signatures.length !== o.expected) throw new Error(`${o.label}: pdfsig found ${signatures.length} signatures, expected ${o.expected}\n${stdout}`)
  signatures.forEach((s, i) => {
    if (!s.valid) throw new Error(`${o.label}: signature #${i + 1} (${s.fieldName}) is "${s.status}"\n${stdout}`)
  })
  const last = signatures[signatures.length - 1]
  if (!last.totalDocumentSigned || last.ranges[3] !== bytes.length) {
    throw new Error(`${o.label}: the last signature does not cover the whole file (ranges ${last.ranges.join(' ')}, size ${bytes.length})\n${stdout}`)
  }
  const q = qpdfCheck(file)
  if (!q.ok) throw new Error(`${o.label}: qpdf --check is not clean (exit ${q.status}):\n${q.output}`)
  const sigs = extractSignatures(bytes)
  if (sigs.length !== o.expected) throw new Error(`${o.label}: ${sigs.length} /ByteRange entries, expected ${o.expected}`)
  sigs.slice(o.foreign ?? 0).forEach((s, i) => {
    const r = opensslVerify(o.dir, s, o.caFile, `${o.label.replace(/\W+/g, '_')}-${i}`)
    if (!r.ok) throw new Error(`${o.label}: openssl cms -verify rejected signature #${i + 1}:\n${r.output}`)
  })
}

/** Flips one bit at `at` (inside every signature's first range) and returns each pdfsig status. */
export function tamperedStatuses(signed: Uint8Array, at: number, dir: string, tag: string): string[] {
  const tampered = Buffer.from(signed)
  tampered[at] ^= 0x01
  const file = join(dir, `${tag.replace(/\W+/g, '_')}-tampered.pdf`)
  writeFileSync(file, tampered)
  return pdfsig(file).signatures.map((s) => s.status)
}

/** Counts "ink" pixels (dark: every channel below `threshold`) inside a pixel rectangle. */
export function countDarkPixels(png: PNG, x0: number, y0: number, x1: number, y1: number, threshold = 110): number {
  let n = 0
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(png.height, Math.ceil(y1)); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(png.width, Math.ceil(x1)); x++) {
      const i = (y * png.width + x) * 4
      if (png.data[i] < threshold && png.data[i + 1] < threshold && png.data[i + 2] < threshold) n++
    }
  }
  return n
}
