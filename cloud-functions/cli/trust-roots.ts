import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { dataDirFrom } from '../runtime/defaults'

class CertificateFileError extends Error {}

/** Every certificate in a PEM bundle, or the file itself as DER. */
function readCertificates(file: string): Uint8Array[] {
  const data = readFileSync(file)
  const pems = [...data.toString('latin1').matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g)]
  if (pems.length) return pems.map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')))
  if (data[0] === 0x30) return [new Uint8Array(data)]
  throw new CertificateFileError(`${file} holds no certificate (PEM or DER)`)
}

/**
 * The trust roots of `esign verify` and `esign evidence verify`: every certificate of the `--trust`
 * files, then the platform root of the local CA if one was ever created (never created here).
 * `undefined` (after saying why on stderr, with `command`'s help hint) when a `--trust` file cannot
 * be read or holds no certificate: the caller exits 2.
 */
export function loadTrustRoots(command: string, trustFiles: readonly string[]): Uint8Array[] | undefined {
  const trustRoots: Uint8Array[] = []
  try {
    for (const f of trustFiles) trustRoots.push(...readCertificates(f))
  } catch (e) {
    const msg = e instanceof CertificateFileError ? e.message : `cannot read a --trust file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
    process.stderr.write(`${command}: ${msg}. Run "${command} --help".\n`)
    return undefined
  }
  const rootPem = join(dataDirFrom(process.env), 'pki', 'root.pem')
  if (existsSync(rootPem)) {
    try {
      trustRoots.push(...readCertificates(rootPem))
    } catch {
      process.stderr.write(`${command}: warning: ${rootPem} holds no certificate; the platform root is not trusted\n`)
    }
  }
  return trustRoots
}
