/**
 * The CRL at scale on DynamoDB (Local): 20,000 revocations of the issuing CA. The revoked entries
 * are spread over shard partitions and the CRL's DER over part items, so no item nears DynamoDB's
 * 400 KB limit (DynamoDB Local refuses such an item, as DynamoDB does); the CRL signed from the
 * shards lists every revocation and verifies with openssl.
 */
import { randomBytes } from 'node:crypto'
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { createMetadataTable, DynamoDbMetadataStore } from '../../cloud-functions/adapters/aws/dynamodb-metadata-store'
import { toPem } from '../../cloud-functions/core/pki/pem'
import { getCertificateRecord, recordCaCertificates, revokeOperations, REVOKED_SHARDS, serialHex, type CertificateRecord } from '../../cloud-functions/use-cases/pki/records'
import { refreshCrl } from '../../cloud-functions/use-cases/pki/refresh-crl'
import { revokeCertificate } from '../../cloud-functions/use-cases/pki/revoke-certificate'
import { parseCertificate } from '../../cloud-functions/core/pki/certificate-info'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startDynamoDbLocal } from '../support/emulators'
import { startTestTrustServices, type TestTrustServices } from '../support/test-platform-ca'
import { openssl, requireOpenssl, scratchDir } from '../interop/pki/support/openssl'

jest.setTimeout(600_000)

const TABLE = 'qianyue-crl-shards'
const REVOCATIONS = 20_000
/** The largest item the design may write: well under DynamoDB's 400 KB. */
const ITEM_BOUND = 300 * 1024

/** DynamoDB's item size: attribute names plus values (UTF-8 strings, numbers as written, binary as bytes). */
function itemSize(item: Record<string, AttributeValue>): number {
  const value = (v: AttributeValue): number => {
    if (v.S !== undefined) return Buffer.byteLength(v.S)
    if (v.N !== undefined) return v.N.length
    if (v.B !== undefined) return v.B.length
    if (v.BOOL !== undefined || v.NULL !== undefined) return 1
    if (v.M !== undefined) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + Buffer.byteLength(k) + value(x), 0)
    if (v.L !== undefined) return 3 + v.L.reduce((n, x) => n + 1 + value(x), 0)
    return JSON.stringify(v).length
  }
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + value(v), 0)
}

describe('CRL of 20,000 revocations on DynamoDB', () => {
  let trust: TestTrustServices
  let stopDynamo: () => Promise<void>
  let client: DynamoDBClient
  let metadata: DynamoDbMetadataStore
  const scratch = scratchDir('crl-shards')

  beforeAll(async () => {
    requireOpenssl()
    const dynamo = await startDynamoDbLocal()
    stopDynamo = dynamo.stop
    client = new DynamoDBClient({ region: EMULATOR_REGION, endpoint: dynamo.endpoint, credentials: EMULATOR_CREDENTIALS })
    await createMetadataTable(client, TABLE)
    trust = await startTestTrustServices(new Date('2026-12-01T00:00:00Z'))
    metadata = new DynamoDbMetadataStore({ client, tableName: TABLE, clock: trust.clock })
  })
  afterAll(async () => {
    await metadata?.close()
    client?.destroy()
    await trust?.close()
    await stopDynamo?.()
    scratch.cleanup()
  })

  it('lists every revocation, signed and verified by openssl, with no item above the bound and the entries spread over the shards', async () => {
    const deps = { metadata, clock: trust.clock, ca: trust.ca }
    // 19,999 revocations written as revocation writes them (the entry of revokeOperations), 25 per transaction…
    const revokedAt = new Date('2026-11-30T12:00:00Z')
    const serials = Array.from({ length: REVOCATIONS - 1 }, () => {
      const b = randomBytes(16)
      b[0] = (b[0]! & 0x7f) | 0x01
      return serialHex(b)
    })
    const entries = serials.map((serialNumber) => revokeOperations({ serialNumber, issuer: 'issuing', version: 1, certificateDer: new Uint8Array(0) } as unknown as CertificateRecord, revokedAt, 'superseded')[1]!)
    let next = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < entries.length) {
          const batch = entries.slice(next, (next += 25))
          const written = await metadata.transact(batch)
          if (!written.ok) throw new Error('could not write a batch of revoked entries')
        }
      }),
    )
    // …and the 20,000th through the use case: the OCSP responder's certificate, recorded as every start records it.
    await recordCaCertificates(metadata, trust.ca, trust.clock.now())
    const ocspSerial = serialHex(parseCertificate(trust.ca.ocspCertificateDer).serialNumber)
    const revoked = await revokeCertificate(deps, { serialNumber: ocspSerial, reason: 'keyCompromise' })
    expect(revoked).toMatchObject({ ok: true, value: { changed: true } })
    expect((await getCertificateRecord(metadata, ocspSerial))?.status).toBe('revoked')

    // The revocation regenerated the CRL; a reader gets it back from its parts.
    const crl = await refreshCrl(deps, 'issuing')
    expect(crl.regenerated).toBe(false)
    expect(crl.der.length).toBeGreaterThan(400 * 1024)
    scratch.write('crl.der', crl.der)
    scratch.write('chain.pem', toPem(trust.ca.issuingCertificateDer) + toPem(trust.ca.rootCertificateDer))
    const verified = openssl(['crl', '-inform', 'DER', '-in', 'crl.der', '-CAfile', 'chain.pem', '-noout'], { cwd: scratch.dir })
    expect(verified.output).toMatch(/verify OK/)
    const text = openssl(['crl', '-inform', 'DER', '-in', 'crl.der', '-text', '-noout'], { cwd: scratch.dir }).stdout
    expect(text.match(/Serial Number:/g)).toHaveLength(REVOCATIONS)
    expect(text).toContain(`Serial Number: ${ocspSerial}`)
    expect(text).toContain(`Serial Number: ${serials[12_345]}`)

    // No item above the bound; the revoked entries in 16 partitions of similar size.
    const perPartition = new Map<string, number>()
    let largest = 0
    let cursor: Record<string, AttributeValue> | undefined
    do {
      const page = await client.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: cursor }))
      for (const item of page.Items ?? []) {
        largest = Math.max(largest, itemSize(item))
        if (item.sk?.S?.startsWith('REVOKED#')) perPartition.set(item.pk!.S!, (perPartition.get(item.pk!.S!) ?? 0) + 1)
      }
      cursor = page.LastEvaluatedKey
    } while (cursor)
    expect(largest).toBeLessThanOrEqual(ITEM_BOUND)
    expect([...perPartition.values()].reduce((a, b) => a + b, 0)).toBe(REVOCATIONS)
    expect(perPartition.size).toBe(REVOKED_SHARDS)
    expect(Math.max(...perPartition.values())).toBeLessThan((2 * REVOCATIONS) / REVOKED_SHARDS)
  })
})
