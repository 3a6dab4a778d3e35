import type { FieldInput } from '@api/contracts.types'
import { fieldDone, missingBeforeSign, nextField, readingOrder, signAttempt, signValues } from '@/packages/signing/lib/sign-flow'

const fields: FieldInput[] = [
  { kind: 'signature', fieldId: 'sig', partyId: 'p', page: 1, rect: [300, 100, 120, 50] },
  { kind: 'text', fieldId: 'addr', partyId: 'p', page: 0, rect: [100, 500, 150, 22], required: true, maxLength: 10, label: '地址' },
  { kind: 'checkbox', fieldId: 'agree', partyId: 'p', page: 0, rect: [100, 700, 16, 16], required: true },
  { kind: 'date', fieldId: 'day', partyId: 'p', page: 1, rect: [300, 60, 110, 22] },
  { kind: 'text', fieldId: 'memo', partyId: 'p', page: 0, rect: [300, 500, 150, 22], required: false, maxLength: 50 },
]

describe('sign page: reading order, 下一个, what is missing before signing', () => {
  it('reads page by page, top to bottom, left to right', () => {
    expect(readingOrder(fields).map((f) => f.fieldId)).toEqual(['agree', 'addr', 'memo', 'sig', 'day'])
  })

  it('下一个 goes to the first unfinished field after the current one, wrapping round, skipping dates', () => {
    const none = { values: {} }
    expect(nextField(fields, none)?.fieldId).toBe('agree')
    expect(nextField(fields, none, 'agree')?.fieldId).toBe('addr')
    expect(nextField(fields, { values: { agree: true } }, 'addr')?.fieldId).toBe('sig')
    expect(nextField(fields, { values: { agree: true }, signatureId: 's1' }, 'sig')?.fieldId).toBe('addr')
    // All done: it still moves on in order.
    expect(nextField(fields, { values: { agree: true, addr: '杭州' }, signatureId: 's1' }, 'agree')?.fieldId).toBe('addr')
  })

  it('lists what is missing, and nothing once the signature, required text and checkbox are given', () => {
    expect(missingBeforeSign(fields, { values: {} })).toEqual(['请选择或手写您的签名', '请填写“地址”', '请勾选必选项'])
    expect(missingBeforeSign(fields, { values: { addr: '一二三四五六七八九十十一', agree: true }, signatureId: 's' })).toEqual(['“地址”不能超过 10 个字'])
    expect(missingBeforeSign(fields, { values: { addr: '杭州', agree: true }, signatureId: 's' })).toEqual([])
    expect(missingBeforeSign([{ kind: 'cross-page-seal', fieldId: 'x', partyId: 'p', size: 100 }], { values: {} })).toEqual(['请选择要加盖的企业印章'])
  })

  it('sends trimmed text and checkbox values of the signer’s own fields only', () => {
    expect(signValues(fields, { values: { addr: ' 杭州 ', agree: true, memo: '  ', other: 'x' } })).toEqual({ addr: '杭州', agree: true })
    expect(fieldDone(fields[3]!, { values: {} })).toBe(true)
  })

  it('a sign attempt: one key and body, sent again unchanged after a network failure, a new one after any answer', () => {
    let n = 0
    const attempt = signAttempt<{ proof: string }>(() => `key-${++n}`)
    expect(attempt.pending()).toBe(false)
    expect(attempt.next(() => ({ proof: 'p1' }))).toEqual({ key: 'key-1', body: { proof: 'p1' } })
    attempt.answered(false) // no answer came: the retry must replay the same key and body
    expect(attempt.pending()).toBe(true)
    expect(attempt.next(() => ({ proof: 'p2' }))).toEqual({ key: 'key-1', body: { proof: 'p1' } })
    attempt.answered(true) // signed (or a server error): the next press is a new attempt
    expect(attempt.pending()).toBe(false)
    expect(attempt.next(() => ({ proof: 'p3' }))).toEqual({ key: 'key-2', body: { proof: 'p3' } })
  })
})
