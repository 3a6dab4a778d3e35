/**
 * Bad input on the contract routes gets a clear error and changes nothing (issue 14, "Bad input"),
 * over HTTP against the real local server: unknown contract or not a party → 404 (never revealing
 * that it exists), out of turn → 409 NOT_YOUR_TURN, an intent proof of another contract or signer →
 * 403 INTENT_PROOF_INVALID (the contract exactly as it was, and signing again works), fields off the
 * page, overlapping, or over a signed area of an already-signed upload → 400 at send, not a PDF →
 * 400/415, too large → 413 with the limit.
 */
import fs from 'node:fs'
import { loadContractItem } from '../../cloud-functions/use-cases/contracts/records'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(300_000)

/** A small body limit, so "too large" is quick to provoke. */
const MAX_BODY_BYTES = 1024 * 1024
let app: TestApp
let flow: ReturnType<typeof contractFlow>
let sender: Person
let a: Person
let b: Person
let stranger: Person
const tmp = tempDir('contracts-bad-input-')
const days = (n: number) => new Date(Date.now() + n * 86400_000).toISOString()

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  app = await startTestApp({ ESIGN_MAX_BODY_BYTES: String(MAX_BODY_BYTES) })
  flow = contractFlow(app)
  ;[sender, a, b, stranger] = await Promise.all([
    flow.verifiedPerson('卫发起', '13900009001', 91),
    flow.verifiedPerson('蒋签甲', '13900009002', 92),
    flow.verifiedPerson('沈签乙', '13900009003', 93),
    flow.verifiedPerson('韩旁人', '13900009004', 94),
  ])
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

type FieldSpec = Record<string, unknown>
async function draft(o: { order: string[][]; fields: FieldSpec[]; documentId?: string; pages?: number }): Promise<string> {
  const documentId = o.documentId ?? (await flow.upload(sender.token, await makePdf('Bad input', o.pages ?? 1)))
  const created = await flow.call('POST', '/api/contracts', {
    title: '测试合同',
    documentId,
    parties: [
      { partyId: 'A', role: 'signer', kind: 'person', name: a.name, phone: a.phone },
      { partyId: 'B', role: 'signer', kind: 'person', name: b.name, phone: b.phone },
    ],
    order: o.order,
    fields: o.fields,
    deadline: days(5),
  }, sender.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  return created.body.contractId
}
const twoSignatures = (rectA = slot(0), rectB = slot(1)): FieldSpec[] => [
  { fieldId: 'sa', partyId: 'A', kind: 'signature', page: 0, rect: rectA },
  { fieldId: 'sb', partyId: 'B', kind: 'signature', page: 0, rect: rectB },
]
async function sent(order: string[][]): Promise<string> {
  const id = await draft({ order, fields: twoSignatures() })
  expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
  return id
}
/** What a failed call must leave untouched: the record's version and the document hashes. */
async function snapshot(id: string) {
  const item = await loadContractItem(app.deps.metadata, id)
  return { version: item?.version, status: item?.contract.status, document: item?.contract.document, signers: item?.contract.signers }
}

describe('unknown contract, or not a party → 404 that reveals nothing', () => {
  it('answers the same for an unknown id and for a contract of others', async () => {
    const id = await sent([['A'], ['B']])
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['POST', '/view', undefined],
      ['POST', '/sign', { intentProofId: 'proof-x', signatureId: 'sig-x' }],
      ['POST', '/decline', { reason: '不同意' }],
      ['POST', '/revoke', { reason: '撤销' }],
      ['POST', '/send', undefined],
    ] as const) {
      const unknown = await flow.call(method, `/api/contracts/01NOSUCHCONTRACT0000000000${path}`, body, stranger.token)
      const others = await flow.call(method, `/api/contracts/${id}${path}`, body, stranger.token)
      expect([others.status, others.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
      expect(others.body).toEqual(unknown.body)
    }
    // Nor can a stranger start intent verification (意愿认证) as one of its signers.
    const intent = { signerId: 'A', documentHash: 'a'.repeat(64) }
    const intentOthers = await flow.call('POST', '/api/signing/intent/sms-codes', { ...intent, contractId: id }, stranger.token)
    const intentUnknown = await flow.call('POST', '/api/signing/intent/sms-codes', { ...intent, contractId: '01NOSUCHCONTRACT0000000000' }, stranger.token)
    expect([intentOthers.status, intentOthers.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    expect(intentOthers.body).toEqual(intentUnknown.body)
    const pdf = await fetch(`${app.url}/api/contracts/${id}/pdf`, { headers: { authorization: `Bearer ${stranger.token}` } })
    expect(pdf.status).toBe(404)
    const malformed = await flow.call('GET', '/api/contracts/bad%20id!', undefined, stranger.token)
    expect(malformed.status).toBe(404)
  })
})

describe('a draft: only its sender edits and sends it, once', () => {
  it('a draft is its sender\'s alone: a party or a stranger signing, editing or sending it → 404; sending twice or editing after → 409 CONTRACT_ALREADY_SENT', async () => {
    const documentId = await flow.upload(sender.token, await makePdf('Draft', 1))
    const body = {
      title: '草稿合同',
      documentId,
      parties: [
        { partyId: 'A', role: 'signer', kind: 'person', name: a.name, phone: a.phone },
        { partyId: 'B', role: 'signer', kind: 'person', name: b.name, phone: b.phone },
      ],
      order: [['A'], ['B']],
      fields: twoSignatures(),
      deadline: days(5),
    }
    const id = (await flow.call('POST', '/api/contracts', body, sender.token)).body.contractId as string
    // Parties learn of a contract when it is sent: until then it does not exist for them.
    const early = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'proof-x', signatureId: 'sig-x' }, a.token)
    expect([early.status, early.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    const byParty = await flow.call('PUT', `/api/contracts/${id}`, { ...body, title: '改名' }, a.token)
    expect([byParty.status, byParty.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    const byStranger = await flow.call('PUT', `/api/contracts/${id}`, { ...body, title: '改名' }, stranger.token)
    expect([byStranger.status, byStranger.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    const sendByParty = await flow.call('POST', `/api/contracts/${id}/send`, undefined, a.token)
    expect([sendByParty.status, sendByParty.body.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND'])
    // The sender signing before sending: not sent yet.
    const bySender = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'proof-x', signatureId: 'sig-x' }, sender.token)
    expect([bySender.status, bySender.body.error.code]).toEqual([403, 'FORBIDDEN'])
    const before = await snapshot(id)
    expect(before.status).toBe('draft')

    expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
    const sent = await snapshot(id)
    const twice = await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)
    expect([twice.status, twice.body.error.code]).toEqual([409, 'CONTRACT_ALREADY_SENT'])
    const edit = await flow.call('PUT', `/api/contracts/${id}`, { ...body, title: '改名' }, sender.token)
    expect([edit.status, edit.body.error.code]).toEqual([409, 'CONTRACT_ALREADY_SENT'])
    expect(await snapshot(id)).toEqual(sent)
  })
})

describe('signing out of turn, with the wrong intent proof, or after the end', () => {
  let x: string
  let y: string
  it('out of turn → 409 NOT_YOUR_TURN', async () => {
    x = await sent([['A', 'B']])
    y = await sent([['B'], ['A']])
    const before = await snapshot(y)
    const early = await flow.call('POST', `/api/contracts/${y}/sign`, { intentProofId: 'proof-x', signatureId: 'sig-x' }, a.token)
    expect([early.status, early.body.error.code, early.body.error.details]).toEqual([409, 'NOT_YOUR_TURN', { waitingFor: ['B'] }])
    expect(await snapshot(y)).toEqual(before)
  })

  it('an intent proof for another contract or another signer → 403 INTENT_PROOF_INVALID, nothing changes, and signing again works', async () => {
    const proofA = await flow.confirmIntent(a, x, 'A')
    const proofB = await flow.confirmIntent(b, x, 'B')
    const sealA = await flow.personalSeal(a)
    const beforeX = await snapshot(x)
    const beforeY = await snapshot(y)
    // B's turn on y, with B's proof for x.
    const otherContract = await flow.call('POST', `/api/contracts/${y}/sign`, { intentProofId: proofB, signatureId: await flow.personalSeal(b) }, b.token)
    expect([otherContract.status, otherContract.body.error.code]).toEqual([403, 'INTENT_PROOF_INVALID'])
    const otherSigner = await flow.call('POST', `/api/contracts/${x}/sign`, { intentProofId: proofB, signatureId: sealA }, a.token)
    expect([otherSigner.status, otherSigner.body.error.code]).toEqual([403, 'INTENT_PROOF_INVALID'])
    const madeUp = await flow.call('POST', `/api/contracts/${x}/sign`, { intentProofId: 'no-such-proof', signatureId: sealA }, a.token)
    expect([madeUp.status, madeUp.body.error.code]).toEqual([403, 'INTENT_PROOF_INVALID'])
    // Someone else's signature image is not the caller's.
    const notMine = await flow.call('POST', `/api/contracts/${x}/sign`, { intentProofId: proofA, signatureId: await flow.personalSeal(b) }, a.token)
    expect([notMine.status, notMine.body.error.code]).toEqual([404, 'SIGNATURE_NOT_FOUND'])
    expect(await snapshot(x)).toEqual(beforeX)
    expect(await snapshot(y)).toEqual(beforeY)

    const ok = await flow.call('POST', `/api/contracts/${x}/sign`, { intentProofId: proofA, signatureId: sealA }, a.token)
    expect([ok.status, ok.body.status]).toEqual([200, 'signed'])
    // The proof was used once: a second sign with it is refused (the party has signed).
    const twice = await flow.call('POST', `/api/contracts/${x}/sign`, { intentProofId: proofA, signatureId: sealA }, a.token)
    expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_SIGNED'])
    const okB = await flow.call('POST', `/api/contracts/${x}/sign`, { intentProofId: proofB, signatureId: await flow.personalSeal(b) }, b.token)
    expect(okB.body).toMatchObject({ status: 'signed', contract: { status: 'completed' } })
    expectJudgedValid(judgeContractPdf(await flow.download(a.token, x), { dir: tmp, name: 'after-failures', dataDir: app.dataDir }), { signed: 2, completed: true })
  })

  it('after a terminal state → 409 CONTRACT_CLOSED for sign, decline and revoke', async () => {
    const sign = await flow.call('POST', `/api/contracts/${x}/sign`, { intentProofId: 'proof-x', signatureId: 'sig-x' }, b.token)
    expect([sign.status, sign.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
    const decline = await flow.call('POST', `/api/contracts/${x}/decline`, { reason: '晚了' }, a.token)
    expect([decline.status, decline.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
    const revoke = await flow.call('POST', `/api/contracts/${x}/revoke`, { reason: '晚了' }, sender.token)
    expect([revoke.status, revoke.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
  })

  it('fields over a signed area of an already-signed upload → 400 FIELD_OVERLAPS_SIGNED_AREA at send; the draft stays a draft', async () => {
    const signedPdf = await flow.download(sender.token, x)
    const documentId = await flow.upload(sender.token, signedPdf, 'signed.pdf')
    const id = await draft({ order: [['A'], ['B']], fields: twoSignatures([60, 100, 60, 30], slot(5, 400)), documentId })
    const before = await snapshot(id)
    const send = await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)
    expect([send.status, send.body.error.code]).toEqual([400, 'FIELD_OVERLAPS_SIGNED_AREA'])
    expect(await snapshot(id)).toEqual(before)
  })
})

describe('values and roles at signing', () => {
  it('a value for another party\'s field, a missing or too long required text, an unchecked required box → 400 FIELD_VALUE_INVALID; a cc party → 403; nothing changes', async () => {
    const documentId = await flow.upload(sender.token, await makePdf('Values', 1))
    const created = await flow.call('POST', '/api/contracts', {
      title: '填写项合同',
      documentId,
      parties: [
        { partyId: 'A', role: 'signer', kind: 'person', name: a.name, phone: a.phone },
        { partyId: 'B', role: 'signer', kind: 'person', name: b.name, phone: b.phone },
        { partyId: 'K', role: 'cc', kind: 'person', name: stranger.name, phone: stranger.phone },
      ],
      order: [['A', 'B']],
      fields: [
        ...twoSignatures(),
        { fieldId: 'addr', partyId: 'A', kind: 'text', required: true, maxLength: 5, label: '地址', page: 0, rect: slot(4) },
        { fieldId: 'agree', partyId: 'A', kind: 'checkbox', required: true, label: '同意', page: 0, rect: [300, 400, 16, 16] },
        { fieldId: 'note', partyId: 'B', kind: 'text', required: false, maxLength: 20, page: 0, rect: slot(5) },
      ],
      deadline: days(5),
    }, sender.token)
    const id = created.body.contractId as string
    expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
    const before = await snapshot(id)
    const attempt = (values: Record<string, unknown>) => flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'proof-x', signatureId: 'sig-x', values }, a.token)
    for (const [values, reason] of [
      [{ addr: '北京', agree: true, note: '别人的' }, 'UNKNOWN_FIELD'],
      [{ agree: true }, 'REQUIRED'],
      [{ addr: '北京市海淀区中关村', agree: true }, 'TOO_LONG'],
      [{ addr: '北京', agree: false }, 'REQUIRED'],
      [{ addr: '北京', agree: 'yes' }, 'NOT_BOOLEAN'],
    ] as const) {
      const r = await attempt(values)
      expect([r.status, r.body.error.code, r.body.error.details?.reason]).toEqual([400, 'FIELD_VALUE_INVALID', reason])
    }
    const cc = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'proof-x', signatureId: 'sig-x' }, stranger.token)
    expect([cc.status, cc.body.error.code]).toEqual([403, 'FORBIDDEN'])
    // The cc party sees the contract (it is theirs to read), but cannot decline it either.
    expect((await flow.call('GET', `/api/contracts/${id}`, undefined, stranger.token)).status).toBe(200)
    const ccDecline = await flow.call('POST', `/api/contracts/${id}/decline`, { reason: '不同意' }, stranger.token)
    expect(ccDecline.status).toBe(403)
    expect(await snapshot(id)).toEqual(before)
  })
})

describe('fields at send', () => {
  it.each([
    ['off the page', twoSignatures([500, 100, 200, 60]), 'FIELD_OFF_PAGE'],
    ['on a page that does not exist', [{ fieldId: 'sa', partyId: 'A', kind: 'signature', page: 3, rect: slot(0) }, twoSignatures()[1]!], 'FIELD_OFF_PAGE'],
    ['overlapping each other', twoSignatures(slot(0), [100, 100, 120, 60]), 'FIELDS_OVERLAP'],
    ['a signer without a place to sign', [twoSignatures()[0]!, { fieldId: 'db', partyId: 'B', kind: 'date', page: 0, rect: slot(2) }], 'SIGNER_FIELDS_MISSING'],
  ])('%s → 400, nothing stored', async (_label, fields, code) => {
    const id = await draft({ order: [['A'], ['B']], fields })
    const before = await snapshot(id)
    const send = await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)
    expect([send.status, send.body.error.code]).toEqual([400, code])
    expect(send.body.error.message).toMatch(/[\u4e00-\u9fa5]/)
    expect(await snapshot(id)).toEqual(before)
  })
})

describe('uploads', () => {
  const upload = (body: Uint8Array | string, type: string) => fetch(`${app.url}/api/documents`, { method: 'POST', headers: { authorization: `Bearer ${sender.token}`, 'content-type': type }, body })

  it('not a PDF → 400 NOT_A_PDF (as a PDF body) or 415 UNSUPPORTED_MEDIA_TYPE (another type)', async () => {
    const fake = await upload('hello, I am not a PDF', 'application/pdf')
    expect([fake.status, ((await fake.json()) as { error: { code: string } }).error.code]).toEqual([400, 'NOT_A_PDF'])
    const text = await upload('hello', 'text/plain')
    expect([text.status, ((await text.json()) as { error: { code: string } }).error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE'])
  })

  it('too large → 413 PAYLOAD_TOO_LARGE naming the limit', async () => {
    const big = new Uint8Array(MAX_BODY_BYTES + 1024)
    big.set(Buffer.from('%PDF-1.7\n'))
    const r = await upload(big, 'application/pdf')
    const body = (await r.json()) as { error: { code: string; message: string; details?: { maxBytes?: number } } }
    expect([r.status, body.error.code, body.error.details?.maxBytes]).toEqual([413, 'PAYLOAD_TOO_LARGE', MAX_BODY_BYTES])
    expect(body.error.message).toContain('1 MB')
  })
})
