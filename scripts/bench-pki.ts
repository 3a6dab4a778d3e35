/**
 * Micro-benchmark of the PKI hot path: `npx tsx scripts/bench-pki.ts [iterations]`.
 * Reports mean and p99 per operation; the event certificate target is ≤ 2 ms (key + certificate).
 */
import { createHash } from 'node:crypto'
import { InProcessTsa } from '../cloud-functions/adapters/local/in-process-tsa'
import { createCaHierarchy } from '../cloud-functions/core/pki/create-ca-hierarchy'
import { issueEventCertificate } from '../cloud-functions/core/pki/issue-event-certificate'
import { buildCmsSignedData } from '../cloud-functions/core/signing/build-cms-signed-data'

async function measure(label: string, n: number, op: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(50, n); i++) await op(i) // warm-up
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint()
    await op(i)
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  times.sort((a, b) => a - b)
  const mean = times.reduce((s, x) => s + x, 0) / n
  process.stdout.write(`${label.padEnd(48)} mean ${mean.toFixed(3)} ms   p50 ${times[Math.floor(n / 2)].toFixed(3)} ms   p99 ${times[Math.floor(n * 0.99)].toFixed(3)} ms\n`)
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000)
  const now = new Date()
  const baseUrl = 'https://esign.example.com'
  const ca = await createCaHierarchy({ now, baseUrl })
  const tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: { now: () => new Date() } })
  const digest = createHash('sha256').update('document').digest()
  const intentHash = createHash('sha256').update('intent').digest()
  await measure('event certificate (P-256 key + cert)', n, () =>
    issueEventCertificate({ name: '张三', contractId: 'c_bench', intentHash, issuer: ca.issuing, baseUrl, now }),
  )
  const { signer } = await issueEventCertificate({ name: '张三', issuer: ca.issuing, baseUrl, now })
  await measure('CMS B-B (sign + self-check + assemble)', n, () => buildCmsSignedData({ documentDigest: digest, signer }))
  await measure('time-stamp token (in process)', n, (i) => tsa.timestamp(Buffer.from(String(i))))
  await measure('CMS B-T (event cert + CMS + token)', n, async () => {
    const e = await issueEventCertificate({ name: '张三', contractId: 'c_bench', intentHash, issuer: ca.issuing, baseUrl, now })
    return buildCmsSignedData({ documentDigest: digest, signer: e.signer, tsa })
  })
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exitCode = 1
})
