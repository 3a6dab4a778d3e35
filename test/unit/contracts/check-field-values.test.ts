/**
 * What a signer submits at signing: required text, max length in characters, checkboxes, dates
 * filled by the platform in Beijing time, and the signature or seal they chose.
 */
import { checkFieldValues, shanghaiDate } from '../../../cloud-functions/core/contracts/check-field-values'
import type { Field, SigningMarks } from '../../../cloud-functions/core/contracts/contract'

const NOW = new Date('2026-12-01T02:00:00Z')
const FIELDS: Field[] = [
  { fieldId: 'sig', partyId: 'A', kind: 'signature', page: 0, rect: [0, 0, 100, 50] },
  { fieldId: 'name', partyId: 'A', kind: 'text', required: true, maxLength: 5, label: '联系人', page: 0, rect: [0, 60, 100, 20] },
  { fieldId: 'memo', partyId: 'A', kind: 'text', required: false, maxLength: 10, page: 0, rect: [0, 90, 100, 20] },
  { fieldId: 'agree', partyId: 'A', kind: 'checkbox', required: true, page: 0, rect: [0, 120, 10, 10] },
  { fieldId: 'extra', partyId: 'A', kind: 'checkbox', required: false, page: 0, rect: [20, 120, 10, 10] },
  { fieldId: 'day', partyId: 'A', kind: 'date', page: 0, rect: [0, 140, 100, 20] },
]
const SEAL_FIELDS: Field[] = [{ fieldId: 'seal', partyId: 'B', kind: 'seal', page: 0, rect: [0, 0, 100, 100] }, { fieldId: 'x', partyId: 'B', kind: 'cross-page-seal', y: 100, size: 100 }]
const GOOD = { name: '张三', agree: true }
const MARK: SigningMarks = { signatureId: 'sig-1' }

type Row = [string, Record<string, unknown>, SigningMarks, string | Record<string, unknown>, Field[]?]

const rows: Row[] = [
  ['required text and checkbox given; optional ones absent', GOOD, MARK, { name: '张三', agree: true, extra: false, day: '2026-12-01' }],
  ['text is trimmed', { ...GOOD, name: '  张三 ', memo: ' 备注 ' }, MARK, { name: '张三', memo: '备注', agree: true, extra: false, day: '2026-12-01' }],
  ['five Chinese characters fit max length 5 (counted in characters, not bytes)', { ...GOOD, name: '欧阳中华人' }, MARK, { name: '欧阳中华人', agree: true, extra: false, day: '2026-12-01' }],
  ['an astral character counts once', { ...GOOD, name: '𠀀𠀀𠀀𠀀𠀀' }, MARK, { name: '𠀀𠀀𠀀𠀀𠀀', agree: true, extra: false, day: '2026-12-01' }],
  ['six characters exceed max length 5', { ...GOOD, name: '欧阳中华人民' }, MARK, 'TOO_LONG'],
  ['required text missing', { agree: true }, MARK, 'REQUIRED'],
  ['required text blank', { ...GOOD, name: '   ' }, MARK, 'REQUIRED'],
  ['text given as a number', { ...GOOD, name: 42 }, MARK, 'NOT_TEXT'],
  ['text with a control character', { ...GOOD, memo: 'a\u0000b' }, MARK, 'CONTROL_CHARACTER'],
  ['required checkbox unchecked', { ...GOOD, agree: false }, MARK, 'REQUIRED'],
  ['required checkbox missing', { name: '张三' }, MARK, 'REQUIRED'],
  ['checkbox given as a string', { ...GOOD, extra: 'yes' }, MARK, 'NOT_BOOLEAN'],
  ['a date sent by the client', { ...GOOD, day: '2020-01-01' }, MARK, 'NOT_FILLABLE'],
  ['a value for the signature field', { ...GOOD, sig: 'x' }, MARK, 'NOT_FILLABLE'],
  ['a value for a field that is not this signer’s', { ...GOOD, other: 'x' }, MARK, 'UNKNOWN_FIELD'],
  ['no signature chosen', GOOD, {}, 'SIGNATURE_REQUIRED'],
  ['a seal chosen for seal and cross-page seal fields', {}, { sealId: 'seal-1' }, {}, SEAL_FIELDS],
  ['no seal chosen', {}, { signatureId: 'sig-1' }, 'SEAL_REQUIRED', SEAL_FIELDS],
]

describe('checkFieldValues', () => {
  it.each(rows)('%s', (...[_name, values, marks, expected, fields = FIELDS]: Row) => {
    // Act
    const r = checkFieldValues(fields, values, marks, NOW)

    // Assess
    if (typeof expected === 'string') expect(r.ok ? 'ok' : [r.error.code, r.error.details?.reason]).toEqual(['FIELD_VALUE_INVALID', expected])
    else expect(r.ok ? r.value : r.error).toEqual(expected)
  })
})

describe('shanghaiDate', () => {
  it.each([
    ['2026-11-30T15:59:59.999Z', 'YYYY-MM-DD', '2026-11-30'],
    ['2026-11-30T16:00:00.000Z', 'YYYY-MM-DD', '2026-12-01'],
    ['2026-12-31T16:00:00.000Z', 'YYYY年MM月DD日', '2027年01月01日'],
    ['2026-07-01T03:00:00.000Z', 'YYYY年MM月DD日', '2026年07月01日'],
  ] as const)('%s as %s → %s', (iso, format, expected) => {
    expect(shanghaiDate(new Date(iso), format)).toBe(expected)
  })
})
