import { readFileSync } from 'node:fs'
import { loadTrustRoots } from './trust-roots'

export const EVIDENCE_HELP = `esign evidence verify PACKAGE.zip [--json] [--trust ROOT.pem ...]

Checks an evidence package (证据包, downloaded from the contract page or
GET /api/contracts/{id}/evidence/package) with no server, section by section, and stops at the first
broken link: the manifest; the certificates (the package's root must be a trusted root); the evidence
chain in events.json (order, links, every hash); the evidence report's platform signature and that the
chain it records is the package's; the contract PDF (every signature valid, the final revision the
report names and the events record); every time-stamp token against the data it covers; and, when
proofs.json is there, the Merkle inclusion proofs and each checkpoint's time-stamp.

Trusts the platform root in $ESIGN_DATA_DIR (default ./.esign-data) plus every --trust file; with
neither, the package's own root is used and its fingerprint printed (compare it with the published one).

Options:
  --json          print the result as JSON
  --trust FILE    trust the certificate(s) in FILE (PEM or DER); repeatable

Exit codes: 0 valid; 1 a check failed (the first broken link is printed, in Chinese, with the
technical detail); 2 bad usage, or the file cannot be read as a zip.`

class UsageError extends Error {}

type Args = { file: string; json: boolean; trust: string[] }

function parseArgs(argv: string[]): Args {
  const [sub, ...rest] = argv
  if (sub !== 'verify') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand (verify)')
  const a: Args = { file: '', json: false, trust: [] }
  const files: string[] = []
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    if (arg === '--json') a.json = true
    else if (arg === '--trust') {
      const v = rest[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError('--trust needs a value')
      a.trust.push(v)
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`)
    else files.push(arg)
  }
  if (files.length !== 1) throw new UsageError(files.length ? 'give exactly one package' : 'missing PACKAGE.zip')
  a.file = files[0]
  return a
}

/** At most this many files and bytes (uncompressed) are read from a package. */
const MAX_FILES = 10_000
const MAX_BYTES = 512 * 1024 * 1024

/** `esign evidence verify`: see {@link EVIDENCE_HELP}. */
export async function runEvidence(argv: string[]): Promise<number> {
  let args: Args
  try {
    args = parseArgs(argv)
  } catch (e) {
    process.stderr.write(`esign evidence: ${(e as Error).message}. Run "esign evidence --help".\n`)
    return 2
  }
  const trustRoots = loadTrustRoots('esign evidence', args.trust)
  if (!trustRoots) return 2
  const files = new Map<string, Uint8Array>()
  try {
    const { default: JSZip } = await import('jszip')
    const zip = await JSZip.loadAsync(readFileSync(args.file))
    const entries = Object.values(zip.files).filter((f) => !f.dir)
    if (entries.length > MAX_FILES) throw new Error(`more than ${MAX_FILES} files`)
    let total = 0
    for (const f of entries) {
      const data = await f.async('uint8array')
      total += data.length
      if (total > MAX_BYTES) throw new Error(`more than ${MAX_BYTES} bytes uncompressed`)
      files.set(f.name, data)
    }
  } catch (e) {
    const message = `无法读取证据包（不是有效的 zip 文件）：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`
    if (args.json) process.stdout.write(JSON.stringify({ error: { code: 'NOT_A_PACKAGE', message } }, null, 2) + '\n')
    process.stderr.write(`esign evidence: ${args.file}: ${message}\n`)
    return 2
  }
  const { verifyEvidencePackage } = await import('../core/evidence/verify-evidence-package')
  const result = await verifyEvidencePackage(files, { trustRoots, now: new Date() })
  if (args.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n')
    return result.valid ? 0 : 1
  }
  const mark = { ok: '✓', failed: '✗', skipped: '–', 'not-run': '·' } as const
  const lines = [`证据包 ${args.file}${result.contractId ? `（合同编号 ${result.contractId}）` : ''}`]
  for (const s of result.sections) lines.push(`  ${mark[s.status]} ${s.title}：${s.message}`)
  if (result.firstFailure) {
    lines.push('', `结论：验证未通过。第一处断裂在「${result.firstFailure.title}」：${result.firstFailure.message}`)
    if (result.firstFailure.detail) lines.push(`技术细节：${result.firstFailure.detail}`)
  } else {
    lines.push('', `结论：验证通过${result.anchor === 'package' ? `（信任锚取自证据包本身，根证书 SHA-256 ${result.rootSha256}）` : ''}。`)
  }
  process.stdout.write(lines.join('\n') + '\n')
  return result.valid ? 0 : 1
}
