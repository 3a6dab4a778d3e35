/**
 * The evidence package (证据包) and `esign evidence verify` (issue 17): a completed contract's
 * package from `GET /api/contracts/{id}/evidence/package` passes the compiled CLI with no server
 * (exit 0); each part tampered with in turn fails (exit 1) naming the section and what broke — an
 * edited event field, a deleted, swapped or inserted event, a chain re-hashed after an edit, a
 * report replaced by another contract's or altered, a PDF from another contract, a time-stamp token
 * over other data, and, with proofs.json added, a proof for another root and a checkpoint
 * time-stamp over another root. Not a zip → exit 2. `openssl ts -verify` accepts the package's tokens.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import JSZip from 'jszip'
import { evidenceRecordHash, type EvidenceRecord } from '../../cloud-functions/core/evidence/hash-chain'
import { inclusionProof, leafHash, merkleRoot } from '../../cloud-functions/core/evidence/merkle'
import { getPkiServices } from '../../cloud-functions/runtime/services'
import { contractFlow, slot, type Person, waitForCompletionCheckpoint } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(900_000)

let app: TestApp
const tmp = tempDir('evidence-package-')
let packageA: Buffer
let packageB: Buffer
let flow: ReturnType<typeof contractFlow>
let s: Person

beforeAll(async () => {
  requireTools('openssl')
  app = await startTestApp()
  flow = contractFlow(app)
  s = await flow.verifiedPerson('冯证据', '13900008201', 91)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** A one-signer contract sent and signed by `who` (each person signs once a minute at most: SMS resend limit). */
async function completedContract(title: string, who: Person): Promise<string> {
  const documentId = await flow.upload(who.token, await makePdf(`Evidence package ${title.length}${Math.random()}`))
  const created = await flow.call('POST', '/api/contracts', {
    title,
    documentId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: who.name, phone: who.phone }],
    order: [['A']],
    fields: [{ fieldId: 'sa', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(Date.now() + 3 * 86400_000).toISOString(),
  }, who.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  const id = created.body.contractId as string
  const sent = await flow.call('POST', `/api/contracts/${id}/send`, undefined, who.token)
  expect([sent.status, sent.body.error]).toEqual([200, undefined])
  const early = await flow.call('GET', `/api/contracts/${id}/evidence/package`, undefined, who.token)
  expect([early.status, early.body.error?.code]).toEqual([409, 'CONTRACT_NOT_COMPLETED'])
  expect((await flow.sign(who, id, 'A')).body.contract.status).toBe('completed')
  await waitForCompletionCheckpoint(flow.call, id, who.token)
  return id
}

async function download(id: string, who: Person): Promise<Buffer> {
  const res = await fetch(`${app.url}/api/contracts/${id}/evidence/package`, { headers: { authorization: `Bearer ${who.token}` } })
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/zip'])
  return Buffer.from(await res.arrayBuffer())
}

async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(bytes)
  const files = new Map<string, Buffer>()
  for (const f of Object.values(zip.files)) if (!f.dir) files.set(f.name, Buffer.from(await f.async('uint8array')))
  return files
}

type Outcome = { status: number | null; result: { valid: boolean; firstFailure?: { section: string; message: string; detail?: string }; sections: Array<{ section: string; status: string }> }; text: string }

let n = 0
/** Run the compiled CLI on `bytes` (JSON and text output), trusting the app's platform root. */
function verify(bytes: Buffer): Outcome {
  const file = path.join(tmp, `p${++n}.zip`)
  fs.writeFileSync(file, bytes)
  const run = (json: boolean) => spawnSync('node', [path.resolve('bin/esign.js'), 'evidence', 'verify', file, ...(json ? ['--json'] : [])], { env: { ...process.env, ESIGN_DATA_DIR: app.dataDir }, encoding: 'utf8', timeout: 120_000 })
  const j = run(true)
  const t = run(false)
  expect(t.status).toBe(j.status)
  return { status: j.status, result: JSON.parse(j.stdout), text: t.stdout }
}

/** The package with `change` applied to its files. */
async function tampered(base: Buffer, change: (files: Map<string, Buffer>) => void | Promise<void>): Promise<Buffer> {
  const files = await unzip(base)
  await change(files)
  const zip = new JSZip()
  for (const [name, data] of files) zip.file(name, data)
  return Buffer.from(await zip.generateAsync({ type: 'uint8array' }))
}

const events = (files: Map<string, Buffer>) => JSON.parse(files.get('events.json')!.toString('utf8')) as { contractId: string; records: EvidenceRecord[] }
const setEvents = (files: Map<string, Buffer>, e: { contractId: string; records: EvidenceRecord[] }) => files.set('events.json', Buffer.from(JSON.stringify(e)))

function expectBroken(o: Outcome, section: string, message: RegExp): void {
  expect([o.status, o.result.valid, o.result.firstFailure?.section]).toEqual([1, false, section])
  expect(o.result.firstFailure?.message).toMatch(message)
  expect(o.text).toContain('第一处断裂')
  expect(o.text).toContain('技术细节')
}

it('an untouched package passes with no server: every section checked, the checkpoint proofs included', async () => {
  const t = await flow.verifiedPerson('褚旁证', '13900008202', 92)
  const idA = await completedContract('证据包合同甲', s)
  const idB = await completedContract('证据包合同乙', t)
  packageA = await download(idA, s)
  packageB = await download(idB, t)
  const files = await unzip(packageA)
  for (const f of ['manifest.json', 'README.txt', 'contract.pdf', 'evidence-report.pdf', 'events.json', 'timestamps/index.json', 'certificates/root.pem', 'certificates/tsa.pem']) expect(files.has(f)).toBe(true)
  // The checkpoint made at completion: its proofs and its time-stamp are in the package.
  expect(files.has('proofs.json')).toBe(true)
  expect(JSON.parse(files.get('proofs.json')!.toString('utf8')).checkpoints.length).toBeGreaterThanOrEqual(1)
  expect(events(files).records.length).toBeGreaterThan(2)
  // The contract PDF is the one the API serves.
  expect(files.get('contract.pdf')!.equals(await flow.download(s.token, idA))).toBe(true)

  const o = verify(packageA)
  expect([o.status, o.result.valid]).toEqual([0, true])
  expect(o.result.sections.map((x) => [x.section, x.status])).toEqual([
    ['manifest', 'ok'],
    ['certificates', 'ok'],
    ['events', 'ok'],
    ['report', 'ok'],
    ['contract', 'ok'],
    ['timestamps', 'ok'],
    ['proofs', 'ok'],
  ])
  expect(o.text).toContain('验证通过')
})

it('openssl ts -verify accepts every time-stamp token of the package', async () => {
  const files = await unzip(packageA)
  const index = JSON.parse(files.get('timestamps/index.json')!.toString('utf8')) as Array<{ file: string }>
  expect(index.length).toBeGreaterThanOrEqual(3) // the signer's, the document time-stamp, the report's
  const dir = fs.mkdtempSync(path.join(tmp, 'ts-'))
  fs.writeFileSync(path.join(dir, 'root.pem'), files.get('certificates/root.pem')!)
  fs.writeFileSync(path.join(dir, 'tsa.pem'), files.get('certificates/tsa.pem')!)
  for (const e of index) {
    const token = path.join(dir, path.basename(e.file))
    fs.writeFileSync(token, files.get(e.file)!)
    // The token's own imprint, read back, checked against the token's signature and the chain.
    const text = spawnSync('openssl', ['ts', '-reply', '-token_in', '-in', token, '-text', '-token_out'], { encoding: 'utf8' }).stdout
    // "Message data:" is a hex dump: offset, then up to 16 bytes in a 47-character column.
    const dump = text.slice(text.indexOf('Message data:'))
    const digest = [...dump.matchAll(/^\s+[0-9a-f]{4} - (.{1,47})/gm)].slice(0, 2).map((m) => m[1].replace(/[^0-9a-f]/g, '')).join('')
    expect(digest).toMatch(/^[0-9a-f]{64}$/)
    const r = spawnSync('openssl', ['ts', '-verify', '-token_in', '-in', token, '-digest', digest, '-CAfile', path.join(dir, 'root.pem'), '-untrusted', path.join(dir, 'tsa.pem')], { encoding: 'utf8' })
    expect(`${e.file}: ${r.stdout.trim()}`).toBe(`${e.file}: Verification: OK`)
  }
})

it('an edited event field, a deleted, swapped or inserted event each break the chain at that record', async () => {
  const edit = verify(await tampered(packageA, (f) => {
    const e = events(f)
    ;(e.records[1] as { at: string }).at = '2020-01-01T00:00:00.000Z'
    setEvents(f, e)
  }))
  expectBroken(edit, 'events', /第 2 条记录.*被修改/)

  const deleted = verify(await tampered(packageA, (f) => {
    const e = events(f)
    e.records.splice(1, 1)
    setEvents(f, e)
  }))
  expectBroken(deleted, 'events', /第 2 条记录.*序号不连续/)

  const swapped = verify(await tampered(packageA, (f) => {
    const e = events(f)
    ;[e.records[1], e.records[2]] = [e.records[2], e.records[1]]
    setEvents(f, e)
  }))
  expectBroken(swapped, 'events', /第 2 条记录/)

  const inserted = verify(await tampered(packageA, (f) => {
    const e = events(f)
    e.records.splice(2, 0, { ...e.records[1] })
    setEvents(f, e)
  }))
  expectBroken(inserted, 'events', /第 3 条记录/)
})

it('a chain edited and re-hashed from the edit on no longer matches the signed report', async () => {
  const o = verify(await tampered(packageA, (f) => {
    const e = events(f)
    const records = e.records
    ;(records[1] as { at: string }).at = '2020-01-01T00:00:00.000Z'
    for (let i = 1; i < records.length; i++) {
      const r = { ...records[i], prevHash: records[i - 1].hash } as EvidenceRecord
      records[i] = { ...r, hash: evidenceRecordHash(r) } as EvidenceRecord
    }
    setEvents(f, e)
  }))
  expectBroken(o, 'report', /证据记录与证据报告不一致/)
})

it('a report replaced by another contract’s, or altered, fails at the report', async () => {
  const other = await unzip(packageB)
  const replaced = verify(await tampered(packageA, (f) => void f.set('evidence-report.pdf', other.get('evidence-report.pdf')!)))
  expectBroken(replaced, 'report', /证据报告属于其他合同/)

  const altered = verify(await tampered(packageA, (f) => {
    const pdf = Buffer.from(f.get('evidence-report.pdf')!)
    const at = pdf.indexOf('QianyueEvidence')
    pdf[at + 40] = pdf[at + 40] === 0x41 ? 0x42 : 0x41
    f.set('evidence-report.pdf', pdf)
  }))
  expectBroken(altered, 'report', /证据报告的签名验证未通过/)
})

it('a PDF from another contract fails at the contract', async () => {
  const other = await unzip(packageB)
  const o = verify(await tampered(packageA, (f) => void f.set('contract.pdf', other.get('contract.pdf')!)))
  expectBroken(o, 'contract', /合同文件不是证据报告记载的最终版本/)
})

it('a time-stamp token over other data fails, naming the token', async () => {
  const { ca } = await getPkiServices(app.deps)
  const foreign = await ca.tsa.timestampDigest(createHash('sha256').update('other data').digest())
  const o = verify(await tampered(packageA, (f) => void f.set('timestamps/contract-1.tst', Buffer.from(foreign))))
  expectBroken(o, 'timestamps', /时间戳令牌 timestamps\/contract-1\.tst 无效：它不是对/)
})

it('the proofs are checked: a proof for another root, or a checkpoint time-stamp over another root, fails', async () => {
  const { ca } = await getPkiServices(app.deps)
  const base = await unzip(packageA)
  type Proofs = { checkpoints: Array<{ id: string; root: string; treeSize: number; timestampToken: string }>; proofs: Array<{ seq: number; eventHash: string; checkpointId: string; leafIndex: number; path: string[] }> }
  const real = JSON.parse(base.get('proofs.json')!.toString('utf8')) as Proofs
  expect(real.proofs.length).toBeGreaterThanOrEqual(2)

  // A proof computed in another tree of the same size (another root) for one record.
  const target = real.proofs[1]!
  const cp = real.checkpoints.find((k) => k.id === target.checkpointId)!
  const otherLeaves = Array.from({ length: cp.treeSize }, (_, i) => leafHash(Buffer.from((i === target.leafIndex ? target.eventHash : String(i % 10).repeat(64)), 'hex')))
  const foreignProof: Proofs = { ...real, proofs: real.proofs.map((p) => (p === target ? { ...p, path: inclusionProof(otherLeaves, target.leafIndex).map((x) => x.toString('hex')) } : p)) }
  expectBroken(verify(await tampered(packageA, (f) => void f.set('proofs.json', Buffer.from(JSON.stringify(foreignProof))))), 'proofs', new RegExp(`第 ${target.seq} 条证据记录未包含在存证检查点`))

  // The checkpoint's time-stamp token replaced by one over another root.
  const index = JSON.parse(base.get('timestamps/index.json')!.toString('utf8')) as Array<{ file: string; covers: { kind: string } }>
  const entry = index.find((e) => e.covers.kind === 'checkpoint')!
  const overOther = Buffer.from(await ca.tsa.timestampDigest(createHash('sha256').update(merkleRoot(otherLeaves)).digest()))
  const o = verify(await tampered(packageA, (f) => void f.set(entry.file, overOther)))
  expect(o.result.valid).toBe(false)
  expect(['timestamps', 'proofs']).toContain(o.result.firstFailure?.section)
  expect(o.result.firstFailure?.message).toContain(entry.file)
})

it('the verify page’s endpoint checks a package the same way: valid, tampered (first broken link), not a zip', async () => {
  const post = async (bytes: Uint8Array) => {
    const res = await fetch(`${app.url}/api/verify/evidence-package`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: bytes })
    return { status: res.status, body: (await res.json()) as { valid?: boolean; firstFailure?: { section: string; message: string }; error?: { code: string } } }
  }
  const good = await post(packageA)
  expect([good.status, good.body.valid, good.body.firstFailure]).toEqual([200, true, undefined])
  const bad = await post(await tampered(packageA, (f) => {
    const e = events(f)
    e.records.splice(1, 1)
    setEvents(f, e)
  }))
  expect([bad.status, bad.body.valid, bad.body.firstFailure?.section]).toEqual([200, false, 'events'])
  expect(bad.body.firstFailure?.message).toMatch(/第 2 条记录/)
  const notZip = await post(new Uint8Array(Buffer.from('not a zip')))
  expect([notZip.status, notZip.body.error?.code]).toEqual([400, 'NOT_A_PACKAGE'])
})

it('a file that is not a zip, or bad usage, exits 2', () => {
  const file = path.join(tmp, 'not.zip')
  fs.writeFileSync(file, 'not a zip')
  const r = spawnSync('node', [path.resolve('bin/esign.js'), 'evidence', 'verify', file], { encoding: 'utf8' })
  expect(r.status).toBe(2)
  expect(r.stderr).toContain('无法读取证据包')
  expect(spawnSync('node', [path.resolve('bin/esign.js'), 'evidence', 'check', file], { encoding: 'utf8' }).status).toBe(2)
})
