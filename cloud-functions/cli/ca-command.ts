import { createHash } from 'node:crypto'

class UsageError extends Error {}

/** `esign ca …`: local mode only (the AWS CA is created by the deployment's first cold start). */
export async function runCa(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  try {
    if (sub === 'init' && rest.length === 0) return await init()
    if (sub === 'root' && rest.length === 0) return await root()
    if (sub === 'revoke') return await revoke(rest)
    throw new UsageError(sub ? `unknown or malformed "esign ca ${argv.join(' ')}"` : 'missing subcommand')
  } catch (e) {
    const { ConfigError } = await import('../runtime/config')
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`esign ca: ${e.message}. Run "esign ca --help".\n`)
      return 2
    }
    process.stderr.write(`esign ca: ${(e as Error).message}\n`)
    return 1
  }
}

async function localCa() {
  const { loadConfig } = await import('../runtime/config')
  const { loadOrCreateLocalCa } = await import('../adapters/local/local-ca-store')
  const config = loadConfig(process.env, process.cwd())
  const clock = { now: () => new Date() }
  const ca = await loadOrCreateLocalCa(config.dataDir, clock, { masterKey: config.masterKey, baseUrl: config.publicBaseUrl })
  if (ca.created) {
    // Its certificates go into the registry now, as the server does at every start.
    const [{ SqliteMetadataStore }, { metadataFileIn }, { recordCaCertificates }] = await Promise.all([
      import('../adapters/local/sqlite-metadata-store'),
      import('../runtime/defaults'),
      import('../use-cases/pki/records'),
    ])
    const metadata = new SqliteMetadataStore({ file: metadataFileIn(config.dataDir), clock })
    try {
      await recordCaCertificates(metadata, ca, clock.now())
    } finally {
      await metadata.close()
    }
  }
  return { config, ca }
}

async function init(): Promise<number> {
  const { ca } = await localCa()
  const { parseCertificate, nameAttributes } = await import('../core/pki/certificate-info')
  const line = (label: string, der: Uint8Array): string => {
    const info = parseCertificate(der)
    return `  ${label.padEnd(8)} ${nameAttributes(info.subjectDer).commonName}  (valid until ${info.notAfter.toISOString().slice(0, 10)})`
  }
  process.stdout.write(
    [
      ca.created ? `Created the platform CA in ${ca.directory}` : `The platform CA already exists in ${ca.directory}; nothing changed`,
      line('root', ca.rootCertificateDer),
      line('issuing', ca.issuingCertificateDer),
      line('tsa', ca.tsaCertificateDer),
      line('ocsp', ca.ocspCertificateDer),
      `  root SHA-256 fingerprint ${createHash('sha256').update(ca.rootCertificateDer).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:')}`,
      `  root certificate: ${ca.directory}/root.pem  (or: esign ca root)`,
      '',
    ].join('\n'),
  )
  return 0
}

async function root(): Promise<number> {
  const { ca } = await localCa()
  if (ca.created) process.stderr.write(`esign ca: created the platform CA in ${ca.directory}\n`)
  process.stdout.write(ca.rootCertificatePem)
  return 0
}

async function revoke(args: string[]): Promise<number> {
  const [serial, ...options] = args
  if (!serial || !/^(0x)?[0-9A-Fa-f:]{2,64}$/.test(serial)) throw new UsageError('revoke needs the certificate serial number in hex')
  let reason = 'unspecified'
  if (options.length > 0) {
    if (options.length !== 2 || options[0] !== '--reason') throw new UsageError(`unexpected ${options.join(' ')}`)
    reason = options[1]
  }
  const { config } = await localCa()
  const { createContainer } = await import('../runtime/container')
  const { createLogger } = await import('../runtime/logger')
  const { getPkiServices } = await import('../runtime/services')
  const { revokeCertificate } = await import('../use-cases/pki/revoke-certificate')
  const deps = await createContainer({ ...config, mode: 'local' }, createLogger({ level: 'silent' }), 'cli')
  try {
    const { ca } = await getPkiServices(deps)
    const r = await revokeCertificate({ ...deps, ca }, { serialNumber: serial.replace(/^0x/, '').replace(/:/g, ''), reason: reason as never })
    if (!r.ok) {
      process.stderr.write(`esign ca: ${r.error.message}\n`)
      return r.error.code === 'CONFLICT' ? 1 : 2
    }
    const rec = r.value.record
    process.stdout.write(
      r.value.changed
        ? `Revoked ${rec.serialNumber} (${rec.subjectCommonName}) at ${rec.revokedAt}, reason ${rec.revocationReason}; the CRL was regenerated.\n`
        : `${rec.serialNumber} (${rec.subjectCommonName}) was already revoked at ${rec.revokedAt} (${rec.revocationReason}); nothing changed.\n`,
    )
    return 0
  } finally {
    await deps.metadata.close()
  }
}
