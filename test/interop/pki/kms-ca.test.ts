/**
 * The AWS-mode CA path: root, issuing CA, TSA and OCSP keys are KMS keys (on the fake KMS server
 * this file starts, reached through @aws-sdk/client-kms with SigV4-signed requests), the CA
 * certificates live in the metadata store. Issued certificates, time-stamps, OCSP answers, CRLs and
 * a long-term signature are judged by openssl.
 */
import { KMSClient } from '@aws-sdk/client-kms'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KmsKeyVault } from '../../../cloud-functions/adapters/aws/kms-key-vault'
import { SqliteMetadataStore } from '../../../cloud-functions/adapters/local/sqlite-metadata-store'
import type { CaRole } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { buildCmsSignedData } from '../../../cloud-functions/core/signing/build-cms-signed-data'
import type { PlatformCa } from '../../../cloud-functions/ports/platform-ca'
import { vaultBackedCa } from '../../../cloud-functions/runtime/services'
import { answerOcspRequest } from '../../../cloud-functions/use-cases/pki/answer-ocsp-request'
import { recordCertificate, serialHex } from '../../../cloud-functions/use-cases/pki/records'
import { issueLongTermCertificate } from '../../../cloud-functions/use-cases/pki/issue-long-term-certificate'
import { openCertificateSigner } from '../../../cloud-functions/use-cases/pki/open-certificate-signer'
import { refreshCrl } from '../../../cloud-functions/use-cases/pki/refresh-crl'
import { revokeCertificate } from '../../../cloud-functions/use-cases/pki/revoke-certificate'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION } from '../../support/emulators'
import { startFakeKms, type FakeKms } from '../../support/fake-kms-server'
import { openssl, pem, requireOpenssl, scratchDir } from './support/openssl'

jest.setTimeout(120_000)

const BASE_URL = 'https://esign.example.com'
const clock = { now: () => new Date() }

describe('the platform CA on KMS keys (fake KMS server, openssl)', () => {
  let kms: FakeKms
  let client: KMSClient
  let vault: KmsKeyVault
  let dir: string
  let metadata: SqliteMetadataStore
  let keyIds: Record<CaRole, string>
  let ca: PlatformCa
  const scratch = scratchDir('kms-ca')

  beforeAll(async () => {
    requireOpenssl()
    kms = await startFakeKms()
    client = new KMSClient({ region: EMULATOR_REGION, endpoint: kms.endpoint, credentials: EMULATOR_CREDENTIALS })
    vault = new KmsKeyVault({ client })
    dir = mkdtempSync(join(tmpdir(), 'qianyue-kms-ca-'))
    metadata = new SqliteMetadataStore({ file: join(dir, 'metadata.sqlite'), clock })
    // What the deployment creates (serverless.yml): one KMS key per role; the root is RSA here.
    keyIds = {
      root: (await vault.createKey({ algorithm: 'RSA-2048', label: 'root' })).keyId,
      issuing: (await vault.createKey({ algorithm: 'P-256', label: 'issuing' })).keyId,
      tsa: (await vault.createKey({ algorithm: 'P-256', label: 'tsa' })).keyId,
      ocsp: (await vault.createKey({ algorithm: 'P-256', label: 'ocsp' })).keyId,
    }
    const built = await vaultBackedCa({ vault, keyIds, metadata, clock, config: { publicBaseUrl: BASE_URL } })
    expect(built.created).toBe(true)
    ca = built.ca
    scratch.write('root.pem', pem(ca.rootCertificateDer))
    scratch.write('issuing.pem', pem(ca.issuingCertificateDer))
    scratch.write('tsa.pem', pem(ca.tsaCertificateDer))
    scratch.write('ocsp.pem', pem(ca.ocspCertificateDer))
  })
  afterAll(async () => {
    await metadata?.close()
    client?.destroy()
    await kms?.stop()
    rmSync(dir, { recursive: true, force: true })
    scratch.cleanup()
  })

  it('certifies the hierarchy over the KMS keys: the chain verifies, every signature was a KMS Sign with MessageType DIGEST', () => {
    const r = openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'issuing.pem', 'tsa.pem', 'ocsp.pem'], { cwd: scratch.dir })
    expect(r.stdout).toContain('issuing.pem: OK')
    expect(r.stdout).toContain('tsa.pem: OK')
    expect(r.stdout).toContain('ocsp.pem: OK')
    expect(openssl(['x509', '-in', 'root.pem', '-noout', '-text'], { cwd: scratch.dir }).stdout).toContain('sha256WithRSAEncryption')
    const signs = kms.calls.filter((c) => c.operation === 'Sign')
    expect(signs.length).toBeGreaterThanOrEqual(4)
    expect(signs.every((c) => c.body.MessageType === 'DIGEST')).toBe(true)
  })

  it('a second cold start loads the same hierarchy from the metadata store; other key ids are refused', async () => {
    const again = await vaultBackedCa({ vault, keyIds, metadata, clock, config: { publicBaseUrl: BASE_URL } })
    expect(again.created).toBe(false)
    expect(Buffer.from(again.ca.rootCertificateDer).equals(Buffer.from(ca.rootCertificateDer))).toBe(true)
    const other = (await vault.createKey({ algorithm: 'P-256', label: 'other' })).keyId
    await expect(vaultBackedCa({ vault, keyIds: { ...keyIds, issuing: other }, metadata, clock, config: { publicBaseUrl: BASE_URL } })).rejects.toThrow(/other issuing key ids/)
  })

  it('issues an event certificate with the KMS issuing key (openssl verify)', async () => {
    const event = await issueEventCertificate({ name: '王五', contractId: 'c_kms', issuer: ca.issuing, baseUrl: ca.baseUrl, now: clock.now() })
    scratch.write('event.pem', pem(event.certificateDer))
    expect(openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'event.pem'], { cwd: scratch.dir }).stdout).toContain('event.pem: OK')
  })

  it('time-stamps with the KMS TSA key: openssl ts -verify -CAfile root.pem → Verification: OK', async () => {
    scratch.write('data.bin', 'kms time-stamp')
    openssl(['ts', '-query', '-data', 'data.bin', '-sha256', '-cert', '-out', 'q.tsq'], { cwd: scratch.dir })
    const reply = await ca.tsa.responder.respond(new Uint8Array(readFileSync(join(scratch.dir, 'q.tsq'))))
    scratch.write('r.tsr', reply)
    expect(openssl(['ts', '-verify', '-queryfile', 'q.tsq', '-in', 'r.tsr', '-CAfile', 'root.pem'], { cwd: scratch.dir }).output).toContain('Verification: OK')
  })

  it('answers OCSP with the KMS OCSP key (good, then revoked) and signs the CRL with the KMS issuing key', async () => {
    const event = await issueEventCertificate({ name: '赵六', issuer: ca.issuing, baseUrl: ca.baseUrl, now: clock.now() })
    await recordCertificate(metadata, { certificateDer: event.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: clock.now() })
    scratch.write('signer.pem', pem(event.certificateDer))
    const ask = async (name: string) => {
      openssl(['ocsp', '-issuer', 'issuing.pem', '-cert', 'signer.pem', '-reqout', `${name}.req`], { cwd: scratch.dir })
      const response = await answerOcspRequest({ metadata, clock, ca }, new Uint8Array(readFileSync(join(scratch.dir, `${name}.req`))))
      scratch.write(`${name}.resp`, response)
      return openssl(['ocsp', '-respin', `${name}.resp`, '-no_nonce', '-issuer', 'issuing.pem', '-cert', 'signer.pem', '-CAfile', 'root.pem'], { cwd: scratch.dir })
    }
    const good = await ask('good')
    expect(good.output).toContain('Response verify OK')
    expect(good.stdout).toContain('signer.pem: good')

    const serial = serialHex(parseCertificate(event.certificateDer).serialNumber)
    expect((await revokeCertificate({ metadata, clock, ca }, { serialNumber: serial, reason: 'keyCompromise' })).ok).toBe(true)
    const revoked = await ask('revoked')
    expect(revoked.output).toContain('Response verify OK')
    expect(revoked.stdout).toContain('signer.pem: revoked')

    const crl = await refreshCrl({ metadata, clock, ca }, 'issuing')
    scratch.write('issuing-crl.pem', pem(crl.der, 'X509 CRL'))
    const text = openssl(['crl', '-in', 'issuing-crl.pem', '-noout', '-text', '-CAfile', 'issuing.pem'], { cwd: scratch.dir }).output
    expect(text).toContain('verify OK')
    expect(text).toContain(`Serial Number: ${serial}`)
    const rootCrl = await refreshCrl({ metadata, clock, ca }, 'root')
    scratch.write('root-crl.pem', pem(rootCrl.der, 'X509 CRL'))
    expect(openssl(['crl', '-in', 'root-crl.pem', '-noout', '-CAfile', 'root.pem'], { cwd: scratch.dir }).output).toContain('verify OK')
  })

  it('issues a long-term certificate whose key is a new KMS key; its CMS signature verifies (openssl cms -verify)', async () => {
    const before = kms.keyCount()
    const issued = await issueLongTermCertificate({ metadata, clock, ca }, { owner: 'u_kms', name: '孙七', subjectSerialNumber: 'AB'.repeat(32) })
    if (!issued.ok) throw new Error(issued.error.message)
    expect(kms.keyCount()).toBe(before + 1)
    expect(issued.value.record).toMatchObject({ kind: 'long-term', owner: 'u_kms', status: 'good', subjectCommonName: '孙七' })
    const signer = await openCertificateSigner({ metadata, clock, ca }, issued.value.record.serialNumber)
    if (!signer.ok) throw new Error(signer.error.message)
    const content = randomBytes(5000)
    scratch.write('doc.bin', content)
    const digest = new Uint8Array(createHash('sha256').update(content).digest())
    scratch.write('doc.p7s', await buildCmsSignedData({ documentDigest: digest, signer: signer.value, tsa: ca.tsa }))
    const v = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'doc.p7s', '-content', 'doc.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: scratch.dir })
    expect(v.output).toContain('CMS Verification successful')
    scratch.write('long-term.pem', pem(issued.value.record.certificateDer))
    const text = openssl(['x509', '-in', 'long-term.pem', '-noout', '-text'], { cwd: scratch.dir }).stdout
    expect(text).toContain('2.25.6245126085418415455413341448601344744.1.2') // long-term certificate policy
    expect(text).toContain('serialNumber = ' + 'AB'.repeat(32))
  })
})
