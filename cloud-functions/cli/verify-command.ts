import { readFileSync } from 'node:fs'
import { loadTrustRoots } from './trust-roots'

export const VERIFY_HELP = `esign verify FILE.pdf [--json] [--trust ROOT.pem ...] [--ocsp URL]

Verifies every signature in FILE.pdf: the signed bytes are intact, the CMS signature is valid,
the signer chains to a trusted root (the platform root in $ESIGN_DATA_DIR, default ./.esign-data,
plus every --trust file), the certificates were valid and not revoked at the proven time
(signature or document time-stamp), and what every later revision changed is allowed (new
signatures, form filling, DSS, document time-stamps, metadata) — not page content, pages,
annotations beyond DocMDP, or anything unexplained.

Options:
  --json          print the report as JSON (the same object POST /api/verify returns)
  --trust FILE    trust the certificate(s) in FILE (PEM, one or more, or DER); repeatable
  --ocsp URL      ask this OCSP responder about certificates the document has no revocation data for

Exit codes: 0 valid; 1 invalid (or no signatures); 2 the input cannot be read as a PDF, or bad usage;
3 indeterminate: every signature intact and valid with no disallowed change, but a signer (or
time-stamp authority) is not trusted (无法确认签署人身份).`

type VerifyArgs = { file: string; json: boolean; trust: string[]; ocsp?: string }

class UsageError extends Error {}

function parseArgs(argv: string[]): VerifyArgs {
  const a: VerifyArgs = { file: '', json: false, trust: [] }
  const files: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`)
      return v
    }
    if (arg === '--json') a.json = true
    else if (arg === '--trust') a.trust.push(value())
    else if (arg === '--ocsp') a.ocsp = value()
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`)
    else files.push(arg)
  }
  if (files.length !== 1) throw new UsageError(files.length ? 'give exactly one PDF file' : 'missing FILE.pdf')
  a.file = files[0]
  return a
}

/** `esign verify`: see {@link VERIFY_HELP}. Loads only the verifier (no jsrsasign, no CA keys). */
export async function runVerify(argv: string[]): Promise<number> {
  let args: VerifyArgs
  try {
    args = parseArgs(argv)
  } catch (e) {
    process.stderr.write(`esign verify: ${(e as Error).message}. Run "esign verify --help".\n`)
    return 2
  }
  const trustRoots = loadTrustRoots('esign verify', args.trust)
  if (!trustRoots) return 2
  let bytes: Uint8Array
  try {
    bytes = readFileSync(args.file)
  } catch (e) {
    return unreadable(args, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  const { verifyPdf } = await import('../core/verification/verify-pdf')
  let revocation
  if (args.ocsp) {
    const { HttpOcspRevocationSource } = await import('../adapters/ocsp/http-ocsp-revocation-source')
    revocation = new HttpOcspRevocationSource({ responderUrl: args.ocsp })
  }
  const result = await verifyPdf(bytes, { trustRoots, now: new Date(), revocation })
  if (!result.ok) return unreadable(args, result.error.message)
  if (args.json) process.stdout.write(JSON.stringify(result.value, null, 2) + '\n')
  else {
    const { formatReport } = await import('./format-report')
    process.stdout.write(formatReport(result.value, args.file))
  }
  return VERDICT_EXIT[result.value.verdict]
}

/** The exit code of each verdict (2 is unusable input or usage). */
const VERDICT_EXIT = { valid: 0, invalid: 1, indeterminate: 3 } as const

function unreadable(args: VerifyArgs, message: string): number {
  if (args.json) process.stdout.write(JSON.stringify({ error: { code: 'NOT_A_PDF', message } }, null, 2) + '\n')
  process.stderr.write(`esign verify: ${args.file}: ${message}\n`)
  return 2
}
