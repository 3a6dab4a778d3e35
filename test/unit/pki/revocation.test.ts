import fc from 'fast-check'
import { buildCrl } from '../../../cloud-functions/core/pki/build-crl'
import { buildOcspResponse, parseOcspRequest, type CertificateStatus } from '../../../cloud-functions/core/pki/build-ocsp-response'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import type { CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { decodeDer, encodeDer, type Asn1 } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { OID } from '../../../cloud-functions/core/pki/oids'
import { hierarchy, NOW } from '../../interop/pki/support/fixtures'
import { createHash } from 'node:crypto'

const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest())

describe('parseOcspRequest / buildOcspResponse', () => {
  let ca: CaHierarchy
  let certId: Asn1
  beforeAll(async () => {
    ca = await hierarchy()
    const issuing = parseCertificate(ca.issuing.certificateDer)
    certId = { seq: [{ seq: [{ oid: OID.sha1 }, { null: true }] }, { octets: sha1(issuing.subjectDer) }, { octets: sha1(issuing.subjectPublicKey) }, { int: 12345 }] }
  })
  const requestOf = (ids: Asn1[], nonce?: Uint8Array): Uint8Array =>
    encodeDer({
      seq: [
        {
          seq: [
            { seq: ids.map((id) => ({ seq: [id] })) },
            ...(nonce ? [{ explicit: 2, node: { seq: [{ seq: [{ oid: OID.ocspNonce }, { octets: nonce }] }] } } as Asn1] : []),
          ],
        },
      ],
    })
  const answer = (requestDer: Uint8Array, lookup: (s: Uint8Array) => CertificateStatus = () => ({ status: 'good' })) =>
    buildOcspResponse({ requestDer, responder: { certificateDer: ca.ocsp.certificateDer, signer: ca.ocsp.signer }, issuers: [ca.issuing.certificateDer], lookup, now: NOW })
  const responseStatus = (der: Uint8Array): number => {
    const d = decodeDer(der)
    if (!d.ok) throw new Error()
    return d.value.children[0].content[0]
  }

  it('parses CertIDs and the nonce', () => {
    const r = parseOcspRequest(requestOf([certId], new Uint8Array([4, 2, 1, 2])))
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.certIds).toHaveLength(1)
    expect(r.value.certIds[0].hashAlgorithm).toBe(OID.sha1)
    expect(Buffer.from(r.value.certIds[0].serialNumber).toString('hex')).toBe('3039')
    expect(Buffer.from(r.value.nonce!)).toEqual(Buffer.from([4, 2, 1, 2]))
  })

  it('asks the lookup for the serial number of a served issuer, and answers successful', async () => {
    const asked: string[] = []
    const der = await answer(requestOf([certId]), (s) => {
      asked.push(Buffer.from(s).toString('hex'))
      return { status: 'good' }
    })
    expect(responseStatus(der)).toBe(0)
    expect(asked).toEqual(['3039'])
  })

  it('does not ask the lookup about issuers it does not serve', async () => {
    const foreign: Asn1 = { seq: [{ seq: [{ oid: OID.sha1 }] }, { octets: new Uint8Array(20) }, { octets: new Uint8Array(20) }, { int: 1 }] }
    const lookup = jest.fn(() => ({ status: 'good' }) as CertificateStatus)
    expect(responseStatus(await answer(requestOf([foreign]), lookup))).toBe(0)
    expect(lookup).not.toHaveBeenCalled()
  })

  it('answers malformedRequest for too many CertIDs, an empty list, or garbage', async () => {
    expect(responseStatus(await answer(requestOf(Array.from({ length: 33 }, () => certId))))).toBe(1)
    expect(responseStatus(await answer(requestOf([])))).toBe(1)
    expect(responseStatus(await answer(new Uint8Array([0xff, 0x00])))).toBe(1)
  })

  it('never throws on arbitrary or mutated input (fuzz)', async () => {
    const valid = requestOf([certId], new Uint8Array([4, 2, 1, 2]))
    await fc.assert(
      fc.asyncProperty(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), async (at, value) => {
        const mutated = new Uint8Array(valid)
        mutated[at] = value
        const status = responseStatus(await answer(mutated))
        return status === 0 || status === 1
      }),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        parseOcspRequest(b)
        return true
      }),
    )
  })
})

describe('buildCrl', () => {
  it('refuses inverted update times and oversized CRL numbers', async () => {
    const ca = await hierarchy()
    await expect(buildCrl({ issuer: ca.issuing, thisUpdate: NOW, nextUpdate: NOW, crlNumber: 1n, revoked: [] })).rejects.toThrow('before')
    await expect(buildCrl({ issuer: ca.issuing, thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + 1000), crlNumber: 1n << 200n, revoked: [] })).rejects.toThrow('crlNumber')
  })

  it('omits the reason code of an unspecified revocation', async () => {
    const ca = await hierarchy()
    const crl = await buildCrl({
      issuer: ca.issuing,
      thisUpdate: NOW,
      nextUpdate: new Date(NOW.getTime() + 1000),
      crlNumber: 2n,
      revoked: [{ serialNumber: new Uint8Array([0x01]), revocationDate: NOW, reason: 'unspecified' }],
    })
    const d = decodeDer(crl)
    if (!d.ok) throw new Error()
    const entry = d.value.children[0].children[5].children[0]
    expect(entry.children).toHaveLength(2)
  })
})
