/**
 * Contract management over HTTP against the real local server (issue 14, "Management" and "Page
 * images"): the lists (boxes, filters, search, archived, cursor pages), the home page counts, the
 * timeline, archiving, page images (rendered on the CPU pool, cached in the object store, judged
 * against pdftoppm) and the signatures on the pages with their certificates.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { LIST_SCAN_LIMIT } from '../../cloud-functions/use-cases/contracts/list-contracts'
import { pageImageObjectKey } from '../../cloud-functions/use-cases/contracts/records'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { seedContract } from '../support/seed-contract'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(300_000)

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'pdf', 'labor-libreoffice.pdf')
const DIFF_SCRIPT = path.join(__dirname, '..', 'support', 'page-image-diff.mjs')
const DAY = 86400_000

let app: TestApp
let flow: ReturnType<typeof contractFlow>
let zhang: Person
let li: Person
let wang: Person
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-mgmt-'))

/** The contracts of the scenario, by name. */
const ids: Record<string, string> = {}

type PartySpec = { partyId: string; who: Person }
async function create(sender: Person, title: string, parties: PartySpec[], o: { deadlineInDays?: number; pdf?: Uint8Array; send?: boolean; page?: number } = {}): Promise<string> {
  const documentId = await flow.upload(sender.token, o.pdf ?? (await makePdf('Qianyue management test', 2)))
  const r = await flow.call('POST', '/api/contracts', {
    title,
    documentId,
    parties: parties.map((p) => ({ partyId: p.partyId, role: 'signer', kind: 'person', name: p.who.name, phone: p.who.phone })),
    order: parties.map((p) => [p.partyId]),
    fields: parties.map((p, i) => ({ fieldId: `s${p.partyId}`, partyId: p.partyId, kind: 'signature', page: o.page ?? 1, rect: slot(i) })),
    deadline: new Date(Date.now() + (o.deadlineInDays ?? 7) * DAY).toISOString(),
  }, sender.token)
  if (r.status !== 201) throw new Error(`create: ${JSON.stringify(r.body)}`)
  if (o.send !== false) {
    const sent = await flow.call('POST', `/api/contracts/${r.body.contractId}/send`, undefined, sender.token)
    if (sent.status !== 200) throw new Error(`send: ${JSON.stringify(sent.body)}`)
  }
  return r.body.contractId
}

const list = async (who: Person, query = '') => flow.call('GET', `/api/contracts${query ? `?${query}` : ''}`, undefined, who.token)
const titles = async (who: Person, query = '') => {
  const r = await list(who, query)
  expect(r.status).toBe(200)
  return (r.body.items as Array<{ title: string }>).map((i) => i.title)
}

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
  zhang = await flow.verifiedPerson('张明', '13900002001', 11)
  li = await flow.verifiedPerson('李华', '13900002002', 12)
  wang = await flow.verifiedPerson('王芳', '13900002003', 13)

  // 张明 sends everything. Oldest first:
  ids.lease = await create(zhang, '房屋租赁合同', [{ partyId: 'A', who: zhang }, { partyId: 'B', who: li }]) // 张明's turn, then 李华
  ids.purchase = await create(zhang, '采购合同', [{ partyId: 'B', who: li }], { deadlineInDays: 2 }) // 李华's turn, deadline soon
  ids.labor = await create(zhang, '劳动合同', [{ partyId: 'B', who: li }], { pdf: fs.readFileSync(FIXTURE), page: 0 }) // 李华 signs (on the Chinese first page) below → completed
  ids.service = await create(zhang, '服务协议', [{ partyId: 'B', who: li }]) // 李华 declines below
  ids.draft = await create(zhang, '保密协议草稿', [{ partyId: 'B', who: li }], { send: false })
  const signed = await flow.sign(li, ids.labor, 'B')
  expect(signed.body).toMatchObject({ status: 'signed', contract: { status: 'completed' } })
  const declined = await flow.call('POST', `/api/contracts/${ids.service}/decline`, { reason: '报价过高' }, li.token)
  expect(declined.status).toBe(200)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('GET /api/contracts', () => {
  it('lists sent and received contracts newest first, in the boxes 待我签署 / 待他人签署 / 已完成 / 全部', async () => {
    expect(await titles(zhang)).toEqual(['保密协议草稿', '服务协议', '劳动合同', '采购合同', '房屋租赁合同'])
    expect(await titles(zhang, 'box=todo')).toEqual(['房屋租赁合同'])
    expect(await titles(zhang, 'box=waiting')).toEqual(['采购合同'])
    expect(await titles(zhang, 'box=completed')).toEqual(['劳动合同'])
    // 李华 received them: the draft is not shown to a party; 房屋租赁合同 waits for 张明 first.
    expect(await titles(li)).toEqual(['服务协议', '劳动合同', '采购合同', '房屋租赁合同'])
    expect(await titles(li, 'box=todo')).toEqual(['采购合同'])
    expect(await titles(li, 'box=waiting')).toEqual([])
    expect(await titles(li, 'box=completed')).toEqual(['劳动合同'])
    expect(await titles(wang)).toEqual([])

    const row = (await list(li, 'box=todo')).body.items[0]
    expect(row).toMatchObject({ contractId: ids.purchase, status: 'sent', senderName: '张明', myTurn: true, isSender: false, signedCount: 0, signerCount: 1, parties: [{ name: '李华', role: 'signer', status: 'notified' }] })
  })

  it('filters by status, party name, created and deadline ranges, and searches the title and the parties', async () => {
    expect(await titles(zhang, 'status=declined')).toEqual(['服务协议'])
    expect(await titles(zhang, 'status=draft')).toEqual(['保密协议草稿'])
    expect(await titles(zhang, `q=${encodeURIComponent('租赁')}`)).toEqual(['房屋租赁合同'])
    expect(await titles(zhang, `q=${encodeURIComponent('张明')}`)).toEqual(['房屋租赁合同'])
    expect(await titles(zhang, `party=${encodeURIComponent('李')}&status=sent`)).toEqual(['采购合同', '房屋租赁合同'])
    const soon = new Date(Date.now() + 3 * DAY).toISOString()
    expect(await titles(zhang, `deadlineTo=${encodeURIComponent(soon)}`)).toEqual(['采购合同'])
    expect(await titles(zhang, `deadlineFrom=${encodeURIComponent(soon)}&box=waiting`)).toEqual([])
    const future = new Date(Date.now() + DAY).toISOString()
    expect(await titles(zhang, `createdFrom=${encodeURIComponent(future)}`)).toEqual([])
    expect(await titles(zhang, `createdTo=${encodeURIComponent(future)}&status=completed`)).toEqual(['劳动合同'])
  })

  it('pages with an opaque cursor: every contract once, in order, unshaken by a contract created meanwhile', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const r = await list(zhang, `limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(r.status).toBe(200)
      expect(r.body.items.length).toBeLessThanOrEqual(2)
      seen.push(...r.body.items.map((i: { title: string }) => i.title))
      cursor = r.body.next
      if (pages++ === 0) await create(zhang, '新建的合同', [{ partyId: 'B', who: wang }], { send: false }) // newer than every cursor
    } while (cursor && pages < 10)
    expect(seen).toEqual(['保密协议草稿', '服务协议', '劳动合同', '采购合同', '房屋租赁合同'])
    expect(await titles(zhang, 'limit=1')).toEqual(['新建的合同'])
  })

  it('refuses bad query values (400 VALIDATION_FAILED) and a cursor it did not make', async () => {
    for (const query of ['box=inbox', 'status=signed', 'limit=0', 'limit=51', 'limit=abc', 'archived=yes', 'createdFrom=yesterday', 'color=red', 'cursor=not-a-cursor', `cursor=${Buffer.from('c1:2026-01-01T00:00:00.000Z#x y').toString('base64url')}`]) {
      const r = await list(zhang, query)
      expect([query, r.status, r.body.error?.code]).toEqual([query, 400, 'VALIDATION_FAILED'])
    }
    const named = await list(zhang, 'color=red&limit=99')
    expect(named.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['color', 'limit'])
  })
})

describe('GET /api/contracts/counts', () => {
  it('counts 待我签署, 待他人签署, 即将截止 and 已完成 for each caller', async () => {
    const z = await flow.call('GET', '/api/contracts/counts', undefined, zhang.token)
    expect(z.status).toBe(200)
    expect(z.body).toEqual({ toSign: 1, waitingForOthers: 1, expiringSoon: 1, completed: 1 })
    expect((await flow.call('GET', '/api/contracts/counts', undefined, li.token)).body).toEqual({ toSign: 1, waitingForOthers: 0, expiringSoon: 1, completed: 1 })
    expect((await flow.call('GET', '/api/contracts/counts', undefined, wang.token)).body).toEqual({ toSign: 0, waitingForOthers: 0, expiringSoon: 0, completed: 0 })
  })
})

describe('GET /api/contracts/{id}/timeline', () => {
  it('tells the story in Chinese, creation first, with the parties named', async () => {
    const r = await flow.call('GET', `/api/contracts/${ids.labor}/timeline`, undefined, li.token)
    expect(r.status).toBe(200)
    expect(r.body.items.map((e: { type: string; text: string }) => [e.type, e.text])).toEqual([
      ['ContractCreated', '张明 创建了合同'],
      ['ContractSent', '合同已发送'],
      ['SignerNotified', '已通知 李华 签署'],
      ['SignerViewed', '李华 已查看合同'],
      ['SignerSigned', '李华 已签署'],
      ['ContractCompleted', '所有签署方已签署，合同已完成'],
    ])
    const signedEntry = r.body.items.find((e: { type: string }) => e.type === 'SignerSigned')
    expect(signedEntry).toMatchObject({ partyName: '李华', documentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const times = r.body.items.map((e: { at: string }) => Date.parse(e.at))
    expect([...times].sort((a, b) => a - b)).toEqual(times)

    const declined = await flow.call('GET', `/api/contracts/${ids.service}/timeline`, undefined, zhang.token)
    expect(declined.body.items.map((e: { text: string }) => e.text)).toContain('李华 拒签：报价过高')
    expect(declined.body.items.find((e: { type: string }) => e.type === 'SignerDeclined')).toMatchObject({ partyName: '李华', reason: '报价过高' })
  })

  it('is 404 for anyone but the sender and the parties', async () => {
    const r = await flow.call('GET', `/api/contracts/${ids.labor}/timeline`, undefined, wang.token)
    expect(r.status).toBe(404)
    expect(r.body.error.code).toBe('CONTRACT_NOT_FOUND')
  })
})

describe('POST /api/contracts/{id}/archive', () => {
  it("archives for the caller only, idempotently, and takes it back out", async () => {
    const archive = (archived: boolean) => flow.call('POST', `/api/contracts/${ids.labor}/archive`, { archived }, li.token)
    const first = await archive(true)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ contractId: ids.labor, archived: true, status: 'completed' })
    expect((await archive(true)).body.archived).toBe(true)
    expect((await flow.call('GET', `/api/contracts/${ids.labor}`, undefined, li.token)).body.archived).toBe(true)
    expect(await titles(li)).toEqual(['服务协议', '采购合同', '房屋租赁合同'])
    expect(await titles(li, 'archived=true')).toEqual(['劳动合同'])
    expect((await flow.call('GET', '/api/contracts/counts', undefined, li.token)).body.completed).toBe(0)
    // 张明 did not archive it.
    expect(await titles(zhang, 'box=completed')).toEqual(['劳动合同'])
    expect((await flow.call('GET', `/api/contracts/${ids.labor}`, undefined, zhang.token)).body.archived).toBe(false)

    const back = await archive(false)
    expect(back.body.archived).toBe(false)
    expect((await archive(false)).status).toBe(200)
    expect(await titles(li, 'archived=true')).toEqual([])
    expect(await titles(li, 'box=completed')).toEqual(['劳动合同'])
  })

  it('refuses a stranger (404) and a bad body (400), changing nothing', async () => {
    const stranger = await flow.call('POST', `/api/contracts/${ids.labor}/archive`, { archived: true }, wang.token)
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    const bad = await flow.call('POST', `/api/contracts/${ids.labor}/archive`, { archived: 'yes' }, li.token)
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect(await titles(li, 'archived=true')).toEqual([])
  })
})

describe('GET /api/contracts/{id}/pages/{page}', () => {
  const png = async (who: Person, id: string, page: number | string, width?: number | string) => {
    const res = await fetch(`${app.url}/api/contracts/${id}/pages/${page}${width !== undefined ? `?width=${width}` : ''}`, { headers: { authorization: `Bearer ${who.token}` } })
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) }
  }
  const size = (b: Buffer) => ({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) })

  it('renders the current revision at the requested width and page aspect, caches it in the object store and serves it from there', async () => {
    const view = (await flow.call('GET', `/api/contracts/${ids.labor}`, undefined, li.token)).body
    const sha = view.document.latestSha256 as string
    const key = pageImageObjectKey(ids.labor, sha, 1, 400)
    expect(await app.deps.objects.get(key)).toBeUndefined()

    const first = await png(li, ids.labor, 1, 400)
    expect(first.status).toBe(200)
    expect(first.type).toBe('image/png')
    expect(first.bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(size(first.bytes)).toEqual({ width: 400, height: Math.round((400 * view.pages[1].height) / view.pages[1].width) })
    const stored = await app.deps.objects.get(key)
    expect(Buffer.from(stored!)).toEqual(first.bytes)

    // A second request is the stored object: replace it, and the server answers with the replacement (nothing re-rendered).
    const marker = Buffer.concat([first.bytes.subarray(0, 33), Buffer.from('cached-copy')])
    await app.deps.objects.put(key, marker, { contentType: 'image/png' })
    expect((await png(zhang, ids.labor, 1, 400)).bytes).toEqual(marker)
    await app.deps.objects.put(key, first.bytes, { contentType: 'image/png' })
  })

  it('agrees with pdftoppm on the signed Chinese page (the seal appearance included)', async () => {
    const pdf = path.join(tmp, 'labor-signed.pdf')
    fs.writeFileSync(pdf, await flow.download(li.token, ids.labor))
    const image = await png(li, ids.labor, 0, 800)
    expect(image.status).toBe(200)
    const { width, height } = size(image.bytes)
    const candidate = path.join(tmp, 'candidate.png')
    fs.writeFileSync(candidate, image.bytes)
    const prefix = path.join(tmp, 'reference')
    execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-cropbox', '-scale-to-x', String(width), '-scale-to-y', String(height), '-png', '-singlefile', pdf, prefix])
    const r = spawnSync('node', [DIFF_SCRIPT, candidate, `${prefix}.png`], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    const verdict = JSON.parse(r.stdout) as { blocks: number; sizeMismatch?: number[]; controls: { blank: number; shifted: number } }
    const limit = Math.min(0.02, verdict.controls.blank / 3) // as test/adapters/pdfium-page-renderer.test.ts
    expect(verdict.sizeMismatch).toBeUndefined()
    expect(verdict.controls.blank).toBeGreaterThanOrEqual(0.01) // ink enough for the judge to mean something
    expect(verdict.controls.shifted).toBeGreaterThan(limit) // the judge fails a render 4 px off
    expect(verdict.blocks).toBeLessThanOrEqual(limit)
  })

  it('makes widths of whole hundreds only, so no caller can fill the store with one image per pixel width', async () => {
    const view = (await flow.call('GET', `/api/contracts/${ids.labor}`, undefined, li.token)).body
    const sha = view.document.latestSha256 as string
    for (const asked of [401, 450, 499, 500]) {
      const image = await png(li, ids.labor, 0, asked)
      expect([asked, image.status, size(image.bytes).width]).toEqual([asked, 200, 500])
    }
    expect(await app.deps.objects.get(pageImageObjectKey(ids.labor, sha, 0, 500))).toBeDefined()
    expect(await app.deps.objects.get(pageImageObjectKey(ids.labor, sha, 0, 401))).toBeUndefined()
    const widths = (await app.deps.objects.list(`contracts/${ids.labor}/pages/${sha}-0-`)).map((k) => Number(/-(\d+)\.png$/.exec(k)![1]))
    expect(widths.every((w) => w % 100 === 0)).toBe(true)
  })

  it('before sending, renders the uploaded original', async () => {
    const view = (await flow.call('GET', `/api/contracts/${ids.draft}`, undefined, zhang.token)).body
    expect(view.document.latestSha256).toBeUndefined()
    const image = await png(zhang, ids.draft, 0, 300)
    expect(image.status).toBe(200)
    expect(size(image.bytes)).toEqual({ width: 300, height: Math.round((300 * 842) / 595) })
    expect(await app.deps.objects.get(pageImageObjectKey(ids.draft, view.document.originalSha256, 0, 300))).toBeDefined()
  })

  it('refuses a page out of range, a bad width, a stranger and an unknown contract', async () => {
    const cases: Array<[Person, string, number | string, number | string | undefined, number, string]> = [
      [li, ids.labor, 2, 400, 400, 'PAGE_OUT_OF_RANGE'],
      [zhang, ids.draft, 5, 400, 400, 'PAGE_OUT_OF_RANGE'],
      [li, ids.labor, 'abc', 400, 400, 'PAGE_OUT_OF_RANGE'],
      [li, ids.labor, '-1', 400, 400, 'PAGE_OUT_OF_RANGE'],
      [li, ids.labor, 0, 50, 400, 'RENDER_WIDTH_INVALID'],
      [li, ids.labor, 0, 2001, 400, 'RENDER_WIDTH_INVALID'],
      [li, ids.labor, 0, 'wide', 400, 'RENDER_WIDTH_INVALID'],
      [wang, ids.labor, 0, 400, 404, 'CONTRACT_NOT_FOUND'],
      [li, 'no-such-contract', 0, 400, 404, 'CONTRACT_NOT_FOUND'],
    ]
    for (const [who, id, page, width, status, code] of cases) {
      const res = await fetch(`${app.url}/api/contracts/${id}/pages/${page}?width=${width}`, { headers: { authorization: `Bearer ${who.token}` } })
      const body = (await res.json()) as { error: { code: string } }
      expect([page, width, res.status, body.error.code]).toEqual([page, width, status, code])
    }
  })
})

describe('GET /api/contracts/{id}/signatures', () => {
  it("shows each signature's place on the page, its certificate and its verification result", async () => {
    const view = (await flow.call('GET', `/api/contracts/${ids.labor}`, undefined, zhang.token)).body
    const r = await flow.call('GET', `/api/contracts/${ids.labor}/signatures`, undefined, zhang.token)
    expect(r.status).toBe(200)
    expect(r.body.documentSha256).toBe(view.document.latestSha256)
    expect(r.body.signatures).toHaveLength(1) // the completion revision's document time-stamp is not on a page
    const s = r.body.signatures[0]
    expect(s).toMatchObject({
      fieldName: 'qy_sig_B',
      signerName: '李华',
      verdict: 'valid',
      summary: expect.stringContaining('签名有效'),
      signingTime: expect.any(String),
      certificate: { subject: expect.stringContaining('李华'), issuer: expect.any(String), serialNumber: expect.stringMatching(/^[0-9a-fA-F]+$/), notBefore: expect.any(String), notAfter: expect.any(String) },
    })
    expect(Date.parse(s.certificate.notBefore)).toBeLessThan(Date.parse(s.certificate.notAfter))
    expect(s.widgets).toHaveLength(1)
    expect(s.widgets[0].page).toBe(0)
    const field = view.fields.find((f: { fieldId: string }) => f.fieldId === 'sB')
    s.widgets[0].rect.forEach((v: number, i: number) => expect(v).toBeCloseTo(field.rect[i], 1))
  })

  it('lists none before anyone signed, and is 404 for a stranger or an unknown contract', async () => {
    const none = await flow.call('GET', `/api/contracts/${ids.lease}/signatures`, undefined, li.token)
    expect(none.status).toBe(200)
    expect(none.body.signatures).toEqual([])
    for (const [who, id] of [[wang, ids.labor], [zhang, 'nope']] as const) {
      const r = await flow.call('GET', `/api/contracts/${id}/signatures`, undefined, who.token)
      expect([r.status, r.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    }
  })
})

describe('unknown contracts', () => {
  it('answer 404 CONTRACT_NOT_FOUND on every management route', async () => {
    for (const [method, p, body] of [
      ['GET', '/api/contracts/unknown-1/timeline', undefined],
      ['POST', '/api/contracts/unknown-1/archive', { archived: true }],
      ['GET', '/api/contracts/unknown-1/signatures', undefined],
      ['GET', '/api/contracts/unknown-1/pages/0', undefined],
      ['GET', '/api/contracts/unknown-1/pdf', undefined],
    ] as const) {
      const r = await flow.call(method, p, body, zhang.token)
      expect([p, r.status, r.body.error?.code]).toEqual([p, 404, 'CONTRACT_NOT_FOUND'])
    }
  })
})

describe('bounded work per list call', () => {
  it(`looks at ${LIST_SCAN_LIMIT} contracts per call at most: a sparse filter answers short pages with next until it finds the match`, async () => {
    const { token, userId } = await flow.login('13900002009')
    const t0 = Date.now() - 10 * DAY
    await seedContract(app.deps, { contractId: 'bounded-old', status: 'completed', parties: [{ signerId: 'A', role: 'signer' }], createdBy: userId, now: new Date(t0) })
    const newer = Math.round(LIST_SCAN_LIMIT * 2.5)
    for (let i = 1; i <= newer; i++) await seedContract(app.deps, { contractId: `bounded-${i}`, status: 'sent', parties: [{ signerId: 'A', role: 'signer' }], createdBy: userId, now: new Date(t0 + i * 1000) })

    const calls: number[] = []
    let found: string[] = []
    let cursor: string | undefined
    do {
      const r = await flow.call('GET', `/api/contracts?box=completed&limit=5${cursor ? `&cursor=${cursor}` : ''}`, undefined, token)
      expect(r.status).toBe(200)
      calls.push(r.body.items.length)
      found = found.concat(r.body.items.map((i: { contractId: string }) => i.contractId))
      cursor = r.body.next
    } while (cursor && calls.length < 10)
    expect(found).toEqual(['bounded-old'])
    expect(calls).toEqual([0, 0, 1]) // 250 newer contracts: 100 + 100 looked at in vain, then the last 50 and the match
    // Unfiltered, the same 251 contracts come 50 at a time, each once.
    const all: string[] = []
    cursor = undefined
    do {
      const r = await flow.call('GET', `/api/contracts?limit=50${cursor ? `&cursor=${cursor}` : ''}`, undefined, token)
      all.push(...r.body.items.map((i: { contractId: string }) => i.contractId))
      cursor = r.body.next
    } while (cursor && all.length < 1000)
    expect(all).toHaveLength(newer + 1)
    expect(new Set(all).size).toBe(newer + 1)
    expect(all[0]).toBe(`bounded-${newer}`)
    expect(all[newer]).toBe('bounded-old')
  })
})
