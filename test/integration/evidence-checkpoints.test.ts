/**
 * Issue 17, evidence events and checkpoints, against the real local server (sandbox providers,
 * SQLite, the local CA's in-process TSA):
 *
 * - every lifecycle step of a contract appends its typed event (who, IP, user agent) in the same
 *   transaction as its state change: a failed state change leaves no event, an event that cannot
 *   be appended leaves no state change;
 * - checkpoints (at completion and on the tick) cover every record; the proofs from
 *   `GET /api/contracts/{id}/evidence/proofs` verify with `verifyEvidenceProofs`; `openssl ts
 *   -verify` accepts every checkpoint token over its root; a double tick makes no duplicate
 *   checkpoint; the `Anchor` port is handed each root.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createHash, randomUUID, X509Certificate } from 'node:crypto'
import { runEvidenceTick } from '../../cloud-functions/handlers/schedule/evidence-tick'
import { applyCommand } from '../../cloud-functions/core/contracts/apply-command'
import { verifyEvidenceProofs, type EvidenceCheckpoint, type EvidenceProofs } from '../../cloud-functions/core/evidence/evidence-proofs'
import type { EvidenceRecord } from '../../cloud-functions/core/evidence/hash-chain'
import type { Anchor } from '../../cloud-functions/ports/anchor'
import type { MetadataStore, TransactOperation } from '../../cloud-functions/ports/metadata-store'
import { getEvidenceServices, getPkiServices } from '../../cloud-functions/runtime/services'
import { commitTransition } from '../../cloud-functions/use-cases/contracts/commit-transition'
import { loadContractItem } from '../../cloud-functions/use-cases/contracts/records'
import { appendEvidence } from '../../cloud-functions/use-cases/evidence/append-evidence'
import { createCheckpoint } from '../../cloud-functions/use-cases/evidence/create-checkpoint'
import { getEvidenceProofs } from '../../cloud-functions/use-cases/evidence/get-evidence-proofs'
import { loadLastCheckpoint, PLACE_BATCH, placeEvidence } from '../../cloud-functions/use-cases/evidence/records'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { contractFlow, slot, type Person, waitForCompletionCheckpoint } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(600_000)

const UA = 'EvidenceTest/1.0 (Qianyue)'
let app: TestApp
let flow: ReturnType<typeof contractFlow>
let zhang: Person
let li: Person
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-checkpoints-'))

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
  zhang = await flow.verifiedPerson('张明', '13900002001', 21)
  li = await flow.verifiedPerson('李华', '13900002002', 22)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** A sent contract from 张明 to `signer` (李华 unless told; one signer), created and sent with the test's user agent. */
async function sentContract(title: string, signer: Person = li): Promise<{ id: string; preparedSha256: string }> {
  const documentId = await flow.upload(zhang.token, await makePdf(`Evidence contract ${Math.random()}`, 2))
  const created = await flow.call(
    'POST',
    '/api/contracts',
    {
      title,
      documentId,
      parties: [{ partyId: 'B', role: 'signer', kind: 'person', name: signer.name, phone: signer.phone }],
      order: [['B']],
      fields: [{ fieldId: 'sb', partyId: 'B', kind: 'signature', page: 1, rect: slot(0) }],
      deadline: new Date(Date.now() + 7 * 86400_000).toISOString(),
    },
    zhang.token,
    { 'user-agent': UA, 'idempotency-key': randomUUID() },
  )
  expect(created.status).toBe(201)
  const sent = await flow.call('POST', `/api/contracts/${created.body.contractId}/send`, undefined, zhang.token, { 'user-agent': UA, 'idempotency-key': randomUUID() })
  expect([sent.status, sent.body]).toEqual([200, expect.anything()])
  return { id: created.body.contractId, preparedSha256: sent.body.document.preparedSha256 }
}

async function chain(contractId: string): Promise<EvidenceRecord[]> {
  const checked = await verifyEvidenceChain(app.deps, { contractId })
  if (!checked.ok) throw new Error(checked.error.message)
  return checked.value.records
}

/** `openssl ts -verify` of a checkpoint's token over the 32 bytes of its root, against the platform root and TSA certificates. */
async function opensslVerifiesCheckpoint(checkpoint: EvidenceCheckpoint): Promise<string> {
  const { ca } = await getPkiServices(app.deps)
  const pem = (der: Uint8Array) => new X509Certificate(der).toString()
  fs.writeFileSync(path.join(tmp, 'root.pem'), pem(ca.rootCertificateDer))
  fs.writeFileSync(path.join(tmp, 'tsa.pem'), pem(ca.tsaCertificateDer))
  fs.writeFileSync(path.join(tmp, `${checkpoint.id}.root`), Buffer.from(checkpoint.root, 'hex'))
  fs.writeFileSync(path.join(tmp, `${checkpoint.id}.tst`), Buffer.from(checkpoint.timestampToken, 'base64'))
  return execFileSync('openssl', ['ts', '-verify', '-data', `${checkpoint.id}.root`, '-token_in', '-in', `${checkpoint.id}.tst`, '-CAfile', 'root.pem', '-untrusted', 'tsa.pem'], { cwd: tmp, encoding: 'utf8', stdio: 'pipe' })
}

describe('typed events in the transition’s transaction', () => {
  let contractId: string

  it('records every step of create → send → view → intent → sign → complete → download, each with actor, IP and user agent', async () => {
    const { id, preparedSha256 } = await sentContract('证据事件合同')
    contractId = id
    const signed = await flow.sign(li, id, 'B')
    await waitForCompletionCheckpoint(flow.call, id, li.token)
    expect(signed.status).toBe(200)
    expect(signed.body.contract.status).toBe('completed')
    const downloaded = await flow.download(li.token, id)

    const records = await chain(id)
    expect(records.map((r) => r.type)).toEqual([
      'contract.created',
      'document.uploaded',
      'contract.sent',
      'party.notified',
      'party.viewed',
      'intent.confirmed',
      'identity.verified',
      'party.signed',
      'contract.completed',
      'document.finalised',
      'document.downloaded',
    ])
    const byType = Object.fromEntries(records.map((r) => [r.type, r])) as Record<string, EvidenceRecord>
    // Who and from where: the sender's requests carried the test's user agent; every request came from the loopback.
    expect(byType['contract.created'].context).toMatchObject({ actor: `user:${zhang.userId}`, userAgent: UA })
    expect(byType['contract.sent'].context).toMatchObject({ actor: `user:${zhang.userId}`, userAgent: UA })
    expect(byType['contract.created'].context?.ip).toMatch(/127\.0\.0\.1$|^::1$/)
    expect(byType['party.signed'].context).toMatchObject({ actor: `user:${li.userId}` })
    expect(byType['party.signed'].context?.userAgent).toBeTruthy()
    expect(byType['document.finalised'].context).toEqual({ actor: 'system' })
    // What each event names: hashes and ids only.
    expect(byType['contract.sent'].data).toEqual({ contractId: id, documentHash: preparedSha256 })
    expect(byType['party.viewed'].data).toEqual({ contractId: id, partyId: 'B', documentHash: preparedSha256 })
    const signedData = byType['party.signed'].data as { documentHash: string; certificateSerial: string }
    expect(signedData.documentHash).toBe(signed.body.documentSha256)
    expect(signedData.certificateSerial).toMatch(/^[0-9a-f]+$/)
    expect(byType['identity.verified'].data).toMatchObject({ contractId: id, partyId: 'B', method: 'face', subjectHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const finalHash = (byType['document.finalised'].data as { documentHash: string }).documentHash
    expect(byType['document.downloaded'].data).toEqual({ contractId: id, documentHash: finalHash, version: 'current' })
    expect(createHash('sha256').update(downloaded).digest('hex')).toBe(finalHash)
    // No personal data in the chain.
    const text = JSON.stringify(records)
    for (const secret of [li.phone, li.idNumber, li.name, zhang.phone, '证据事件合同']) expect(text).not.toContain(secret)
  })

  it('records the opening of a signing link, by whoever holds it, from where', async () => {
    const { id } = await sentContract('链接合同')
    const entries = (await flow.outbox(li.phone)) as Array<{ link?: string }>
    const link = entries.find((e) => e.link?.includes('/s/'))!.link!
    const token = /\/s\/([A-Za-z0-9_-]{22})$/.exec(link)![1]
    const opened = await flow.call('GET', `/api/signing-links/${token}`, undefined, undefined, { 'user-agent': UA })
    expect(opened.status).toBe(200)
    const last = (await chain(id)).at(-1)!
    expect([last.type, last.data, last.context?.actor, last.context?.userAgent]).toEqual(['link.opened', { contractId: id, partyId: 'B' }, 'anonymous', UA])
  })

  it('a state change that fails leaves no event', async () => {
    const { id } = await sentContract('冲突合同')
    const before = await chain(id)
    const stale = (await loadContractItem(app.deps.metadata, id))!
    // Someone else changes the contract first (the signer views it) …
    expect((await flow.call('POST', `/api/contracts/${id}/view`, undefined, li.token)).status).toBe(200)
    const afterView = await chain(id)
    expect(afterView.length).toBe(before.length + 1)
    // … so a revoke on the version read before fails, and appends nothing.
    const now = new Date()
    const t = applyCommand(stale.contract, { type: 'revoke', by: zhang.userId, reason: '测试' }, now)
    if (!t.ok) throw new Error(t.error.message)
    const committed = await commitTransition(app.deps, stale, { contract: t.value.contract }, t.value.events, now, [], { context: { actor: `user:${zhang.userId}` } })
    expect(committed).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect((await chain(id)).map((r) => r.hash)).toEqual(afterView.map((r) => r.hash))
    expect((await loadContractItem(app.deps.metadata, id))!.contract.status).toBe('sent')
  })

  it('an event that cannot be appended leaves no state change', async () => {
    const { id } = await sentContract('争用合同')
    const item = (await loadContractItem(app.deps.metadata, id))!
    // A store on which, before every transaction, a competing append to the same chain lands first:
    // the transition loses its place in the chain every time, and gives up.
    const real = app.deps.metadata
    let competing = 0
    const transact = async (operations: TransactOperation[]) => {
      competing += 1
      const raced = await appendEvidence({ metadata: real }, { event: { type: 'reminder.sent', data: { contractId: id, partyId: 'B', channel: 'sms' } }, at: new Date(), context: { actor: 'system' } })
      expect(raced.ok).toBe(true)
      return real.transact(operations)
    }
    const contended = new Proxy(real, {
      get: (target, prop) => {
        if (prop === 'transact') return transact
        const value: unknown = Reflect.get(target, prop)
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      },
    }) as MetadataStore
    const now = new Date()
    const t = applyCommand(item.contract, { type: 'revoke', by: zhang.userId, reason: '测试' }, now)
    if (!t.ok) throw new Error(t.error.message)
    const committed = await commitTransition({ metadata: contended }, item, { contract: t.value.contract }, t.value.events, now, [], { context: { actor: `user:${zhang.userId}` } })
    expect(committed).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(competing).toBeGreaterThan(1)
    const after = (await loadContractItem(real, id))!
    expect(after.version).toBe(item.version)
    expect(after.contract.status).toBe('sent')
    expect((await chain(id)).filter((r) => r.type === 'contract.revoked')).toEqual([])
  })

  it('serves the proofs to a party and the sender, and they verify against the chain', async () => {
    // The completion made a checkpoint; the tick takes what came after (the download).
    await runEvidenceTick(app.deps)
    const records = await chain(contractId)
    for (const who of [zhang, li]) {
      const r = await flow.call('GET', `/api/contracts/${contractId}/evidence/proofs`, undefined, who.token)
      expect(r.status).toBe(200)
      const proofs = r.body as EvidenceProofs
      expect(proofs.proofs.map((p) => p.seq)).toEqual(records.map((r) => r.seq))
      expect(verifyEvidenceProofs(proofs, records.map((r) => r.hash), { requireAll: true })).toEqual({ ok: true, value: { proven: records.length } })
      // A proof moved to another record, or a changed root, is caught.
      const moved = { ...proofs, proofs: proofs.proofs.map((p, i) => (i === 0 ? { ...p, eventHash: records[1].hash } : p)) }
      expect(verifyEvidenceProofs(moved, records.map((r) => r.hash))).toMatchObject({ ok: false, error: { reason: 'hash-mismatch', seq: 1 } })
      const otherRoot = { ...proofs, checkpoints: proofs.checkpoints.map((c) => ({ ...c, root: 'a'.repeat(64) })) }
      expect(verifyEvidenceProofs(otherRoot, records.map((r) => r.hash))).toMatchObject({ ok: false, error: { reason: 'root-mismatch' } })
    }
    // At least two checkpoints: the one made at completion (up to document.finalised) and the tick's.
    const first = (await flow.call('GET', `/api/contracts/${contractId}/evidence/proofs`, undefined, zhang.token)).body as EvidenceProofs
    expect(first.checkpoints.length).toBeGreaterThanOrEqual(2)
    const finalised = records.find((r) => r.type === 'document.finalised')!
    const downloadedSeq = records.find((r) => r.type === 'document.downloaded')!.seq
    expect(first.proofs.find((p) => p.seq === finalised.seq)!.checkpointId).not.toBe(first.proofs.find((p) => p.seq === downloadedSeq)!.checkpointId)
  })

  it('openssl ts -verify accepts every checkpoint token over its root', async () => {
    const proofs = (await flow.call('GET', `/api/contracts/${contractId}/evidence/proofs`, undefined, li.token)).body as EvidenceProofs
    for (const checkpoint of proofs.checkpoints) expect(await opensslVerifiesCheckpoint(checkpoint)).toContain('Verification: OK')
  })
})

describe('checkpoints', () => {
  it('a tick with nothing new makes no checkpoint; two ticks at once make one', async () => {
    await runEvidenceTick(app.deps)
    const last = await loadLastCheckpoint(app.deps.metadata)
    expect(await runEvidenceTick(app.deps)).toEqual({ leaves: 0 })
    expect((await loadLastCheckpoint(app.deps.metadata))!.n).toBe(last!.n)

    const { id } = await sentContract('并发检查点合同')
    const pending = (await chain(id)).length
    const [a, b] = await Promise.all([runEvidenceTick(app.deps), runEvidenceTick(app.deps)])
    expect([a.leaves, b.leaves].sort((x, y) => x - y)).toEqual([0, pending])
    // Both ticks built the tree; the second lost the claim on the checkpoint number.
    expect(app.logs()).toContain('evidence checkpoint made by another tick')
    const made = (await loadLastCheckpoint(app.deps.metadata))!
    expect(made.n).toBe(last!.n + 1)
    expect(made.placed).toBe(true)
    // The loser deleted at most its own leaf list: the winner's is there (over the same records both lists have one key, which the loser then keeps).
    expect(await (await getEvidenceServices(app.deps)).objects.get(made.leavesKey)).toBeDefined()
    expect(made.checkpoint.treeSize).toBe(pending)
    expect(await runEvidenceTick(app.deps)).toEqual({ leaves: 0 })
    // Every record of the contract sits in that one checkpoint, once.
    const proofs = (await flow.call('GET', `/api/contracts/${id}/evidence/proofs`, undefined, zhang.token)).body as EvidenceProofs
    expect(proofs.checkpoints.map((c) => c.id)).toEqual([made.checkpoint.id])
    expect(new Set(proofs.proofs.map((p) => p.leafIndex)).size).toBe(pending)
    expect(verifyEvidenceProofs(proofs, (await chain(id)).map((r) => r.hash), { requireAll: true }).ok).toBe(true)
    expect(await opensslVerifiesCheckpoint(made.checkpoint)).toContain('Verification: OK')
  })

  it('places the records batch by batch; a record placed meanwhile (a stale index read) keeps its place, the others of its batch are placed one by one', async () => {
    await runEvidenceTick(app.deps)
    let pending = 0
    while (pending <= PLACE_BATCH) pending += (await chain((await sentContract(`批量检查点合同${pending}`)).id)).length
    // The pending index is read, then record 3 is placed by someone else before the checkpoint places it.
    const real = app.deps.metadata
    const listed: Array<{ pk: string; sk: string }> = []
    const stale = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'queryIndex') return Reflect.get(target, prop, receiver) as unknown
        return async (...args: Parameters<MetadataStore['queryIndex']>) => {
          const page = await target.queryIndex(...args)
          if (!listed.length && page.items.length > 3) {
            listed.push(...page.items.map((i) => ({ pk: i.pk, sk: i.sk })))
            expect((await placeEvidence(target, page.items[3], { checkpointId: 'cp-elsewhere', leafIndex: 0 })).ok).toBe(true)
          }
          return page
        }
      },
    })
    const made = await createCheckpoint({ ...(await getEvidenceServices(app.deps)), metadata: stale })
    if (!made.ok || !made.value.checkpoint) throw new Error('no checkpoint made')
    expect(made.value.leaves).toBe(listed.length)
    expect(listed.length).toBeGreaterThan(PLACE_BATCH)
    const places = await Promise.all(listed.map(async (k) => (await real.get(k.pk, k.sk))?.leaf))
    expect(places[3]).toEqual({ checkpointId: 'cp-elsewhere', leafIndex: 0 })
    places.forEach((leaf, i) => i !== 3 && expect(leaf).toEqual({ checkpointId: made.value.checkpoint!.id, leafIndex: i }))
    expect(app.logs()).toContain('evidence record changed while placing it in a checkpoint')
    expect((await loadLastCheckpoint(real))!.placed).toBe(true)
    expect(await runEvidenceTick(app.deps)).toEqual({ leaves: 0 })
  })

  it('two runs making the same checkpoint over different records: the winner keeps its own leaf list, so its proofs verify', async () => {
    const deps = await getEvidenceServices(app.deps)
    const one = await sentContract('并排检查点合同一')
    // Run A lists the pending records and time-stamps their root, then stops before storing its leaf list…
    let reached!: () => void
    const atPut = new Promise<void>((resolve) => (reached = resolve))
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let keyOfA = ''
    const slowObjects = Object.create(deps.objects, {
      put: {
        value: async (...args: Parameters<typeof deps.objects.put>) => {
          keyOfA = args[0]
          reached()
          await gate
          return deps.objects.put(...args)
        },
      },
    }) as typeof deps.objects
    const a = createCheckpoint({ ...deps, objects: slowObjects })
    await atPut
    // …while more records arrive and run B makes the same checkpoint number over all of them and wins the claim.
    const two = await sentContract('并排检查点合同二')
    const b = await createCheckpoint(deps)
    if (!b.ok || !b.value.checkpoint) throw new Error('run B made no checkpoint')
    release()
    expect(await a).toEqual({ ok: true, value: { leaves: 0 } })
    const winner = (await loadLastCheckpoint(app.deps.metadata))!
    expect(winner.checkpoint.root).toBe(b.value.checkpoint.root)
    // The loser's own leaf list, which nothing references, is deleted; the winner's stays.
    expect(keyOfA).toMatch(/^evidence\/checkpoints\//)
    expect(keyOfA).not.toBe(winner.leavesKey)
    expect(await deps.objects.get(keyOfA)).toBeUndefined()
    expect(await deps.objects.get(winner.leavesKey)).toBeDefined()
    for (const id of [one.id, two.id]) {
      const records = await chain(id)
      const proofs = (await flow.call('GET', `/api/contracts/${id}/evidence/proofs`, undefined, zhang.token)).body as EvidenceProofs
      expect(proofs.proofs.map((p) => p.seq)).toEqual(records.map((r) => r.seq))
      expect(verifyEvidenceProofs(proofs, records.map((r) => r.hash), { requireAll: true })).toEqual({ ok: true, value: { proven: records.length } })
    }
  })

  it('reads a checkpoint\'s leaf list once: later proofs of its records reuse its tree', async () => {
    const { id } = await sentContract('叶子列表合同')
    await runEvidenceTick(app.deps)
    const deps = await getEvidenceServices(app.deps)
    const reads: string[] = []
    const counting = Object.create(deps.objects, {
      get: {
        value: async (key: string) => {
          reads.push(key)
          return deps.objects.get(key)
        },
      },
    }) as typeof deps.objects
    const first = await getEvidenceProofs({ ...deps, objects: counting }, { contractId: id })
    const second = await getEvidenceProofs({ ...deps, objects: counting }, { contractId: id })
    expect(first.checkpoints.length).toBeGreaterThanOrEqual(1)
    expect(second).toEqual(first)
    expect(reads.filter((k) => k.startsWith('evidence/checkpoints/'))).toHaveLength(first.checkpoints.length)
    const records = await chain(id)
    expect(verifyEvidenceProofs(second, records.map((r) => r.hash), { requireAll: true })).toEqual({ ok: true, value: { proven: records.length } })
  })

  it('hands each new root to the Anchor port and keeps its receipt', async () => {
    const calls: Parameters<Anchor['anchor']>[0][] = []
    const recording: Anchor = {
      anchor: async (input) => {
        calls.push(input)
        return { receipt: `ledger-tx-${input.checkpointId}` }
      },
    }
    await sentContract('锚定合同')
    const made = await createCheckpoint({ ...(await getEvidenceServices(app.deps)), anchor: recording })
    if (!made.ok || !made.value.checkpoint) throw new Error('no checkpoint made')
    const checkpoint = made.value.checkpoint
    expect(calls).toHaveLength(1)
    expect(Buffer.from(calls[0].root).toString('hex')).toBe(checkpoint.root)
    expect(calls[0]).toMatchObject({ checkpointId: checkpoint.id, treeSize: checkpoint.treeSize })
    expect(calls[0].at.toISOString()).toBe(checkpoint.at)
    expect((await loadLastCheckpoint(app.deps.metadata))!.checkpoint.anchorReceipt).toBe(`ledger-tx-${checkpoint.id}`)
    // Nothing new: the anchor is not called again.
    await createCheckpoint({ ...(await getEvidenceServices(app.deps)), anchor: recording })
    expect(calls).toHaveLength(1)
  })
})

describe('checkpoints at completion', () => {
  it('completions at the same moment share the checkpoint runs, and every record up to document.finalised of each is proven without a tick', async () => {
    const signers = await Promise.all([0, 1, 2, 3].map((i) => flow.verifiedPerson(`并发${'甲乙丙丁'[i]}`, `1390000201${i}`, 31 + i)))
    const ids: string[] = []
    for (const [i, signer] of signers.entries()) ids.push((await sentContract(`同时完成合同 ${i}`, signer)).id)
    const before = (await loadLastCheckpoint(app.deps.metadata))?.n ?? 0
    const lost = (): number => app.logs().split('evidence checkpoint made by another tick').length - 1
    const lostBefore = lost()

    const signed = await Promise.all(ids.map((id, i) => flow.sign(signers[i]!, id, 'B')))
    expect(signed.map((s) => [s.status, s.body.contract.status])).toEqual(ids.map(() => [200, 'completed']))

    // No tick runs here: the runs started by the completions alone must place every record up to each contract's document.finalised.
    const unproven = async (id: string, token: string): Promise<number> => {
      const records = await chain(id)
      const last = records.find((r) => r.type === 'document.finalised')!.seq
      const proofs = (await flow.call('GET', `/api/contracts/${id}/evidence/proofs`, undefined, token)).body as EvidenceProofs
      const proven = new Set(proofs.proofs.map((p) => p.seq))
      return records.filter((r) => r.seq <= last && !proven.has(r.seq)).length
    }
    for (let i = 0; i < ids.length; i++) {
      let left = await unproven(ids[i]!, signers[i]!.token)
      for (let wait = 0; left > 0 && wait < 100; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        left = await unproven(ids[i]!, signers[i]!.token)
      }
      expect([ids[i], left]).toEqual([ids[i], 0])
    }
    // Shared runs: at most one checkpoint per completion, and none lost to another run of this process.
    const after = (await loadLastCheckpoint(app.deps.metadata))!.n
    expect(after - before).toBeGreaterThanOrEqual(1)
    expect(after - before).toBeLessThanOrEqual(ids.length)
    expect(lost()).toBe(lostBefore)
  })
})
