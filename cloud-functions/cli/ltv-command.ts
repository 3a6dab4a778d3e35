import { readFileSync } from 'node:fs'

class UsageError extends Error {}

/**
 * `esign ltv IN.pdf -o OUT.pdf`: the completion step (PAdES B-LTA) on a signed PDF, with the local
 * platform CA and certificate registry of $ESIGN_DATA_DIR: one revision with a DSS (certificates,
 * OCSP responses, CRLs) and a document time-stamp from the platform TSA.
 * Exit 0 written; 2 bad usage, or the input is not a usable signed PDF (nothing written); 1 anything else.
 */
export async function runLtv(argv: string[]): Promise<number> {
  let input: string | undefined
  let output: string | undefined
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]
      if (a === '-o' || a === '--output') {
        output = argv[++i]
        if (!output) throw new UsageError(`${a} needs a file name`)
      } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`)
      else if (input === undefined) input = a
      else throw new UsageError(`unexpected argument ${a}`)
    }
    if (!input || !output) throw new UsageError('usage: esign ltv IN.pdf -o OUT.pdf')
  } catch (e) {
    process.stderr.write(`esign ltv: ${(e as Error).message}\n`)
    return 2
  }

  const { PdfFormatError } = await import('../core/pdf/pdf-errors')
  const { ConfigError, loadConfig } = await import('../runtime/config')
  let pdf: Uint8Array
  try {
    pdf = readFileSync(input)
  } catch (e) {
    process.stderr.write(`esign ltv: cannot read ${input} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`)
    return 2
  }
  let deps: Awaited<ReturnType<typeof import('../runtime/container').createContainer>> | undefined
  try {
    const config = loadConfig(process.env, process.cwd())
    const [{ createContainer }, { createLogger }, { getPkiServices }, { addLtv }, { collectValidationData }, { writeAtomically }] = await Promise.all([
      import('../runtime/container'),
      import('../runtime/logger'),
      import('../runtime/services'),
      import('../core/signing/add-ltv'),
      import('../use-cases/pki/collect-validation-data'),
      import('./write-atomically'),
    ])
    deps = await createContainer({ ...config, mode: 'local' }, createLogger({ level: 'silent' }), 'cli')
    const { ca } = await getPkiServices(deps)
    const trust = { ...deps, ca }
    const sealed = await addLtv(pdf, {
      validationData: (certificates) => collectValidationData(trust, certificates),
      timestampDigest: (digest) => ca.tsa.timestampDigest(digest),
    })
    writeAtomically(output, sealed.pieces)
    return 0
  } catch (e) {
    if (e instanceof PdfFormatError || e instanceof ConfigError) {
      process.stderr.write(`esign ltv: ${input}: ${e.message}\n`)
      return 2
    }
    process.stderr.write(`esign ltv: ${(e as Error).message}\n`)
    return 1
  } finally {
    await deps?.metadata.close()
  }
}
