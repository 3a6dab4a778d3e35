import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { OID } from '../../../cloud-functions/core/pki/oids'
import { TimestampResponder } from '../../../cloud-functions/core/pki/timestamp-responder'
import { AT_TIME, counterSerials, fixedClock, hierarchy } from './support/fixtures'
import { openssl, pem, requireOpenssl, scratchDir } from './support/openssl'

jest.setTimeout(60_000)

/** Real clients: `openssl ts -query` → TimestampResponder.respond → `openssl ts -verify` / `-reply -text`. */
describe('TimestampResponder (openssl ts)', () => {
  let ca: CaHierarchy
  let tsa: TimestampResponder
  const scratch = scratchDir('tsa')
  let n = 0

  beforeAll(async () => {
    requireOpenssl()
    ca = await hierarchy()
    scratch.write('root.pem', pem(ca.root.certificateDer))
    scratch.write('tsa.pem', pem(ca.tsa.certificateDer))
    scratch.write('data.bin', randomBytes(5000))
    tsa = new TimestampResponder({ signer: ca.tsa.signer, clock: fixedClock(new Date('2026-03-01T08:00:00.250Z')), serialNumber: counterSerials() })
  })
  afterAll(() => scratch.cleanup())

  /** Make a query with openssl, answer it, and return the file names. */
  async function roundTrip(queryArgs: string[]): Promise<{ query: string; reply: string }> {
    const id = ++n
    const query = `q${id}.tsq`
    const reply = `r${id}.tsr`
    const made = openssl(['ts', '-query', '-data', 'data.bin', ...queryArgs, '-out', query], { cwd: scratch.dir })
    expect(made.status).toBe(0)
    scratch.write(reply, await tsa.respond(readFileSync(join(scratch.dir, query))))
    return { query, reply }
  }
  const verify = (query: string, reply: string) =>
    openssl(['ts', '-verify', '-attime', AT_TIME, '-queryfile', query, '-in', reply, '-CAfile', 'root.pem', '-untrusted', 'tsa.pem'], { cwd: scratch.dir })
  const replyText = (reply: string) => openssl(['ts', '-reply', '-in', reply, '-text'], { cwd: scratch.dir }).stdout

  it('answers `openssl ts -query -sha256 -cert` with a token openssl ts -verify accepts', async () => {
    const { query, reply } = await roundTrip(['-sha256', '-cert'])
    expect(verify(query, reply).output).toContain('Verification: OK')
    const text = replyText(reply)
    expect(text).toContain('Status: Granted.')
    expect(text).toContain(`Policy OID: ${OID.tsaPolicy}`)
    expect(text).toContain('Hash Algorithm: sha256')
    expect(text).toContain('Time stamp: Mar  1 08:00:00.25 2026 GMT')
    expect(text).toContain('Accuracy: 0x01 seconds')
    expect(text).toContain('TSA: DirName:/C=CN/O=Qianyue/CN=Qianyue Time Stamping Authority 1')
    // certReq: the TSA certificate is in the token.
    const tokenPrint = openssl(['ts', '-reply', '-in', reply, '-token_out', '-out', `${reply}.tst`], { cwd: scratch.dir })
    expect(tokenPrint.status).toBe(0)
    expect(openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${reply}.tst`], { cwd: scratch.dir }).stdout).toContain('Qianyue Time Stamping Authority 1')
  })

  it('echoes the nonce of the request', async () => {
    const { query, reply } = await roundTrip(['-sha256', '-cert'])
    const queryNonce = openssl(['ts', '-query', '-in', query, '-text'], { cwd: scratch.dir }).stdout.match(/Nonce: (0x[0-9A-F]+)/)?.[1]
    expect(queryNonce).toBeDefined()
    expect(replyText(reply)).toContain(`Nonce: ${queryNonce}`)
  })

  it('works without nonce and without certReq (the verifier gets the certificate from -untrusted)', async () => {
    const { query, reply } = await roundTrip(['-sha256', '-no_nonce'])
    expect(verify(query, reply).output).toContain('Verification: OK')
    expect(replyText(reply)).toContain('Nonce: unspecified')
    openssl(['ts', '-reply', '-in', reply, '-token_out', '-out', `${reply}.tst`], { cwd: scratch.dir })
    expect(openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${reply}.tst`], { cwd: scratch.dir }).stdout).toContain('certificates:\n      <ABSENT>')
  })

  it.each([['-sha384'], ['-sha512']])('accepts %s imprints', async (alg) => {
    const { query, reply } = await roundTrip([alg, '-cert'])
    expect(verify(query, reply).output).toContain('Verification: OK')
  })

  it('gives unique serial numbers from the injected source', async () => {
    const serials = new Set<string>()
    for (let i = 0; i < 5; i++) {
      const { reply } = await roundTrip(['-sha256'])
      serials.add(replyText(reply).match(/Serial number: (0x[0-9A-F]+)/)![1])
    }
    expect(serials.size).toBe(5)
  })

  it('rejects a garbage request with badDataFormat', async () => {
    scratch.write('garbage.tsr', await tsa.respond(randomBytes(64)))
    const text = replyText('garbage.tsr')
    expect(text).toContain('Status: Rejected.')
    expect(text).toContain('Failure info: the data submitted has the wrong format')
    expect(text).toContain('TST info:\nNot included.')
  })

  it.each([
    ['-md5', 'MD5'],
    ['-sha1', 'SHA-1'],
  ])('rejects %s imprints with badAlg', async (alg) => {
    const { reply } = await roundTrip([alg])
    const text = replyText(reply)
    expect(text).toContain('Status: Rejected.')
    expect(text).toContain('Failure info: unrecognized or unsupported algorithm identifier')
  })

  it('rejects an unknown policy with unacceptedPolicy', async () => {
    const { reply } = await roundTrip(['-sha256', '-tspolicy', '1.2.3.4'])
    expect(replyText(reply)).toContain('Failure info: the requested TSA policy is not supported by the TSA')
  })

  it('accepts a request for its own policy', async () => {
    const { query, reply } = await roundTrip(['-sha256', '-tspolicy', OID.tsaPolicy])
    expect(verify(query, reply).output).toContain('Verification: OK')
  })

  it('fails verification against a different query (openssl compares imprints)', async () => {
    const first = await roundTrip(['-sha256'])
    scratch.write('other.bin', 'other data')
    openssl(['ts', '-query', '-data', 'other.bin', '-sha256', '-out', 'other.tsq'], { cwd: scratch.dir })
    const r = verify('other.tsq', first.reply)
    expect(r.output).not.toContain('Verification: OK')
  })
})
