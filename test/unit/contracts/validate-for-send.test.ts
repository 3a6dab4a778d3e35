/**
 * What a draft must satisfy before it is sent: its structure, a place to sign for every signer,
 * fields wholly on their (displayed) pages, no overlap with each other or with signed areas.
 */
import type { Contract, Field, PageSize, Party, SignedArea } from '../../../cloud-functions/core/contracts/contract'
import { createDraft } from '../../../cloud-functions/core/contracts/create-draft'
import { validateForSend } from '../../../cloud-functions/core/contracts/validate-for-send'
import { A4, DEADLINE, PAGES, SENDER, SHA, T0, company, fieldsFor, person } from './contract-fixtures'

const BASE_PARTIES = [person('A'), company('B')]

/** A contract built without createDraft's checks, so send validation sees the raw input. */
function contract(o: { parties?: Party[]; order?: string[][]; fields?: Field[]; deadline?: string; validUntil?: string; title?: string }): Contract {
  const parties = o.parties ?? BASE_PARTIES
  return {
    contractId: 'k1',
    title: o.title ?? '服务合同',
    senderUserId: SENDER,
    parties,
    order: o.order ?? [parties.filter((p) => p.role === 'signer').map((p) => p.partyId)],
    fields: o.fields ?? fieldsFor(parties),
    deadline: o.deadline ?? DEADLINE,
    validUntil: o.validUntil,
    createdAt: T0.toISOString(),
    status: 'draft',
    document: { originalSha256: SHA(1) },
    signers: {},
  }
}

const sig = (fieldId: string, partyId: string, page: number, rect: [number, number, number, number]): Field => ({ fieldId, partyId, kind: 'signature', page, rect })
const seal = (fieldId: string, partyId: string, page: number, rect: [number, number, number, number]): Field => ({ fieldId, partyId, kind: 'seal', page, rect })
const OK_FIELDS = [sig('a', 'A', 0, [50, 50, 150, 60]), seal('b', 'B', 0, [300, 50, 150, 150])]

type Row = [string, Parameters<typeof contract>[0], string, { pages?: PageSize[]; signedAreas?: SignedArea[] }?]

const rows: Row[] = [
  ['a person signature and a company seal, inside the page', { fields: OK_FIELDS }, 'ok'],
  ['fields touching at an edge do not overlap', { fields: [sig('a', 'A', 0, [50, 50, 100, 60]), seal('b', 'B', 0, [150, 50, 100, 100])] }, 'ok'],
  ['a field exactly filling the page', { parties: [person('A')], fields: [sig('a', 'A', 0, [0, 0, A4.width, A4.height])] }, 'ok'],
  ['a person without a signature field', { fields: [seal('b', 'B', 0, [300, 50, 150, 150]), { fieldId: 't', partyId: 'A', kind: 'text', required: true, maxLength: 20, page: 0, rect: [50, 50, 100, 20] }] }, 'SIGNER_FIELDS_MISSING'],
  ['a company with only a signature field', { fields: [sig('a', 'A', 0, [50, 50, 150, 60]), sig('b', 'B', 0, [300, 50, 150, 60])] }, 'SIGNER_FIELDS_MISSING'],
  ['a company with only a cross-page seal', { fields: [sig('a', 'A', 0, [50, 50, 150, 60]), { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', y: 400, size: 120 }] }, 'SIGNER_FIELDS_MISSING'],
  ['a company seal for a person', { fields: [...OK_FIELDS, seal('c', 'A', 1, [50, 50, 100, 100])] }, 'CONTRACT_INVALID'],
  ['a field for a cc party', { parties: [...BASE_PARTIES, person('C', 'cc')], order: [['A', 'B']], fields: [...OK_FIELDS, sig('c', 'C', 1, [50, 50, 100, 50])] }, 'CONTRACT_INVALID'],
  ['a field for nobody', { fields: [...OK_FIELDS, sig('c', 'Z', 1, [50, 50, 100, 50])] }, 'CONTRACT_INVALID'],
  ['two fields with one id', { fields: [...OK_FIELDS, sig('a', 'A', 1, [50, 50, 100, 50])] }, 'CONTRACT_INVALID'],
  ['a field on a page that does not exist', { fields: [...OK_FIELDS, sig('c', 'A', 3, [50, 50, 100, 50])] }, 'FIELD_OFF_PAGE'],
  ['a field on page -1', { fields: [...OK_FIELDS, sig('c', 'A', -1, [50, 50, 100, 50])] }, 'FIELD_OFF_PAGE'],
  ['a field on page 1.5', { fields: [...OK_FIELDS, sig('c', 'A', 1.5, [50, 50, 100, 50])] }, 'FIELD_OFF_PAGE'],
  ['a field past the right edge', { fields: [...OK_FIELDS, sig('c', 'A', 1, [500, 50, 100, 50])] }, 'FIELD_OFF_PAGE'],
  ['a field past the top edge', { fields: [...OK_FIELDS, sig('c', 'A', 1, [50, 800, 100, 50])] }, 'FIELD_OFF_PAGE'],
  ['a field left of the page', { fields: [...OK_FIELDS, sig('c', 'A', 1, [-1, 50, 100, 50])] }, 'FIELD_OFF_PAGE'],
  ['a field with no width', { fields: [...OK_FIELDS, sig('c', 'A', 1, [50, 50, 0, 50])] }, 'FIELD_OFF_PAGE'],
  ['a field at NaN', { fields: [...OK_FIELDS, sig('c', 'A', 1, [Number.NaN, 50, 10, 50])] }, 'FIELD_OFF_PAGE'],
  ['a field inside the portrait page but past a landscape page (rotated 90°)', { fields: [...OK_FIELDS, sig('c', 'A', 1, [50, 600, 100, 50])] }, 'FIELD_OFF_PAGE', { pages: [A4, { width: A4.height, height: A4.width }] }],
  ['two fields overlapping', { fields: [...OK_FIELDS, sig('c', 'A', 0, [100, 80, 100, 50])] }, 'FIELDS_OVERLAP'],
  ['fields of two signers overlapping', { fields: [sig('a', 'A', 0, [50, 50, 150, 60]), seal('b', 'B', 0, [190, 50, 150, 150])] }, 'FIELDS_OVERLAP'],
  ['same rectangle on different pages', { fields: [sig('a', 'A', 0, [50, 50, 150, 60]), seal('b', 'B', 1, [50, 50, 150, 60])] }, 'ok'],
  ['a field over an earlier signature', { fields: OK_FIELDS }, 'FIELD_OVERLAPS_SIGNED_AREA', { signedAreas: [{ page: 0, rect: [420, 180, 50, 50] }] }],
  ['an earlier signature on another page', { fields: OK_FIELDS }, 'ok', { signedAreas: [{ page: 1, rect: [300, 50, 150, 150] }] }],
  ['a cross-page seal on every page', { fields: [...OK_FIELDS, { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', y: 400, size: 120 }] }, 'ok'],
  ['a cross-page seal over a field at the right edge', { fields: [...OK_FIELDS, sig('c', 'A', 2, [500, 450, 90, 40]), { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', y: 400, size: 120 }] }, 'FIELDS_OVERLAP'],
  ['a cross-page seal centred by default (strips at y 360.9–480.9 on A4)', { fields: [...OK_FIELDS, sig('c', 'A', 2, [500, 250, 90, 40]), { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', size: 120 }] }, 'ok'],
  ['a centred cross-page seal over a field at mid-height on the right edge', { fields: [...OK_FIELDS, sig('c', 'A', 2, [500, 400, 90, 40]), { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', size: 120 }] }, 'FIELDS_OVERLAP'],
  ['a cross-page seal taller than the page', { fields: [...OK_FIELDS, { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', size: 900 }] }, 'FIELD_OFF_PAGE'],
  ['a cross-page seal above the page top', { fields: [...OK_FIELDS, { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', y: 800, size: 120 }] }, 'FIELD_OFF_PAGE'],
  ['a cross-page seal on a one-page document', { fields: [...OK_FIELDS, { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', y: 400, size: 120 }] }, 'CONTRACT_INVALID', { pages: [A4] }],
  ['a text field with max length 0', { fields: [...OK_FIELDS, { fieldId: 't', partyId: 'A', kind: 'text', required: false, maxLength: 0, page: 1, rect: [50, 50, 100, 20] }] }, 'CONTRACT_INVALID'],
  ['a date field with an unknown format', { fields: [...OK_FIELDS, { fieldId: 'd', partyId: 'A', kind: 'date', format: 'MM/DD/YYYY' as never, page: 1, rect: [50, 50, 100, 20] }] }, 'CONTRACT_INVALID'],
  ['no signer (only cc)', { parties: [person('C', 'cc')], order: [], fields: [] }, 'CONTRACT_INVALID'],
  ['a signer missing from the order', { order: [['A']] }, 'CONTRACT_INVALID'],
  ['a signer twice in the order', { order: [['A'], ['B', 'A']] }, 'CONTRACT_INVALID'],
  ['a cc party in the order', { parties: [...BASE_PARTIES, person('C', 'cc')], order: [['A', 'B'], ['C']] }, 'CONTRACT_INVALID'],
  ['an empty group', { order: [['A', 'B'], []] }, 'CONTRACT_INVALID'],
  ['a blank title', { title: '  ' }, 'CONTRACT_INVALID'],
  ['a party with a bad phone', { parties: [{ ...person('A'), phone: '12345' } as Party, company('B')] }, 'CONTRACT_INVALID'],
  ['a party id that is an object key with a meaning', { parties: [{ ...person('A'), partyId: '__proto__' } as Party, company('B')], order: [['__proto__', 'B']], fields: [sig('a', '__proto__', 0, [50, 50, 150, 60]), seal('b', 'B', 0, [300, 50, 150, 150])] }, 'CONTRACT_INVALID'],
  ['a field id that is an object key with a meaning', { fields: [sig('__proto__', 'A', 0, [50, 50, 150, 60]), seal('b', 'B', 0, [300, 50, 150, 150])] }, 'CONTRACT_INVALID'],
  ['duplicate party ids', { parties: [person('A'), person('A')], order: [['A']] }, 'CONTRACT_INVALID'],
  ['the deadline has passed', { deadline: '2026-12-01T01:59:59Z' }, 'CONTRACT_INVALID'],
  ['the deadline is not a date', { deadline: 'soon' }, 'CONTRACT_INVALID'],
  ['validity ends before the deadline', { validUntil: '2026-12-08' }, 'CONTRACT_INVALID'],
  ['validity ends the day the deadline falls (Beijing)', { validUntil: '2026-12-09' }, 'ok'],
  ['validity end date malformed', { validUntil: '2027/01/01' }, 'CONTRACT_INVALID'],
]

describe('validateForSend', () => {
  it.each(rows)('%s → %s', (...[_name, o, expected, extra]: Row) => {
    // Prepare
    const c = contract(o)

    // Act
    const r = validateForSend(c, { pages: extra?.pages ?? PAGES, signedAreas: extra?.signedAreas, now: T0 })

    // Assess
    expect(r.ok ? 'ok' : r.error.code).toBe(expected)
  })

  it('names the offending fields and the signer in details', () => {
    // Prepare
    const overlap = contract({ fields: [...OK_FIELDS, sig('c', 'A', 0, [100, 80, 100, 50])] })
    const missing = contract({ fields: [sig('a', 'A', 0, [50, 50, 150, 60])] })

    // Act
    const o = validateForSend(overlap, { pages: PAGES, now: T0 })
    const m = validateForSend(missing, { pages: PAGES, now: T0 })

    // Assess
    expect(o.ok ? undefined : o.error.details).toMatchObject({ fieldIds: ['a', 'c'], page: 0 })
    expect(m.ok ? undefined : m.error.details).toEqual({ partyId: 'B', needs: 'seal' })
  })
})

describe('createDraft', () => {
  it('starts every signer pending and leaves cc parties out of the progress', () => {
    // Prepare
    const parties = [person('A'), company('B'), person('C', 'cc')]

    // Act
    const r = createDraft({ contractId: 'k1', title: ' 采购合同 ', senderUserId: SENDER, parties, order: [['A'], ['B']], fields: fieldsFor(parties), deadline: DEADLINE, originalSha256: SHA(1) }, T0)

    // Assess
    if (!r.ok) throw new Error(r.error.code)
    expect(r.value).toMatchObject({ status: 'draft', title: '采购合同', createdAt: T0.toISOString(), document: { originalSha256: SHA(1) } })
    expect(r.value.signers).toEqual({ A: { status: 'pending' }, B: { status: 'pending' } })
  })

  it('refuses a structurally broken draft', () => {
    // Act
    const r = createDraft({ contractId: 'k1', title: '合同', senderUserId: SENDER, parties: [person('A')], order: [['A'], ['A']], fields: [], deadline: DEADLINE, originalSha256: SHA(1) }, T0)

    // Assess
    expect(r.ok ? 'ok' : [r.error.code, r.error.details?.reason]).toEqual(['CONTRACT_INVALID', 'ORDER_DUPLICATE'])
  })
})
