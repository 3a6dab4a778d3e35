/**
 * Issue 19, personal data: run the main flows over HTTP — login, real-name verification, company
 * verification by micro-deposit (bank account) with a legal representative's ID number, company
 * and personal seals, a contract created, sent, viewed and signed with intent by SMS code — then
 * search everything the platform keeps or says for the raw ID numbers, phones and bank account
 * used: every log line (`logs()`), the SQLite files byte for byte (rows, WAL, free pages), every
 * file of the object store (PDFs, evidence, metadata) and every HTTP answer the app received.
 * 0 hits; the masked forms (`139****0001`, `1101**********0011`) are allowed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { contractFlow, slot, syntheticIdNumber, type Person } from '../../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(300_000)

const APPLICANT = { name: '周九', idNumber: '110101199003070046', phone: '13800000007' }
const BANK_ACCOUNT = '6222021234567890123'

let app: TestApp
let flow: ReturnType<typeof contractFlow>
const answers: string[] = []
const realFetch = globalThis.fetch

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
  // Every answer the app gives to the test's fetch calls is kept (the sandbox outbox, an operator
  // tool that shows the messages as sent, is left out: it is where the test reads the codes).
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const res = await realFetch(input, init)
    const url = String(input instanceof Request ? input.url : input)
    if (!url.includes('/api/identity/sandbox/outbox')) answers.push(`${url}\n${Buffer.from(await res.clone().arrayBuffer()).toString('latin1')}`)
    return res
  }) as typeof fetch
})
afterAll(async () => {
  globalThis.fetch = realFetch
  await app?.stop()
})

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

/** Where `needle` appears: as UTF-8/latin1 text, as UTF-16 (PDF strings) and hex-encoded (PDF hex strings). */
function hits(haystack: Buffer, needle: string): boolean {
  return haystack.includes(Buffer.from(needle, 'utf8')) || haystack.includes(Buffer.from(needle, 'utf16le')) || haystack.includes(Buffer.from(needle, 'utf16le').swap16()) || haystack.toString('latin1').toLowerCase().includes(Buffer.from(needle).toString('hex'))
}

describe('personal data never leaves its encryption', () => {
  let signer: Person

  it('runs the flows: verification, company by micro-deposit, seals, contract sent and signed', async () => {
    // The applicant (in the sandbox's list) verifies as a person and a company.
    const { token } = await flow.login(APPLICANT.phone, 1)
    const details = await flow.call('POST', '/api/identity/person', APPLICANT, token)
    expect(details.status).toBe(200)
    const face = await flow.call('POST', '/api/identity/person/face', {}, token)
    await fetch(face.body.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=pass', redirect: 'manual' })
    expect((await flow.call('POST', '/api/identity/person/face/result', undefined, token)).body.status).toBe('verified')
    expect((await flow.call('GET', '/api/auth/me', undefined, token)).status).toBe(200)

    const applied = await flow.call('POST', '/api/identity/companies', { name: '沙箱周九贸易有限公司', creditCode: '91440300MA5F0Q1R2A', legalRepName: APPLICANT.name, legalRepIdNumber: APPLICANT.idNumber }, token)
    expect(applied.status).toBe(201)
    const companyId = applied.body.companyId
    const sent = await flow.call('POST', `/api/identity/companies/${companyId}/micro-deposit`, { bankName: '沙箱银行', bankAccount: BANK_ACCOUNT }, token)
    expect(sent.status).toBe(200)
    const statement = (await flow.call('GET', '/api/identity/sandbox/outbox')).body.entries.find((e: { channel: string }) => e.channel === 'payout')
    expect((await flow.call('POST', `/api/identity/companies/${companyId}/micro-deposit/confirm`, { amount: statement.amount }, token)).body.status).toBe('verified')
    const seal = await flow.call('POST', `/api/seals/companies/${companyId}/seals`, { spec: { kind: 'company-round', companyName: '沙箱周九贸易有限公司', sealType: '合同专用章' } }, token)
    expect(seal.status).toBe(201)
    await flow.call('GET', `/api/identity/companies/${companyId}`, undefined, token)
    await flow.call('GET', `/api/identity/companies/${companyId}/members`, undefined, token)

    // A person signs the sender's contract with a personal seal and intent by SMS code.
    signer = await flow.verifiedPerson('蒋签约', '13900001961', 161)
    const documentId = await flow.upload(token, await makePdf('Personal data'))
    const created = await flow.call('POST', '/api/contracts', {
      title: '个人信息测试合同',
      documentId,
      parties: [{ partyId: 'S', role: 'signer', kind: 'person', name: signer.name, phone: signer.phone }],
      order: [['S']],
      fields: [{ fieldId: 's1', partyId: 'S', kind: 'signature', page: 0, rect: slot(0) }],
      deadline: new Date(Date.now() + 7 * 86400_000).toISOString(),
    }, token)
    expect(created.status).toBe(201)
    const id = created.body.contractId
    expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, token)).status).toBe(200)
    const signed = await flow.sign(signer, id, 'S')
    expect([signed.status, signed.body.status]).toEqual([200, 'signed'])
    for (const p of [`/api/contracts/${id}`, `/api/contracts/${id}/timeline`, `/api/contracts/${id}/signatures`, '/api/contracts', '/api/identity/person', '/api/seals/mine', '/api/auth/me']) {
      expect((await flow.call('GET', p, undefined, signer.token)).status).toBe(200)
      expect((await flow.call('GET', p.replace(`/api/contracts/${id}/signatures`, '/api/contracts'), undefined, token)).status).toBe(200)
    }
    await flow.download(token, id)
    await flow.download(signer.token, id, 'original')
    expect(answers.length).toBeGreaterThan(30)
  })

  it('0 hits for the raw ID numbers, phones and bank account in logs, database files, object files and HTTP answers', async () => {
    const secrets: Record<string, string> = {
      'applicant ID number': APPLICANT.idNumber,
      'applicant phone': APPLICANT.phone,
      'signer ID number': syntheticIdNumber(161),
      'signer phone': signer.phone,
      'bank account': BANK_ACCOUNT,
    }
    expect(signer.idNumber).toBe(secrets['signer ID number'])
    const places: Array<[string, Buffer]> = [
      ['logs', Buffer.from(app.logs())],
      ...files(app.dataDir).map((f) => [path.relative(app.dataDir, f), fs.readFileSync(f)] as [string, Buffer]),
      ...answers.map((a) => [`answer ${a.split('\n')[0]}`, Buffer.from(a, 'latin1')] as [string, Buffer]),
    ]
    expect(places.filter(([name]) => name.endsWith('.sqlite')).length).toBe(1)
    if (process.env.PD_LIST) console.log(places.map(([n, b]) => `${n} ${b.length}`).join('\n'))
    expect(places.filter(([, bytes]) => bytes.subarray(0, 5).toString() === '%PDF-').length).toBeGreaterThan(2)
    const found: string[] = []
    for (const [what, secret] of Object.entries(secrets)) for (const [where, bytes] of places) if (hits(bytes, secret)) found.push(`${what} in ${where}`)
    expect(found).toEqual([])
    // The search itself finds each encoding it looks for.
    for (const encoded of [Buffer.from(`x${BANK_ACCOUNT}x`), Buffer.from(BANK_ACCOUNT, 'utf16le'), Buffer.from(`<${Buffer.from(BANK_ACCOUNT).toString('hex').toUpperCase()}>`)]) expect(hits(encoded, BANK_ACCOUNT)).toBe(true)
    // The masked forms are what the answers carry.
    expect(answers.some((a) => a.includes('138****0007'))).toBe(true)
  })
})
