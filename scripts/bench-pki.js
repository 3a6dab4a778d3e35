#!/usr/bin/env node
'use strict'
/**
 * npm run bench:pki [-- --json] [-- --seconds N]
 *
 * The trust services' hot paths, on one core, with the compiled server (build/, `npm run build:server`):
 * - event certificate: a fresh P-256 key + a certificate signed by the issuing CA (what every
 *   signing act costs), median of many — target ≤ 2 ms;
 * - TSA: complete RFC 3161 exchanges (parse a DER TimeStampReq, sign a token with the TSA key,
 *   encode the TimeStampResp), sequentially — target ≥ 300 tokens/s;
 * - OCSP: complete RFC 6960 exchanges through the use case the HTTP route calls (parse the
 *   OCSPRequest, look the serial up in the certificate registry on SQLite, sign the response) —
 *   target ≥ 500 responses/s.
 * Each line prints the number, its target and the ratio (≥ 1 meets the target); --json prints one
 * JSON line instead. Exit 1 when a target is missed.
 */
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const BUILD = path.join(__dirname, '..', 'build', 'cloud-functions')
const load = (m) => require(path.join(BUILD, m))
const argv = process.argv.slice(2)
const json = argv.includes('--json')
const seconds = Number(argv[argv.indexOf('--seconds') + 1]) || 2

async function rate(op, ms) {
  for (let i = 0; i < 50; i++) await op(i) // warm-up
  let n = 0
  const t0 = process.hrtime.bigint()
  const until = t0 + BigInt(ms) * 1000000n
  while (process.hrtime.bigint() < until) await op(n++)
  return n / (Number(process.hrtime.bigint() - t0) / 1e9)
}

async function medianMs(op, n) {
  for (let i = 0; i < 50; i++) await op(i)
  const times = []
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint()
    await op(i)
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(n / 2)], p99: times[Math.floor(n * 0.99)] }
}

async function main() {
  if (!fs.existsSync(path.join(BUILD, 'core', 'pki', 'create-ca-hierarchy.js'))) throw new Error('build/ is missing: run "npm run build:server"')
  const { createCaHierarchy } = load('core/pki/create-ca-hierarchy')
  const { issueEventCertificate } = load('core/pki/issue-event-certificate')
  const { buildOcspRequest } = load('core/pki/build-ocsp-request')
  const { encodeDer, decodeDer } = load('core/pki/jsrsasign-adapter')
  /** The first INTEGER/ENUMERATED of a response's first field: PKIStatus (TSA) or OCSPResponseStatus. */
  const status = (der) => {
    const d = decodeDer(der)
    const first = d.ok ? d.value.children[0] : undefined
    return (first && (first.children.length ? first.children[0].content[0] : first.content[0]))
  }
  const { InProcessTsa } = load('adapters/local/in-process-tsa')
  const { SqliteMetadataStore } = load('adapters/local/sqlite-metadata-store')
  const { recordCertificate } = load('use-cases/pki/records')
  const { answerOcspRequest } = load('use-cases/pki/answer-ocsp-request')

  const clock = { now: () => new Date() }
  const baseUrl = 'https://esign.example.com'
  const h = await createCaHierarchy({ now: clock.now(), baseUrl })
  const intentHash = crypto.createHash('sha256').update('intent').digest()

  // 1. Event certificate: key + certificate.
  const event = await medianMs(() => issueEventCertificate({ name: '张三', contractId: 'c_bench', intentHash, issuer: h.issuing, baseUrl, now: clock.now() }), 2000)

  // 2. TSA: DER query in, DER reply out.
  const tsa = new InProcessTsa({ signer: h.tsa.signer, clock })
  const oid = { sha256: '2.16.840.1.101.3.4.2.1' }
  const query = (i) =>
    encodeDer({ seq: [{ int: 1 }, { seq: [{ seq: [{ oid: oid.sha256 }] }, { octets: crypto.createHash('sha256').update(String(i)).digest() }] }, { int: i + 1 }, { bool: true }] })
  const tsaRate = await rate(async (i) => {
    const reply = await tsa.responder.respond(query(i))
    if (status(reply) !== 0) throw new Error('the TSA did not grant a token') // PKIStatusInfo { status granted }
  }, seconds * 1000)

  // 3. OCSP: a recorded certificate, looked up in SQLite, answered and signed.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-bench-pki-'))
  const metadata = new SqliteMetadataStore({ file: path.join(dir, 'metadata.sqlite'), clock })
  let ocspRate
  try {
    const signer = await issueEventCertificate({ name: '张三', issuer: h.issuing, baseUrl, now: clock.now() })
    await recordCertificate(metadata, { certificateDer: signer.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: clock.now() })
    const request = buildOcspRequest(signer.certificateDer, h.issuing.certificateDer)
    const ca = { ocspResponder: h.ocsp, issuingCertificateDer: h.issuing.certificateDer }
    ocspRate = await rate(async () => {
      const response = await answerOcspRequest({ metadata, clock, ca }, request)
      if (status(response) !== 0) throw new Error('OCSP did not answer successful')
    }, seconds * 1000)
  } finally {
    await metadata.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }

  const results = {
    eventCertificateMs: { value: round(event.median), p99: round(event.p99), target: 2, ratio: round(2 / event.median) },
    tsaTokensPerSecond: { value: Math.round(tsaRate), target: 300, ratio: round(tsaRate / 300) },
    ocspResponsesPerSecond: { value: Math.round(ocspRate), target: 500, ratio: round(ocspRate / 500) },
  }
  const met = Object.values(results).every((r) => r.ratio >= 1)
  if (json) {
    process.stdout.write(JSON.stringify({ bench: 'pki', node: process.version, cpu: os.cpus()[0]?.model, ...results, met }) + '\n')
  } else {
    const line = (label, v, unit, target, ratio, better) =>
      `${label.padEnd(40)} ${String(v).padStart(8)} ${unit.padEnd(14)} target ${better} ${target} ${unit.padEnd(14)} ratio ${ratio.toFixed(2)}${ratio >= 1 ? '' : '  ✗ MISSED'}\n`
    process.stdout.write(`PKI bench (one core, ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'})\n`)
    process.stdout.write(line('event certificate (P-256 key + cert)', results.eventCertificateMs.value, 'ms (median)', 2, results.eventCertificateMs.ratio, '≤'))
    process.stdout.write(line('RFC 3161 time-stamp (query → reply)', results.tsaTokensPerSecond.value, 'tokens/s', 300, results.tsaTokensPerSecond.ratio, '≥'))
    process.stdout.write(line('OCSP (request → registry → response)', results.ocspResponsesPerSecond.value, 'responses/s', 500, results.ocspResponsesPerSecond.ratio, '≥'))
  }
  if (!met) process.exitCode = 1
}

const round = (x) => Math.round(x * 1000) / 1000

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exitCode = 1
})
