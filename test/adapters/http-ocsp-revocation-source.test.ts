/**
 * HttpOcspRevocationSource against a real HTTP OCSP responder (the platform's buildOcspResponse
 * behind node:http): the verifier asks it when the document carries no revocation data, a revoked
 * certificate is then not trusted; an unreachable, failing or oversized responder is "unknown".
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpOcspRevocationSource, ocspRequest } from '../../cloud-functions/adapters/ocsp/http-ocsp-revocation-source'
import { buildOcspResponse, parseOcspRequest } from '../../cloud-functions/core/pki/build-ocsp-response'
import { verifyPdf } from '../../cloud-functions/core/verification/verify-pdf'
import { makePdf } from '../support/local-app'
import { createPdfTestPki, type PdfTestPki } from '../support/pdf-signing-ca'
import { signAs } from '../support/pdf-sign-helpers'

jest.setTimeout(60_000)

let pki: PdfTestPki
let server: http.Server
let url: string
let mode: 'revoked' | 'good' | 'error' | 'huge' = 'good'
const requests: Buffer[] = []

beforeAll(async () => {
  pki = await createPdfTestPki()
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      requests.push(body)
      if (mode === 'error') return void res.writeHead(500).end()
      if (mode === 'huge') return void res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.alloc(100_000))
      const der = await buildOcspResponse({
        requestDer: body,
        responder: { certificateDer: pki.ca.ocsp.certificateDer, signer: pki.ca.ocsp.signer },
        issuers: [pki.ca.issuing.certificateDer],
        lookup: () => (mode === 'revoked' ? { status: 'revoked', revocationTime: new Date(Date.now() - 3600_000), reason: 'keyCompromise' } : { status: 'good' }),
        now: new Date(),
      })
      res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from(der))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pki/ocsp`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('HttpOcspRevocationSource', () => {
  it('builds an OCSP request the platform responder parses', async () => {
    const { certificateDer } = await pki.issue('张三')
    const parsed = parseOcspRequest(ocspRequest(certificateDer, pki.ca.issuing.certificateDer) as Uint8Array)
    expect(parsed.ok).toBe(true)
  })

  it('a revoked signer (per the platform OCSP) is not trusted; a good one is, with the status from "online"', async () => {
    const signed = await signAs(pki, await makePdf('OCSP'), '张三')
    const source = new HttpOcspRevocationSource({ responderUrl: url })
    mode = 'revoked'
    const revoked = await verifyPdf(signed, { trustRoots: [pki.ca.root.certificateDer], now: new Date(), revocation: source })
    expect(revoked.ok && revoked.value.signatures[0]).toMatchObject({ trusted: false, revocation: { status: 'revoked', source: 'online' } })
    mode = 'good'
    const good = await verifyPdf(signed, { trustRoots: [pki.ca.root.certificateDer], now: new Date(), revocation: source })
    expect(good.ok && good.value.signatures[0]).toMatchObject({ trusted: true })
    expect(requests.length).toBeGreaterThan(0)
  })

  it('an unreachable, failing or oversized answer is undefined (status unknown), within the timeout', async () => {
    const { certificateDer } = await pki.issue('李四')
    const issuer = pki.ca.issuing.certificateDer
    const t0 = Date.now()
    expect(await new HttpOcspRevocationSource({ responderUrl: 'http://127.0.0.1:9/none', timeoutMs: 500 }).ocsp(certificateDer, issuer)).toBeUndefined()
    expect(Date.now() - t0).toBeLessThan(2000)
    mode = 'error'
    expect(await new HttpOcspRevocationSource({ responderUrl: url }).ocsp(certificateDer, issuer)).toBeUndefined()
    mode = 'huge'
    expect(await new HttpOcspRevocationSource({ responderUrl: url }).ocsp(certificateDer, issuer)).toBeUndefined()
    expect(await new HttpOcspRevocationSource({ responderUrl: url }).ocsp(new Uint8Array([1, 2, 3]), issuer)).toBeUndefined()
    mode = 'good'
  })
})
