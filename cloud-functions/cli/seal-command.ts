import { writeFileSync } from 'node:fs'
import { COMPANY_SEAL_TYPES, generateSeal, type CompanySealType, type SealSpec } from '../core/seals/generate-seal'
import { drawingToPng } from '../core/seals/rasterise'
import { drawingToPdf } from '../core/seals/seal-pdf'
import { loadSealFont } from '../runtime/services'

export const SEAL_HELP = `esign seal -o seal.png --kind KIND --name TEXT [options]

Draws a seal (deterministic: the same options give the same bytes) as a transparent PNG at print
resolution, ready for "esign sign --seal seal.png", and optionally its vector form as a one-page
PDF at real size (paths and an embedded subset of Noto Sans SC Bold, SIL OFL 1.1).

Kinds:
  round      company round seal: --name the company (2–40 characters), --type 公章|合同专用章|财务专用章,
             optional --code (13 digits) along the lower arc
  oval       company oval seal: same options as round
  personal   square personal seal: --name 2–6 characters, --layout 2x2|2x3 (default by length)
  legal-rep  legal representative's seal (法定代表人章): --name 2–5 characters

Options:
  -o, --output FILE.png   the PNG to write (required)
  --pdf FILE.pdf          also write the vector form
  --dpi N                 PNG resolution (default 600)

Exit codes: 0 written; 1 bad usage or text the seal cannot carry (nothing written).`

/** \`esign seal\`: see {@link SEAL_HELP}. */
export async function runSeal(argv: string[]): Promise<number> {
  const a: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const key = { '-o': 'output', '--output': 'output', '--kind': 'kind', '--name': 'name', '--type': 'type', '--code': 'code', '--layout': 'layout', '--pdf': 'pdf', '--dpi': 'dpi' }[flag]
    const value = argv[i + 1]
    if (!key || value === undefined) return usage(key ? `${flag} needs a value` : `unknown option ${flag}`)
    a[key] = value
    i++
  }
  if (!a.output) return usage('missing -o FILE.png')
  if (!a.name) return usage('missing --name')
  const dpi = a.dpi ? Number(a.dpi) : 600
  if (!Number.isFinite(dpi) || dpi < 72 || dpi > 2400) return usage('--dpi must be between 72 and 2400')
  let spec: SealSpec
  switch (a.kind) {
    case 'round':
    case 'oval': {
      const sealType = (a.type ?? '公章') as CompanySealType
      if (!COMPANY_SEAL_TYPES.includes(sealType)) return usage(`--type must be one of ${COMPANY_SEAL_TYPES.join(', ')}`)
      spec = { kind: a.kind === 'round' ? 'company-round' : 'company-oval', companyName: a.name, sealType, code: a.code }
      break
    }
    case 'personal':
      if (a.layout && a.layout !== '2x2' && a.layout !== '2x3') return usage('--layout must be 2x2 or 2x3')
      spec = { kind: 'personal-square', name: a.name, layout: a.layout as '2x2' | '2x3' | undefined }
      break
    case 'legal-rep':
      spec = { kind: 'legal-representative', name: a.name }
      break
    default:
      return usage('--kind must be round, oval, personal or legal-rep')
  }
  const font = loadSealFont()
  const drawing = generateSeal(spec, font)
  if (!drawing.ok) {
    process.stderr.write(`esign seal: ${drawing.error.message}\n`)
    return 1
  }
  writeFileSync(a.output, drawingToPng(drawing.value, font, dpi / 25.4))
  if (a.pdf) writeFileSync(a.pdf, drawingToPdf(drawing.value, font))
  return 0
}

function usage(problem: string): number {
  process.stderr.write(`esign seal: ${problem}. Run "esign seal --help".\n`)
  return 1
}
