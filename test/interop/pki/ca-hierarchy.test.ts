import type { CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { OID } from '../../../cloud-functions/core/pki/oids'
import { AT_TIME, BASE_URL, counterSerials, hierarchy, NOW, sha256 } from './support/fixtures'
import { openssl, pem, requireOpenssl, scratchDir } from './support/openssl'

jest.setTimeout(60_000)

/** Judged by `openssl verify` and `openssl x509 -text`, the hierarchy and every profile. */
describe('createCaHierarchy + certificate profiles (openssl)', () => {
  let ca: CaHierarchy
  const scratch = scratchDir('ca')

  beforeAll(async () => {
    requireOpenssl()
    // Prepare: an RSA-3072 root (RSA CA signatures) over P-256 issuing/TSA/OCSP keys.
    ca = await hierarchy({ keyTypes: { root: 'RSA-3072' }, serialNumber: counterSerials() })
    for (const role of ['root', 'issuing', 'tsa', 'ocsp'] as const) scratch.write(`${role}.pem`, pem(ca[role].certificateDer))
    const event = await issueEventCertificate({
      name: '张三',
      organization: '示例科技有限公司',
      subjectSerialNumber: 'A1B2C3',
      contractId: 'c_01HQ7Z',
      intentHash: sha256('intent proof record'),
      issuer: ca.issuing,
      baseUrl: BASE_URL,
      now: NOW,
    })
    scratch.write('signer.pem', pem(event.certificateDer))
  })
  afterAll(() => scratch.cleanup())

  const verify = (file: string, ...extra: string[]) =>
    openssl(['verify', '-x509_strict', '-attime', AT_TIME, ...extra, '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', file], { cwd: scratch.dir })
  const text = (file: string) => openssl(['x509', '-in', file, '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space'], { cwd: scratch.dir }).stdout

  it.each(['issuing.pem', 'signer.pem', 'tsa.pem', 'ocsp.pem'])('openssl verify accepts %s under the root', (file) => {
    const r = verify(file)
    expect(r.output).toContain(`${file}: OK`)
    expect(r.status).toBe(0)
  })

  it('the TSA certificate passes the timestampsign purpose and the signer certificate does not', () => {
    expect(verify('tsa.pem', '-purpose', 'timestampsign').output).toContain('tsa.pem: OK')
    expect(verify('signer.pem', '-purpose', 'timestampsign').status).not.toBe(0)
  })

  it('root: self-signed CA with pathlen 1, keyCertSign + cRLSign critical', () => {
    const t = text('root.pem')
    expect(t).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:1/)
    expect(t).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/)
    expect(t).toContain('Issuer: C=CN, O=Qianyue, CN=Qianyue Root CA')
    expect(t).toContain('Subject: C=CN, O=Qianyue, CN=Qianyue Root CA')
    expect(t).toContain('Public-Key: (3072 bit)')
    expect(t).toContain('sha256WithRSAEncryption')
  })

  it('issuing CA: pathlen 0, anyPolicy, the root CRL and certificate URLs', () => {
    const t = text('issuing.pem')
    expect(t).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/)
    expect(t).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/)
    expect(t).toContain('Policy: X509v3 Any Policy')
    expect(t).toContain(`URI:${BASE_URL}/api/pki/crl/root.crl`)
    expect(t).toContain(`CA Issuers - URI:${BASE_URL}/api/pki/certs/root.cer`)
  })

  it('signer (event certificate): subject, key usage, documentSigning EKU, policy, CRL DP, AIA, binding', () => {
    const t = text('signer.pem')
    expect(t).toContain('Subject: C=CN, O=示例科技有限公司, CN=张三, serialNumber=A1B2C3')
    expect(t).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/)
    expect(t).toMatch(/X509v3 Extended Key Usage: \n\s+1\.3\.6\.1\.5\.5\.7\.3\.36/) // not critical
    expect(t).toContain(`Policy: ${OID.eventCertificatePolicy}`)
    expect(t).toContain(`URI:${BASE_URL}/api/pki/crl/issuing.crl`)
    expect(t).toContain(`OCSP - URI:${BASE_URL}/api/pki/ocsp`)
    expect(t).toContain(`CA Issuers - URI:${BASE_URL}/api/pki/certs/issuing.cer`)
    expect(t).toContain(`${OID.signingActBinding}: \n`) // non-critical private extension
    expect(t).not.toContain('CA:TRUE')
    expect(t).toContain('ASN1 OID: prime256v1')
    // The binding's contract id is readable in the DER.
    expect(openssl(['asn1parse', '-in', 'signer.pem'], { cwd: scratch.dir }).stdout).toContain('2.25.6245126085418415455413341448601344744.3.1')
  })

  it('TSA: critical EKU timeStamping only, digitalSignature + nonRepudiation, issued by the root', () => {
    const t = text('tsa.pem')
    expect(t).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping\n/)
    expect(t).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/)
    expect(t).toContain('Issuer: C=CN, O=Qianyue, CN=Qianyue Root CA')
    expect(openssl(['x509', '-in', 'tsa.pem', '-noout', '-purpose'], { cwd: scratch.dir }).stdout).toContain('Time Stamp signing : Yes')
  })

  it('OCSP responder: EKU OCSPSigning, id-pkix-ocsp-nocheck, issued by the issuing CA', () => {
    const t = text('ocsp.pem')
    expect(t).toMatch(/X509v3 Extended Key Usage: \n\s+OCSP Signing/)
    expect(t).toContain('OCSP No Check')
    expect(t).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/)
    expect(t).toContain('Issuer: C=CN, O=Qianyue, CN=Qianyue Signing CA 1')
  })

  it('serial numbers come from the injected source', () => {
    expect(openssl(['x509', '-in', 'root.pem', '-noout', '-serial'], { cwd: scratch.dir }).stdout.trim()).toBe('serial=40000000000000000000000000000001')
    expect(openssl(['x509', '-in', 'ocsp.pem', '-noout', '-serial'], { cwd: scratch.dir }).stdout.trim()).toBe('serial=40000000000000000000000000000004')
  })
})
