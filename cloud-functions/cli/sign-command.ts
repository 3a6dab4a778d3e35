import { mkdirSync, readFileSync } from 'node:fs'
import { PdfFormatError } from '../core/pdf/pdf-errors'
import type { EventCertificate } from '../core/pki/issue-event-certificate'
import { enableCompileCache } from './compile-cache'
import { writeAtomically } from './write-atomically'
import { beijingMinute } from '../core/shared/beijing-time'

export const SIGN_HELP = `esign sign IN.pdf -o OUT.pdf --signer NAME [options]

Signs IN.pdf as NAME (PAdES B-T, ETSI.CAdES.detached) with a fresh event certificate from the
local CA in $ESIGN_DATA_DIR (default ./.esign-data; created on first use), as an incremental
update: earlier signatures stay valid. The certificate is recorded in the certificate registry of
the same folder (metadata.sqlite, shared with a running local server), so the server's OCSP
responder answers "good" for it.

Options:
  -o, --output OUT.pdf   where to write the signed file (required)
  --signer NAME          the signer's name (certificate CN, shown on the stamp) (required)
  --org ORG              the signer's organisation (certificate O)
  --page N|last          page for the visible stamp, 1-based (default: last)
  --rect x,y,w,h         stamp rectangle in PDF points from the bottom-left corner of the page as
                         displayed (rotation and crop box applied); default: bottom right of the page
  --seal seal.png        seal image (PNG, transparency kept); default: a generated name stamp
  --handwriting sig.png  handwritten signature (PNG, strokes on a transparent background): drawn
                         instead of the generated name stamp, or beside the seal with --seal
  --cross-page-seal      also split the seal into strips on the right edge of every page (骑缝章)
  --field NAME           sign this (pre-created) signature field
  --reason TEXT          /Reason
  --location TEXT        /Location
  --invisible            no visible stamp

Exit codes: 0 signed; 2 the input is not a usable PDF (garbage, truncated, not a PDF, encrypted,
already signed and damaged) — nothing is written; 1 anything else.

Start-up: compiled modules are cached as V8 bytecode in $ESIGN_COMPILE_CACHE (default: a private
directory under the system temp directory); ESIGN_COMPILE_CACHE=off disables it.`

type SignArgs = {
  input: string
  output: string
  signer: string
  org?: string
  page: number | 'last'
  rect?: [number, number, number, number]
  seal?: string
  handwriting?: string
  crossPageSeal: boolean
  field?: string
  reason?: string
  location?: string
  invisible: boolean
}

class UsageError extends Error {}
class InputError extends Error {}

function parseArgs(argv: string[]): SignArgs {
  const a: Partial<SignArgs> = { page: 'last', crossPageSeal: false, invisible: false }
  const positional: string[] = []
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1]
    if (v === undefined || (v.startsWith('-') && v.length > 1 && !/^-\d/.test(v))) throw new UsageError(`${flag} needs a value`)
    return v
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    switch (arg) {
      case '-o':
      case '--output': a.output = value(i++, arg); break
      case '--signer': a.signer = value(i++, arg); break
      case '--org': a.org = value(i++, arg); break
      case '--page': {
        const v = value(i++, arg)
        if (v === 'last') a.page = 'last'
        else if (/^\d+$/.test(v) && Number(v) >= 1) a.page = Number(v) - 1
        else throw new UsageError(`--page must be a page number (1, 2, …) or "last", not "${v}"`)
        break
      }
      case '--rect': {
        const v = value(i++, arg)
        const n = v.split(',').map(Number)
        if (n.length !== 4 || n.some((x) => !Number.isFinite(x)) || n[2] <= 0 || n[3] <= 0) {
          throw new UsageError(`--rect must be x,y,w,h with a positive width and height, not "${v}"`)
        }
        a.rect = n as [number, number, number, number]
        break
      }
      case '--seal': a.seal = value(i++, arg); break
      case '--handwriting': a.handwriting = value(i++, arg); break
      case '--cross-page-seal': a.crossPageSeal = true; break
      case '--field': a.field = value(i++, arg); break
      case '--reason': a.reason = value(i++, arg); break
      case '--location': a.location = value(i++, arg); break
      case '--invisible': a.invisible = true; break
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`)
        positional.push(arg)
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? 'give exactly one input file' : 'missing input file IN.pdf')
  if (!a.output) throw new UsageError('missing -o OUT.pdf')
  if (!a.signer || !a.signer.trim()) throw new UsageError('missing --signer NAME')
  return { ...(a as SignArgs), input: positional[0] }
}

/** `esign sign`: see {@link SIGN_HELP}. */
export async function runSign(argv: string[]): Promise<number> {
  // Before the signing modules load: they then compile from V8's cached bytecode.
  enableCompileCache()
  let args: SignArgs
  try {
    args = parseArgs(argv)
  } catch (e) {
    process.stderr.write(`esign sign: ${(e as Error).message}. Run "esign sign --help".\n`)
    return 1
  }
  try {
    await sign(args)
    return 0
  } catch (e) {
    if ((e instanceof PdfFormatError && e.code !== 'UNSUPPORTED') || e instanceof InputError) {
      process.stderr.write(`esign sign: ${args.input}: ${e.message}\n`)
      return 2
    }
    const msg = e instanceof Error ? e.message : String(e)
    process.stderr.write(`esign sign: ${msg}\n`)
    return 1
  }
}

async function sign(args: SignArgs): Promise<void> {
  let input: Buffer
  try {
    input = readFileSync(args.input)
  } catch (e) {
    throw new InputError(`cannot read the input file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  const seal = args.seal ? readPng('--seal', args.seal) : undefined
  const handwriting = args.handwriting ? readPng('--handwriting', args.handwriting) : undefined
  // Validate and (if needed) repair the input before any CA work, so bad input fails fast.
  const { openForSigning } = await import('../core/signing/repair-document')
  const { bytes, reader } = await openForSigning(input)

  const clock = { now: () => new Date() }
  const [{ dataDirFrom, publicBaseUrlFrom, metadataFileIn }, { loadOrCreateLocalCa }] = await Promise.all([import('../runtime/defaults'), import('../adapters/local/local-ca-store')])
  // The same CA the server and `esign ca` open: same data folder, master key and public URLs (the
  // defaults of runtime/defaults.ts, not runtime/config.ts, whose schema library costs ~60 ms of start-up).
  const dataDir = dataDirFrom(process.env)
  const masterKey = process.env.ESIGN_MASTER_KEY ? new Uint8Array(Buffer.from(process.env.ESIGN_MASTER_KEY, 'base64')) : undefined
  if (masterKey && masterKey.length !== 32) throw new Error('ESIGN_MASTER_KEY must be the base64 of 32 bytes')
  // Its files are read in the background while this thread loads the signing code and opens the registry.
  const loadingCa = loadOrCreateLocalCa(dataDir, clock, { masterKey, baseUrl: publicBaseUrlFrom(process.env) })
  loadingCa.catch(() => undefined) // awaited below; this only keeps an early failure from being reported as unhandled
  const [{ SqliteMetadataStore }, { issueRecordedEventCertificate }, { recordCaCertificates }, { maxCmsSize }, { signPdf }, { createSignatureAppearance }] = await Promise.all([
    import('../adapters/local/sqlite-metadata-store'),
    import('../use-cases/pki/issue-recorded-event-certificate'),
    import('../use-cases/pki/records'),
    import('../core/signing/build-cms-signed-data'),
    import('../core/signing/sign-pdf'),
    import('../core/signing/signature-appearance'),
  ])
  // The certificate is recorded in the server's certificate registry (the same SQLite file; WAL lets
  // a running server and this process write) before it signs anything, so the OCSP responder answers
  // good for it, never unknown. Expired items are the server's to purge.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const metadata = new SqliteMetadataStore({ file: metadataFileIn(dataDir), clock, purgeExpired: false })
  let issued: EventCertificate
  let ca: Awaited<typeof loadingCa>
  try {
    ca = await loadingCa
    if (ca.created) await recordCaCertificates(metadata, ca, clock.now())
    issued = await issueRecordedEventCertificate({ metadata, clock }, ca, { name: args.signer, organization: args.org })
  } finally {
    await metadata.close()
  }
  const { signer } = issued
  const contentsSize = maxCmsSize(await signer.certificateChain(), true, ca.tsaCertificatesSize)
  const now = clock.now()
  const visible = !args.invisible
  const appearance = visible
    ? createSignatureAppearance({
        signerName: args.signer,
        dateText: beijingMinute(now),
        font: (await import('../adapters/local/noto-sans-sc-font')).loadNotoSansSc(),
        seal,
        handwriting,
      })
    : undefined
  const sealed = await signPdf(bytes, {
    signer,
    tsa: ca.tsa,
    contentsSize,
    signingTime: now,
    signerName: args.signer,
    reason: args.reason,
    location: args.location,
    fieldName: args.field,
    placement: visible ? { page: args.page, rect: args.rect } : undefined,
    appearance,
    crossPageSeal: args.crossPageSeal && visible ? { width: 120, height: 120 } : undefined,
    repairBrokenXref: false,
    reader,
  })
  writeAtomically(args.output, sealed.pieces)
}

/** An image option's file, which must be a PNG. */
function readPng(flag: string, path: string): Buffer {
  let png: Buffer
  try {
    png = readFileSync(path)
  } catch (e) {
    throw new Error(`${flag} ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  if (png.subarray(0, 8).toString('latin1') !== '\x89PNG\r\n\x1a\n') throw new Error(`${flag} ${path} is not a PNG file`)
  return png
}

