#!/usr/bin/env node
'use strict'
/**
 * npm run bench:bulk [-- --json] [-- --rows N] [-- --warmup W]
 *
 * A bulk send (批量发起) of N rows (default 1,000) on the local server (the compiled build/, started
 * as its own process with the sandbox providers, SQLite and files in a temporary folder): a
 * verified sender, a template (甲方 = the sender, 乙方 from the sheet, placeholders 月薪 / 入职日期),
 * one CSV. Timed: from the confirming POST /api/bulk-sends to the job's `done` (each row: a contract
 * created from the template and sent — PDF filled, prepared, stored, SMS to the recipient).
 * Then the same with 100 rows on a fresh server, to show that the peak memory does not grow with rows.
 * Each server first runs an untimed job of W rows (default 500, `--warmup 0` for none) with other
 * recipients, as bench:flow warms up: a fresh process grows for a while (V8 compiling the hot paths
 * and sizing its heaps, the bounded caches filling) whatever the job's size. The peak RSS is then
 * taken over the measured job alone (the kernel's VmHWM reset through /proc/<pid>/clear_refs); the
 * peaks from a cold start (warm-up included) are printed too.
 *
 * Prints rows/s (target ≥ 100), the server's CPU time per row (all its threads), the server's peak RSS (VmHWM) for N rows and for 100 rows, and the
 * machine's load average. With --json the last line is {"rows","rows_per_s","peak_rss_mb","peak_rss_mb_100"}.
 * ESIGN_BULK_CONCURRENCY (passed through, default 8) sets the rows in flight per job.
 * Exit 1 when the target is missed.
 */
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
const { SERVER, expectStatus, idNumber, startLocalServer } = require('./bench-server')
const argv = process.argv.slice(2)
const arg = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback)
const json = argv.includes('--json')
const ROWS = arg('--rows', 1000)
const WARMUP = arg('--warmup', 500)
const TARGET_ROWS_PER_S = 100
const OPERATOR = crypto.randomBytes(24).toString('hex')

const log = (...a) => (json ? process.stderr.write(a.join(' ') + '\n') : console.log(...a))

function caller(url) {
  return async (method, p, body, headers = {}) => {
    const isForm = body instanceof FormData
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { ...(body !== undefined && !isForm && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : isForm || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      redirect: 'manual',
    })
    const text = await res.text()
    let parsed = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed }
  }
}

/** A logged-in, real-name-verified sender (sandbox SMS code and face page). */
async function makeSender(call) {
  const phone = '13900002016'
  const name = '包批量'
  expectStatus(await call('POST', '/api/auth/sms-codes', { phone }), 202, 'login code')
  const outbox = expectStatus(await call('GET', `/api/identity/sandbox/outbox?phone=${phone}`, undefined, { 'x-operator-token': OPERATOR }), 200, 'outbox')
  const login = expectStatus(await call('POST', '/api/auth/sms-login', { phone, code: outbox.entries.find((e) => e.code).code }), 200, 'login')
  const auth = { authorization: `Bearer ${login.token}` }
  expectStatus(await call('POST', '/api/identity/person', { name, idNumber: idNumber(16), phone }, auth), 200, 'person')
  const face = expectStatus(await call('POST', '/api/identity/person/face', {}, auth), 200, 'face')
  await fetch(face.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=pass', redirect: 'manual' })
  expectStatus(await call('POST', '/api/identity/person/face/result', undefined, auth), 200, 'face result')
  const me = expectStatus(await call('GET', '/api/auth/me', undefined, auth), 200, 'me')
  return { auth, userId: me.userId }
}

/** The template: 甲方 (the sender) and 乙方 (from the sheet), placeholders 月薪 and 入职日期. */
async function makeTemplate(call, auth, companyId) {
  const { PDFDocument, StandardFonts } = require('pdf-lib')
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  doc.addPage([595, 842]).drawText('Bulk benchmark labour contract', { x: 50, y: 780, size: 14, font })
  const pdf = Buffer.from(await doc.save({ useObjectStreams: false }))
  const document = expectStatus(await call('POST', '/api/documents', pdf, { ...auth, 'content-type': 'application/pdf', 'x-file-name': 'bench.pdf' }), [200, 201], 'upload')
  return createTemplate(call, auth, document.id, companyId)
}

async function createTemplate(call, auth, documentId, companyId) {
  const t = expectStatus(
    await call(
      'POST',
      '/api/templates',
      {
        companyId,
        name: '劳动合同（基准）',
        documentId,
        roles: [
          { roleId: 'B', label: '乙方', kind: 'person' },
          { roleId: 'A', label: '甲方', kind: 'person', sender: true },
        ],
        fields: [
          { fieldId: 'sb', roleId: 'B', kind: 'signature', page: 0, rect: [40, 80, 120, 60] },
          { fieldId: 'sa', roleId: 'A', kind: 'signature', page: 0, rect: [170, 80, 120, 60] },
        ],
        placeholders: [
          { key: '月薪', page: 0, rect: [60, 600, 240, 24], maxLength: 10 },
          { key: '入职日期', page: 0, rect: [60, 560, 240, 24] },
        ],
      },
      auth,
    ),
    201,
    'template',
  )
  return t.templateId
}

/** The sender's company, seeded in the server's SQLite file (WAL: beside the running server), as the tests do: its verification flow is not what is measured. */
async function seedCompany(dataDir, userId) {
  const b = (m) => require(path.join(ROOT, 'build', 'cloud-functions', m))
  const { loadConfig } = b('runtime/config.js')
  const { createContainer, systemIds } = b('runtime/container.js')
  const { createLogger } = b('runtime/logger.js')
  const { companyKey, memberKey } = b('use-cases/identity/records.js')
  const deps = await createContainer(loadConfig({ ESIGN_DATA_DIR: dataDir, ESIGN_OPERATOR_TOKEN: OPERATOR }, ROOT), createLogger({ level: 'silent' }), 'bench')
  const companyId = systemIds.newId()
  try {
    await deps.metadata.put({ ...companyKey(companyId), type: 'company', companyId, name: '基准测试有限公司', verificationStatus: 'verified', status: 'verified' })
    await deps.metadata.put({ ...memberKey(companyId, userId), type: 'member', companyId, userId, role: 'admin' })
  } finally {
    await deps.metadata.close()
  }
  return companyId
}

/** `rows` recipients; the warm-up's (`prefix` 139) are other people than the measured job's (138). */
function csv(rows, prefix = '138') {
  const lines = ['乙方姓名,乙方手机,月薪,入职日期']
  for (let i = 0; i < rows; i++) lines.push(`员工${i},${prefix}${String(i).padStart(8, '0')},${8000 + (i % 5000)},2027-01-01`)
  return lines.join('\n') + '\n'
}

/** CPU seconds (user + system, every thread: main, workers, libuv pool) of a process so far. */
function cpuSeconds(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(f[11]) + Number(f[12])) / 100
}

/** kB → MB of a /proc/<pid>/status field (VmHWM: peak resident set). */
function statusMb(pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

/** Send `rows` rows (`prefix`: see csv) as one bulk job and wait for its `done`; its duration in seconds. */
async function bulkSend(call, auth, templateId, rows, prefix) {
  const form = new FormData()
  form.append('templateId', templateId)
  form.append('deadline', new Date(Date.now() + 7 * 86400_000).toISOString())
  form.append('file', new Blob([Buffer.from(csv(rows, prefix))]), `bench-${prefix}.csv`)
  const t0 = process.hrtime.bigint()
  const job = expectStatus(await call('POST', '/api/bulk-sends', form, auth), 201, 'bulk send')
  let detail
  for (;;) {
    detail = expectStatus(await call('GET', `/api/bulk-sends/${job.jobId}?limit=1`, undefined, auth), 200, 'progress')
    if (detail.job.status === 'done') break
    await new Promise((r) => setTimeout(r, 200))
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const counts = detail.job.counts
  if (counts.sent !== rows) {
    const failed = expectStatus(await call('GET', `/api/bulk-sends/${job.jobId}?state=failed&limit=3`, undefined, auth), 200, 'failed rows')
    throw new Error(`${rows} rows: ${counts.sent} sent, ${counts.failed} failed (${failed.rows.map((r) => r.error && r.error.message).join('; ')})`)
  }
  return seconds
}

async function run(rows) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-bench-bulk-'))
  const { url, child } = await startLocalServer({ dataDir, operator: OPERATOR })
  try {
    const call = caller(url)
    const { auth, userId } = await makeSender(call)
    const templateId = await makeTemplate(call, auth, await seedCompany(dataDir, userId))
    if (WARMUP > 0) await bulkSend(call, auth, templateId, WARMUP, '139')
    const rssBefore = statusMb(child.pid, 'VmRSS')
    const coldPeakBefore = statusMb(child.pid, 'VmHWM')
    // From here VmHWM is the peak of the measured job alone (proc(5), clear_refs: 5 resets it).
    fs.writeFileSync(`/proc/${child.pid}/clear_refs`, '5')
    const cpu0 = cpuSeconds(child.pid)
    const load0 = os.loadavg()[0]
    const seconds = await bulkSend(call, auth, templateId, rows, '138')
    const cpuMsPerRow = ((cpuSeconds(child.pid) - cpu0) * 1000) / rows
    const peakRssMb = statusMb(child.pid, 'VmHWM')
    return { seconds, rowsPerS: rows / seconds, cpuMsPerRow, peakRssMb, coldPeakRssMb: Math.max(peakRssMb, coldPeakBefore), rssBeforeMb: rssBefore, load: [load0, os.loadavg()[0]] }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main() {
  if (!fs.existsSync(SERVER)) throw new Error('build/ is missing: run "npm run build:server"')
  log(`bulk send of 100 rows (memory baseline)…`)
  const small = await run(100)
  log(`bulk send of ${ROWS} rows…`)
  const big = await run(ROWS)
  const result = { rows: ROWS, rows_per_s: +big.rowsPerS.toFixed(2), peak_rss_mb: +big.peakRssMb.toFixed(1), peak_rss_mb_100: +small.peakRssMb.toFixed(1) }
  log(`rows/s (created + sent)  ${result.rows_per_s.toFixed(2).padStart(8)}   target ≥ ${TARGET_ROWS_PER_S}   ratio ${(result.rows_per_s / TARGET_ROWS_PER_S).toFixed(2)}`)
  log(`peak RSS, ${ROWS} rows (MB) ${result.peak_rss_mb.toFixed(1).padStart(8)}   (before the job ${big.rssBeforeMb.toFixed(1)}; since the server started ${big.coldPeakRssMb.toFixed(1)})`)
  log(`peak RSS, 100 rows (MB)  ${result.peak_rss_mb_100.toFixed(1).padStart(8)}   (before the job ${small.rssBeforeMb.toFixed(1)}; since the server started ${small.coldPeakRssMb.toFixed(1)}; 100 rows at ${small.rowsPerS.toFixed(2)} rows/s)`)
  log(`ratio ${ROWS} rows / 100 rows ${(result.peak_rss_mb / result.peak_rss_mb_100).toFixed(2).padStart(6)}   (each after an untimed warm-up job of ${WARMUP} rows)`)
  log(`server CPU per row (ms) ${big.cpuMsPerRow.toFixed(1).padStart(8)}   (all threads; ${os.cpus().length} idle cores would allow ≈ ${((1000 * os.cpus().length) / big.cpuMsPerRow).toFixed(0)} rows/s)`)
  log(`(${ROWS} rows in ${big.seconds.toFixed(1)} s after ${WARMUP} warm-up rows; ${os.cpus().length} cores; load average 1 min ${big.load[0].toFixed(2)} at start, ${big.load[1].toFixed(2)} at end)`)
  if (json) console.log(JSON.stringify(result))
  process.exitCode = result.rows_per_s >= TARGET_ROWS_PER_S ? 0 : 1
}

main().catch((e) => {
  console.error(`bench:bulk: ${e.message}`)
  process.exit(1)
})
