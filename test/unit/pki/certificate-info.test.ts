/**
 * parseCertificate's caches: per array, and by content (the same certificate in arrays of its own,
 * as a signer's chain, a registry read or a worker's message brings it).
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import { DerStructureError } from '../../../cloud-functions/core/pki/der-values'

const pem = readFileSync(join(__dirname, '../../fixtures/pdf/po-presigned-signer.crt'), 'latin1')
const der = new Uint8Array(new X509Certificate(pem).raw)

describe('parseCertificate', () => {
  it('reads the fields Node reads', () => {
    const info = parseCertificate(der)
    const node = new X509Certificate(der)
    expect(Buffer.from(info.serialNumber).toString('hex').replace(/^00/, '').toUpperCase()).toBe(node.serialNumber.toUpperCase())
    expect(info.notAfter.getTime()).toBe(new Date(node.validTo).getTime())
    expect(info.keyAlgorithm).toBe('RSA')
    expect(Buffer.from(info.der).equals(der)).toBe(true)
  })

  it('gives the same info for the same bytes in another array, viewing a private copy', () => {
    const first = new Uint8Array(der)
    const a = parseCertificate(first)
    const second = new Uint8Array(der)
    const b = parseCertificate(second)
    expect(b).toBe(a)
    // The caller's arrays can change afterwards without changing what was parsed.
    first.fill(0)
    second.fill(0)
    expect(Buffer.from(b.der).equals(der)).toBe(true)
    expect(Buffer.from(parseCertificate(new Uint8Array(der)).tbsDer).equals(Buffer.from(a.tbsDer))).toBe(true)
  })

  it('parses a view into a larger buffer like the same bytes on their own', () => {
    const padded = new Uint8Array(der.length + 20)
    padded.set(der, 10)
    const view = padded.subarray(10, 10 + der.length)
    const info = parseCertificate(view)
    expect(Buffer.from(info.der).equals(der)).toBe(true)
    expect(info).toBe(parseCertificate(new Uint8Array(der)))
  })

  it('refuses malformed bytes every time (nothing is cached for them)', () => {
    const broken = new Uint8Array(der.subarray(0, 100))
    expect(() => parseCertificate(broken)).toThrow(DerStructureError)
    expect(() => parseCertificate(new Uint8Array(broken))).toThrow(DerStructureError)
  })
})
