/**
 * Sending a draft checks its fields against the document's layout read once, at creation
 * (`draftLayout`, kept with the hash of the document it was read from): a layout of another
 * document, or none (a draft stored before it was kept), is read again at send.
 */
import fs from 'node:fs'
import { loadContractItem, type ContractItem } from '../../cloud-functions/use-cases/contracts/records'
import { withoutVersion } from '../../cloud-functions/use-cases/identity/records'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { tempDir } from '../support/pdf-tools'

jest.setTimeout(180_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
let sender: Person
let a: Person
const tmp = tempDir('contracts-send-layout-')
/** A signed area over the whole of every page, as if the document were signed everywhere. */
const everywhere = [0, 1, 2].map((page) => ({ page, rect: [0, 0, 2000, 2000] as [number, number, number, number] }))

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
  ;[sender, a] = await Promise.all([flow.verifiedPerson('龚发起', '13900007001', 71), flow.verifiedPerson('程签署', '13900007002', 72)])
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function draft(): Promise<string> {
  const documentId = await flow.upload(sender.token, await makePdf('Layout', 1))
  const created = await flow.call('POST', '/api/contracts', {
    title: '版面合同',
    documentId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: a.name, phone: a.phone }],
    order: [['A']],
    fields: [{ fieldId: 'sa', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(Date.now() + 5 * 86400_000).toISOString(),
  }, sender.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  return created.body.contractId
}

/** The stored draft with its `draftLayout` replaced (undefined: removed). */
async function rewriteLayout(id: string, layout: (item: ContractItem) => ContractItem['draftLayout']): Promise<void> {
  const item = (await loadContractItem(app.deps.metadata, id))!
  const { draftLayout: _old, ...rest } = withoutVersion(item)
  const next = layout(item)
  expect(await app.deps.metadata.put({ ...rest, ...(next ? { draftLayout: next } : {}) }, { expectedVersion: item.version })).toEqual({ ok: true })
}

const send = (id: string) => flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)

it('a new draft keeps the layout of its document, with that document\'s hash', async () => {
  const id = await draft()
  const item = (await loadContractItem(app.deps.metadata, id))!
  expect(item.draftLayout).toEqual({ sha256: item.contract.document.originalSha256, pages: item.draftPages, signedAreas: [] })
  expect((await send(id)).status).toBe(200)
})

it('send checks the fields against the kept layout (not read again): a signed area kept there stops it', async () => {
  const id = await draft()
  await rewriteLayout(id, (item) => ({ ...item.draftLayout!, signedAreas: everywhere }))
  const r = await send(id)
  expect([r.status, r.body.error?.code]).toEqual([400, 'FIELD_OVERLAPS_SIGNED_AREA'])
  expect((await loadContractItem(app.deps.metadata, id))!.contract.status).toBe('draft')
})

it('a kept layout of another document is not used, and a draft without one has its layout read at send', async () => {
  const other = await draft()
  await rewriteLayout(other, (item) => ({ ...item.draftLayout!, sha256: '0'.repeat(64), signedAreas: everywhere }))
  expect((await send(other)).status).toBe(200)
  const none = await draft()
  await rewriteLayout(none, () => undefined)
  expect((await send(none)).status).toBe(200)
  expect((await loadContractItem(app.deps.metadata, none))!.contract.status).toBe('sent')
})
