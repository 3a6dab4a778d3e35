import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { dataDirFrom } from '../runtime/defaults'

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

Exit codes: 0 valid; 1 not valid (or no signatures); 2 the input cannot be read as a PDF, or bad usage.`

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

/** Every certificate in a PEM bundle, or the file itself as DER. */
function readCertificates(file: string): Uint8Array[] {
  const data = readFileSync(file)
  const text = data.toString('latin1')
  const pems = [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g)]
  if (pems.length) return pems.map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')))
  if (data[0] === 0x30) return [new Uint8Array(data)]
  throw new UsageError(`${file} holds no certificate (PEM or DER)`)
}

/** `esign verify`: see {@link VERIFY_HELP}. Loads only the verifier (no jsrsasign, no CA keys). */
export async function runVerify(argv: string[]): Promise<number> {
  let args: VerifyArgs
  const trustRoots: Uint8Array[] = []
  try {
    args = parseArgs(argv)
    for (const f of args.trust) trustRoots.push(...readCertificates(f))
  } catch (e) {
    const msg = e instanceof UsageError ? e.message : `cannot read a --trust file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
    process.stderr.write(`esign verify: ${msg}. Run "esign verify --help".\n`)
    return 2
  }
  // The platform root of the local CA, if one was ever created (never created here).
  const rootPem = join(dataDirFrom(process.env), 'pki', 'root.pem')
  if (existsSync(rootPem)) {
    try {
      trustRoots.push(...readCertificates(rootPem))
    } catch {
      process.stderr.write(`esign verify: warning: ${rootPem} holds no certificate; the platform root is not trusted\n`)
    }
  }
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
  return result.value.valid ? 0 : 1
}

function unreadable(args: VerifyArgs, message: string): number {
  if (args.json) process.stdout.write(JSON.stringify({ error: { code: 'NOT_A_PDF', message } }, null, 2) + '\n')
  process.stderr.write(`esign verify: ${args.file}: ${message}\n`)
  return 2
}
