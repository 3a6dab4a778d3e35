import { parseBankAccount, luhnValid } from '../../../cloud-functions/core/identity/bank-account'
import { creditCodeCheckChar, parseCreditCode } from '../../../cloud-functions/core/identity/credit-code'
import { idNumberCheckChar, parseIdNumber } from '../../../cloud-functions/core/identity/id-number'
import { parsePhone, toE164 } from '../../../cloud-functions/core/identity/phone'
import { SANDBOX_COMPANIES, SANDBOX_PEOPLE } from '../../../cloud-functions/adapters/sandbox/sandbox-identities'
import { checkReturnUrl } from '../../../cloud-functions/use-cases/identity/start-face-verification'

const today = new Date('2026-06-01T00:00:00Z')

describe('parseIdNumber (GB 11643-1999)', () => {
  it.each([
    ['11010519491231002X', '1949-12-31', 'female'],
    ['440524188001010014', '1880-01-01', 'male'],
    ['11010519491231002x', '1949-12-31', 'female'],
  ])('accepts the standard example %s', (id, birthDate, gender) => {
    // Act
    const r = parseIdNumber(id, today)

    // Assess
    expect(r).toEqual({ ok: true, value: { value: id.toUpperCase(), birthDate, gender, province: id.slice(0, 2) } })
  })

  it.each([
    ['110105194912310021', '校验位不正确'],
    ['11204416541220243X', '出生日期无效'], // the Tencent DetectAuth doc placeholder (CHINA-APIS.md §5.1): born 1654, and a wrong check digit
    ['11010519491231002', '应为 18 位'],
    ['1101051949123100AX', '应为 18 位'],
    ['991051194912310020', '地区码不存在'],
    ['110105194902300020', '出生日期无效'],
    ['110105187912310020', '出生日期无效'],
    ['110105203001010020', '出生日期晚于今天'],
  ])('refuses %s: %s, naming the field and never echoing the number', (id, reason) => {
    // Act
    const r = parseIdNumber(id, today, 'legalRepIdNumber')

    // Assess
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('ID_NUMBER_INVALID')
    expect(r.error.details).toMatchObject({ field: 'legalRepIdNumber' })
    expect(r.error.message).toContain(reason)
    expect(JSON.stringify(r.error)).not.toContain(id)
  })

  it('computes MOD 11-2 check characters (Σ mod 11 → "10X98765432")', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X')
    expect(idNumberCheckChar('44052418800101001')).toBe('4')
    expect(idNumberCheckChar('11204416541220243')).toBe('4')
  })
})

describe('parseCreditCode (GB 32100-2015)', () => {
  it('accepts the standard worked example 91350100M000100Y43 (Σ 1640, mod 31 = 28 → 3)', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3')
    expect(parseCreditCode(' 91350100m000100y43 ')).toEqual({ ok: true, value: '91350100M000100Y43' })
  })

  it.each([
    ['91350100M000100Y4Z', '不允许的字符'], // the standard's failing input: Z is outside the charset
    ['91350100M000100Y44', '校验位不正确'],
    ['91350100M000100Y4', '应为 18 位'],
    ['91350100I000100Y43', '不允许的字符'],
    ['9135A100M000100Y43', '不允许的字符'],
  ])('refuses %s (%s) as CREDIT_CODE_INVALID naming the field', (code, reason) => {
    const r = parseCreditCode(code)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error).toMatchObject({ code: 'CREDIT_CODE_INVALID', details: { field: 'creditCode' } })
    expect(r.error.message).toContain(reason)
  })
})

describe('parsePhone (mainland mobile)', () => {
  it.each(['13812345678', '+8613812345678', '008613812345678', '86 138-1234-5678', '19912345678'])('normalises %s', (raw) => {
    const r = parsePhone(raw)
    expect(r.ok).toBe(true)
    if (r.ok) expect(toE164(r.value)).toMatch(/^\+861[3-9]\d{9}$/)
  })

  it.each(['12812345678', '1381234567', '138123456789', 'abc', '+85213812345678', ''])('refuses %j as PHONE_INVALID naming the field', (raw) => {
    expect(parsePhone(raw)).toMatchObject({ ok: false, error: { code: 'PHONE_INVALID', details: { field: 'phone' } } })
  })
})

describe('bank accounts (Luhn for cards, format for corporate accounts)', () => {
  it('implements Luhn on the classic fixtures', () => {
    expect(luhnValid('4111111111111111')).toBe(true)
    expect(luhnValid('79927398713')).toBe(true)
    expect(luhnValid('4111111111111112')).toBe(false)
  })

  it.each([
    ['4111 1111 1111 1111', 'card', true],
    ['4111111111111112', 'card', false],
    ['1234567', 'corporate', false],
    ['12345678', 'corporate', true],
    ['1234-5678-9012-3456-789', 'corporate', true],
    ['1234567890123456789012345678901', 'corporate', false],
    ['6222 02x1 2345', 'corporate', false],
  ] as const)('%s as %s → %s', (raw, kind, valid) => {
    const r = parseBankAccount(raw, kind)
    expect(r.ok).toBe(valid)
    if (!r.ok) expect(r.error).toMatchObject({ code: 'BANK_ACCOUNT_INVALID', details: { field: 'bankAccount' } })
  })
})

describe('the sandbox test identities are valid', () => {
  it.each(SANDBOX_PEOPLE.map((p) => [p.name, p.idNumber, p.phone]))('%s %s %s', (_name, id, phone) => {
    expect(parseIdNumber(id, today).ok).toBe(true)
    expect(parsePhone(phone).ok).toBe(true)
  })

  it.each(SANDBOX_COMPANIES.map((c) => [c.name, c.creditCode, c.legalRepIdNumber]))('%s %s', (_name, code, legalRepId) => {
    expect(parseCreditCode(code).ok).toBe(true)
    expect(parseIdNumber(legalRepId, today).ok).toBe(true)
  })
})

describe('face return URLs stay on this site', () => {
  it.each([
    [undefined, 'http://127.0.0.1:8787/#/packages/identity/pages/person/index?face=done'],
    ['http://127.0.0.1:8787/#/x', 'http://127.0.0.1:8787/#/x'],
    ['http://localhost:8787/#/x', 'http://localhost:8787/#/x'],
    ['http://localhost:8788/#/x', 'VALIDATION_FAILED'],
    ['https://evil.example/#/x', 'VALIDATION_FAILED'],
    ['not a url', 'VALIDATION_FAILED'],
  ])('%s → %s', (returnUrl, expected) => {
    const r = checkReturnUrl(returnUrl, 'http://127.0.0.1:8787')
    expect(r.ok ? r.value : r.error.code).toBe(expected)
  })
})
