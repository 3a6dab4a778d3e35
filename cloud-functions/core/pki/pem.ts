/**
 * PEM armour (RFC 7468) for DER certificates and CRLs.
 *
 * @example
 * toPem(certificateDer)               // '-----BEGIN CERTIFICATE-----\n…'
 * toPem(crlDer, 'X509 CRL')
 */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`
}

/** The DER inside the first `label` PEM block of `pem`; throws when there is none. */
export function fromPem(pem: string, label = 'CERTIFICATE'): Uint8Array {
  const m = pem.match(new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`))
  if (!m) throw new Error(`not a PEM ${label.toLowerCase()}`)
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'))
}
