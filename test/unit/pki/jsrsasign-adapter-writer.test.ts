/**
 * The adapter's own DER writer and reader against jsrsasign, the reference they replaced on the
 * signing hot path: byte-identical encodings for arbitrary trees of every node kind, and the
 * structures the platform signs (certificates, CMS) unchanged.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { decodeDer, encodeDer, encodeDerWithJsrsasign, type Asn1 } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { PLATFORM_ARC } from '../../../cloud-functions/core/pki/oids'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const leaf: fc.Arbitrary<Asn1> = fc.oneof(
  fc.bigInt({ min: -(1n << 130n), max: 1n << 130n }).map((int) => ({ int })),
  fc.integer().map((int) => ({ int })),
  fc.uint8Array({ minLength: 0, maxLength: 40 }).map((uint) => ({ uint })),
  fc.uint8Array({ minLength: 1, maxLength: 20 }).map((intBytes) => ({ intBytes })),
  fc.constantFrom('1.2.840.113549.1.9.16.2.47', '2.5.29.32.0', '2.999.3', `${PLATFORM_ARC}.3.1`, '1.3.6.1.5.5.7.3.36', '0.9.2342.19200300.100.1.1').map((oid) => ({ oid })),
  fc.uint8Array({ maxLength: 300 }).map((octets) => ({ octets })),
  fc.uint8Array({ maxLength: 200 }).map((bits) => ({ bits })),
  fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }).map((namedBits) => ({ namedBits })),
  fc.boolean().map((bool) => ({ bool })),
  fc.constant<Asn1>({ null: true }),
  fc.integer({ min: 0, max: 100_000 }).map((enumerated) => ({ enumerated })),
  fc.string({ maxLength: 80 }).map((utf8) => ({ utf8 })),
  fc.stringMatching(/^[A-Za-z0-9 '()+,\-./:=?]{0,40}$/).map((printable) => ({ printable })),
  fc.stringMatching(/^[\x20-\x7e]{0,60}$/).map((ia5) => ({ ia5 })),
  fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2300-01-01T00:00:00Z'), noInvalidDate: true }).map((time) => ({ time })),
  fc.record({ generalizedTime: fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), millis: fc.boolean() }),
)

const tree = fc.letrec<{ node: Asn1 }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 5 }).map((seq) => ({ seq })),
    fc.array(tie('node'), { maxLength: 5 }).map((set) => ({ set })),
    fc.record({ explicit: fc.integer({ min: 0, max: 30 }), node: tie('node') }),
    fc.record({ implicit: fc.integer({ min: 0, max: 30 }), node: tie('node') }),
    tie('node').map((n) => ({ der: encodeDerWithJsrsasign(n) })),
  ),
})).node

describe('jsrsasign-adapter: own DER writer', () => {
  it('encodes arbitrary trees exactly as jsrsasign does', () => {
    fc.assert(
      fc.property(tree, (node) => {
        const ours = hex(encodeDer(node))
        expect(ours).toBe(hex(encodeDerWithJsrsasign(node)))
        const decoded = decodeDer(encodeDer(node))
        return decoded.ok && hex(decoded.value.der) === ours
      }),
      { numRuns: 1500 },
    )
  })

  it('encodes long contents with 1-, 2- and 3-byte lengths', () => {
    for (const n of [0, 127, 128, 255, 256, 65535, 65536, 70_000]) {
      const node: Asn1 = { octets: new Uint8Array(n).fill(7) }
      expect(hex(encodeDer(node))).toBe(hex(encodeDerWithJsrsasign(node)))
    }
  })

  it('rejects what the reference rejects', () => {
    for (const bad of [{ oid: '1.2.x' }, { oid: '1.40' }, { printable: '张' }, { ia5: 'é' }, { intBytes: new Uint8Array(0) }, { explicit: 31, node: { null: true } }] as Asn1[]) {
      expect(() => encodeDer(bad)).toThrow()
      expect(() => encodeDerWithJsrsasign(bad)).toThrow()
    }
  })

  it('keeps jsrsasign out of the signing path: signing a certificate and a CMS does not load it', () => {
    // A fresh process: issue an event certificate and build a PAdES CMS, then look for jsrsasign.
    const root = resolve(__dirname, '../../..')
    const script = `
      const { createCaHierarchy } = require(${JSON.stringify(join(root, 'cloud-functions/core/pki/create-ca-hierarchy'))})
      const { issueEventCertificate } = require(${JSON.stringify(join(root, 'cloud-functions/core/pki/issue-event-certificate'))})
      const { buildCmsSignedData } = require(${JSON.stringify(join(root, 'cloud-functions/core/signing/build-cms-signed-data'))})
      ;(async () => {
        const now = new Date()
        const ca = await createCaHierarchy({ now, baseUrl: 'https://x.invalid' })
        const { signer } = await issueEventCertificate({ name: '张三', issuer: ca.issuing, baseUrl: 'https://x.invalid', now })
        const cms = await buildCmsSignedData({ documentDigest: new Uint8Array(32), signer })
        const loaded = Object.keys(require.cache).some((k) => k.includes('/node_modules/jsrsasign/'))
        process.stdout.write(JSON.stringify({ cms: cms.length > 500, loaded }))
      })()`
    const dir = mkdtempSync(join(tmpdir(), 'qianyue-der-'))
    try {
      writeFileSync(join(dir, 'probe.ts'), script)
      const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(dir, 'probe.ts')], { cwd: root, encoding: 'utf8' })
      if (r.status !== 0) throw new Error(r.stderr)
      expect(JSON.parse(r.stdout)).toEqual({ cms: true, loaded: false })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
