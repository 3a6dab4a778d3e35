/**
 * The authorisation and approval rules, table-tested: canUseSeal(member, seal, contract) =
 * membership + active seal of the contract's company + (admin, or an unexpired grant that allows
 * the template, plus an approved 用印申请 for this seal and contract); who may decide a request.
 */
import {
  checkRequestDecision,
  decideSealUse,
  grantEndsAt,
  type SealGrant,
  type SealMember,
  type SealRef,
  type SealUseRequest,
} from '../../../cloud-functions/core/seals/seal-use-rules'

const NOW = new Date('2026-11-30T02:00:00Z') // 10:00 Beijing time
const SEAL: SealRef = { sealId: 's1', companyId: 'c1', status: 'active' }
const OPERATOR: SealMember = { userId: 'u-op', role: 'operator' }
const ADMIN: SealMember = { userId: 'u-admin', role: 'admin' }
const GRANT: SealGrant = { userId: 'u-op', sealId: 's1', validUntil: '2026-12-31' }
const APPROVED: SealUseRequest = { requestId: 'r1', sealId: 's1', contractId: 'k1', requesterId: 'u-op', status: 'approved' }
const CONTRACT = { contractId: 'k1', templateId: 't1', companyId: 'c1' }

type Row = [string, Partial<Parameters<typeof decideSealUse>[0]>, string]

describe('decideSealUse — canUseSeal(member, seal, contract)', () => {
  const rows: Row[] = [
    ['operator with a valid grant and an approved request', {}, 'ok'],
    ['admin: no grant, no request needed', { member: ADMIN, grant: undefined, request: undefined }, 'ok'],
    ['not a member of the company', { member: undefined }, 'NOT_A_MEMBER'],
    ['admin of the company, but the contract is for another company', { member: ADMIN, contract: { ...CONTRACT, companyId: 'c2' } }, 'OTHER_COMPANY'],
    ['contract company unknown: not checked', { contract: { contractId: 'k1', templateId: 't1' } }, 'ok'],
    ['seal disabled (even for an admin)', { member: ADMIN, seal: { ...SEAL, status: 'disabled' } }, 'SEAL_DISABLED'],
    ['operator without a grant', { grant: undefined }, 'NO_GRANT'],
    ['grant for another member', { grant: { ...GRANT, userId: 'u-other' } }, 'NO_GRANT'],
    ['grant for another seal', { grant: { ...GRANT, sealId: 's2' } }, 'NO_GRANT'],
    ['grant ended yesterday (Beijing time)', { grant: { ...GRANT, validUntil: '2026-11-29' } }, 'GRANT_EXPIRED'],
    ['grant ends today: still valid until 23:59:59 Beijing time', { grant: { ...GRANT, validUntil: '2026-11-30' } }, 'ok'],
    ['grant ends today, one ms after midnight Beijing time', { grant: { ...GRANT, validUntil: '2026-11-30' }, now: new Date('2026-11-30T16:00:00.000Z') }, 'GRANT_EXPIRED'],
    ['grant limited to the contract template', { grant: { ...GRANT, templateIds: ['t0', 't1'] } }, 'ok'],
    ['grant limited to other templates', { grant: { ...GRANT, templateIds: ['t0'] } }, 'TEMPLATE_NOT_ALLOWED'],
    ['grant limited to templates, contract has none', { grant: { ...GRANT, templateIds: ['t1'] }, contract: { contractId: 'k1', companyId: 'c1' } }, 'TEMPLATE_NOT_ALLOWED'],
    ['empty template list means every template', { grant: { ...GRANT, templateIds: [] } }, 'ok'],
    ['no 用印申请', { request: undefined }, 'NO_APPROVAL'],
    ['request pending', { request: { ...APPROVED, status: 'pending' } }, 'APPROVAL_PENDING'],
    ['request rejected', { request: { ...APPROVED, status: 'rejected' } }, 'APPROVAL_REJECTED'],
    ['approved request for another contract', { request: { ...APPROVED, contractId: 'k2' } }, 'NO_APPROVAL'],
    ['approved request for another seal', { request: { ...APPROVED, sealId: 's2' } }, 'NO_APPROVAL'],
    ["approved request by someone else", { request: { ...APPROVED, requesterId: 'u-x' } }, 'NO_APPROVAL'],
    ['expired grant beats an approved request', { grant: { ...GRANT, validUntil: '2026-01-01' } }, 'GRANT_EXPIRED'],
  ]

  it.each(rows)('%s → %s', (_name, override, expected) => {
    // Prepare
    const input = { member: OPERATOR, seal: SEAL, contract: CONTRACT, grant: GRANT, request: APPROVED, now: NOW, ...override }

    // Act
    const result = decideSealUse(input)

    // Assess
    if (expected === 'ok') expect(result.ok).toBe(true)
    else expect(result).toEqual({ ok: false, error: { code: 'SEAL_NOT_AUTHORISED', message: expect.any(String), details: { reason: expected } } })
  })

  it('reports how the use is allowed', () => {
    expect(decideSealUse({ member: OPERATOR, seal: SEAL, contract: CONTRACT, grant: GRANT, request: APPROVED, now: NOW })).toEqual({ ok: true, value: { via: 'grant', requestId: 'r1' } })
    expect(decideSealUse({ member: ADMIN, seal: SEAL, contract: CONTRACT, now: NOW })).toEqual({ ok: true, value: { via: 'admin' } })
  })

  it('a grant runs to the end of its day in Beijing time', () => {
    expect(grantEndsAt('2026-12-31').toISOString()).toBe('2026-12-31T15:59:59.999Z')
  })
})

describe('checkRequestDecision — who approves or rejects a 用印申请', () => {
  const pending: SealUseRequest = { ...APPROVED, status: 'pending' }
  it.each([
    ['an admin, on a pending request by someone else', ADMIN, pending, 'ok'],
    ['an operator', { userId: 'u-op2', role: 'operator' }, pending, 'FORBIDDEN'],
    ['not a member', undefined, pending, 'FORBIDDEN'],
    ['an admin deciding their own request', ADMIN, { ...pending, requesterId: 'u-admin' }, 'FORBIDDEN'],
    ['an admin, on an approved request', ADMIN, APPROVED, 'SEAL_REQUEST_DECIDED'],
    ['an admin, on a rejected request', ADMIN, { ...pending, status: 'rejected' }, 'SEAL_REQUEST_DECIDED'],
  ] as Array<[string, SealMember | undefined, SealUseRequest, string]>)('%s → %s', (_name, approver, request, expected) => {
    const result = checkRequestDecision({ approver, request })
    if (expected === 'ok') expect(result).toEqual({ ok: true, value: true })
    else expect(result.ok ? 'ok' : result.error.code).toBe(expected)
  })
})
