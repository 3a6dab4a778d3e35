/**
 * The trust services exactly as AWS runs them: ESIGN_MODE=aws, configuration from the environment,
 * the pki Lambda and the pki-tick schedule handler, DynamoDB Local for the registry, and the CA /
 * TSA / OCSP keys in KMS (the fake KMS server, reached through @aws-sdk/client-kms). Judged by openssl.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startAwsStage } from '../support/aws-stage'
import { apiGatewayEvent } from '../support/api-gateway-event'
import { openssl, pem, requireOpenssl, scratchDir } from '../interop/pki/support/openssl'

jest.setTimeout(180_000)

const BASE_URL = 'https://qianyue.example.cn'

const event = (method: string, rawPath: string, body?: Uint8Array, contentType?: string) =>
  apiGatewayEvent(method, rawPath, { body, headers: contentType ? { 'content-type': contentType } : {} })

const bytes = (res: { body?: string; isBase64Encoded?: boolean }): Uint8Array => new Uint8Array(Buffer.from(res.body ?? '', res.isBase64Encoded ? 'base64' : 'utf8'))

describe('pki Lambda in AWS mode (KMS keys on the fake KMS server, DynamoDB Local)', () => {
  let stops: Array<() => Promise<void>> = []
  const saved = { ...process.env }
  const scratch = scratchDir('pki-aws')
  let pki: typeof import('../../cloud-functions/handlers/http/pki')

  beforeAll(async () => {
    requireOpenssl()
    // What serverless.yml creates: four SIGN_VERIFY keys (and the personal-data key).
    const stage = await startAwsStage({ table: 'qianyue-pki-test', kms: true })
    stops = [stage.stop]
    Object.assign(process.env, stage.env, { ESIGN_PUBLIC_BASE_URL: BASE_URL })
    pki = await import('../../cloud-functions/handlers/http/pki')
    for (const name of ['root', 'issuing']) {
      const res = await pki.handler(event('GET', `/api/pki/certs/${name}.cer`))
      expect(res.statusCode).toBe(200)
      scratch.write(`${name}.pem`, pem(bytes(res)))
    }
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all(stops.map((stop) => stop()))
    scratch.cleanup()
  })

  it('time-stamps with the KMS TSA key: openssl ts -verify -CAfile root.pem', async () => {
    scratch.write('data.bin', 'aws')
    openssl(['ts', '-query', '-data', 'data.bin', '-sha256', '-cert', '-out', 'q.tsq'], { cwd: scratch.dir })
    const res = await pki.handler(event('POST', '/api/pki/tsa', new Uint8Array(readFileSync(join(scratch.dir, 'q.tsq'))), 'application/timestamp-query'))
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/timestamp-reply')
    scratch.write('r.tsr', bytes(res))
    expect(openssl(['ts', '-verify', '-queryfile', 'q.tsq', '-in', 'r.tsr', '-CAfile', 'root.pem'], { cwd: scratch.dir }).output).toContain('Verification: OK')
  })

  it('answers OCSP from the DynamoDB registry with the KMS OCSP key, revoked after revocation; the CRL lists it', async () => {
    const { getContainer } = await import('../../cloud-functions/runtime/bootstrap')
    const { getPkiServices } = await import('../../cloud-functions/runtime/services')
    const { revokeCertificate } = await import('../../cloud-functions/use-cases/pki/revoke-certificate')
    const deps = await getContainer()
    const services = await getPkiServices(deps)
    const signer = await services.issueEventCertificate({ name: '张三', contractId: 'c_aws' })
    scratch.write('signer.pem', pem(signer.certificateDer))
    expect(openssl(['x509', '-in', 'signer.pem', '-noout', '-text'], { cwd: scratch.dir }).stdout).toContain(`OCSP - URI:${BASE_URL}/api/pki/ocsp`)
    const ask = async (name: string) => {
      openssl(['ocsp', '-issuer', 'issuing.pem', '-cert', 'signer.pem', '-no_nonce', '-reqout', `${name}.req`], { cwd: scratch.dir })
      const res = await pki.handler(event('POST', '/api/pki/ocsp', new Uint8Array(readFileSync(join(scratch.dir, `${name}.req`))), 'application/ocsp-request'))
      expect(res.headers['content-type']).toBe('application/ocsp-response')
      scratch.write(`${name}.resp`, bytes(res))
      return openssl(['ocsp', '-respin', `${name}.resp`, '-no_nonce', '-issuer', 'issuing.pem', '-cert', 'signer.pem', '-CAfile', 'root.pem'], { cwd: scratch.dir })
    }
    const good = await ask('good')
    expect(good.output).toContain('Response verify OK')
    expect(good.stdout).toContain('signer.pem: good')

    const serial = openssl(['x509', '-in', 'signer.pem', '-noout', '-serial'], { cwd: scratch.dir }).stdout.trim().replace(/^serial=/, '')
    expect(await revokeCertificate({ ...deps, ca: services.ca }, { serialNumber: serial, reason: 'keyCompromise' })).toMatchObject({ ok: true })
    expect((await ask('revoked')).stdout).toContain('signer.pem: revoked')

    const crl = await pki.handler(event('GET', '/api/pki/crl/issuing.crl'))
    expect(crl.statusCode).toBe(200)
    scratch.write('issuing.crl', bytes(crl))
    const text = openssl(['crl', '-inform', 'DER', '-in', 'issuing.crl', '-noout', '-text', '-CAfile', 'issuing.pem'], { cwd: scratch.dir }).output
    expect(text).toContain('verify OK')
    expect(text).toContain(`Serial Number: ${serial}`)
  })

  it('the schedule handler keeps the CRLs current (nothing to do right after they were made)', async () => {
    const tick = await import('../../cloud-functions/handlers/schedule/pki-tick')
    const first = await tick.handler()
    expect(first.regenerated).toEqual(expect.arrayContaining(['root'])) // the root CRL had not been asked for yet
    expect(await tick.handler()).toEqual({ regenerated: [] })
  })
})
