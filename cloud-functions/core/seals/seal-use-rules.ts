import { err, ok, type Result } from '../shared/result'

/** A member's role in the company that owns the seal. */
export type SealMember = { userId: string; role: 'admin' | 'operator' }
export type SealRef = { sealId: string; companyId: string; status: 'active' | 'disabled' }
/** The contract the seal would go on; `companyId` is the company party it is sealed for, when known. */
export type ContractRef = { contractId: string; templateId?: string; companyId?: string }
/** An admin's authorisation of one member for one seal: through `validUntil` (a date, Beijing time), optionally for some templates only. */
export type SealGrant = { userId: string; sealId: string; validUntil: string; templateIds?: string[] }
export type SealRequestStatus = 'pending' | 'approved' | 'rejected'
/** A 用印申请: a member asks to use a seal on one contract. */
export type SealUseRequest = { requestId: string; sealId: string; contractId: string; requesterId: string; status: SealRequestStatus }

/** Why a seal may not be used; sent as `details.reason` with `SEAL_NOT_AUTHORISED`. */
export type SealDenial =
  | 'NOT_A_MEMBER'
  | 'OTHER_COMPANY'
  | 'SEAL_DISABLED'
  | 'NO_GRANT'
  | 'GRANT_EXPIRED'
  | 'TEMPLATE_NOT_ALLOWED'
  | 'NO_APPROVAL'
  | 'APPROVAL_PENDING'
  | 'APPROVAL_REJECTED'

const MESSAGES: Record<SealDenial, string> = {
  NOT_A_MEMBER: '您不是该企业的成员，无权使用此印章',
  OTHER_COMPANY: '此印章不属于该合同的签署企业',
  SEAL_DISABLED: '此印章已停用',
  NO_GRANT: '您未获得此印章的使用授权',
  GRANT_EXPIRED: '您的印章使用授权已过期',
  TEMPLATE_NOT_ALLOWED: '您的印章授权不包含此合同模板',
  NO_APPROVAL: '请先提交用印申请并等待审批通过',
  APPROVAL_PENDING: '用印申请正在审批中',
  APPROVAL_REJECTED: '用印申请已被驳回',
}

/** `SEAL_NOT_AUTHORISED` (403) with the reason. */
export function sealDenied(reason: SealDenial) {
  return err('SEAL_NOT_AUTHORISED', MESSAGES[reason], { reason })
}

/**
 * The last instant a grant is valid: the end of `validUntil` (YYYY-MM-DD) in Beijing time (UTC+8).
 *
 * @example
 * grantEndsAt('2026-12-31').toISOString() // '2026-12-31T15:59:59.999Z'
 */
export function grantEndsAt(validUntil: string): Date {
  return new Date(`${validUntil}T23:59:59.999+08:00`)
}

/**
 * Whether `member` may be authorised to use `seal` for `contract` at `now`, before any approval:
 * a member of the owning company; the seal active and belonging to the contract's company party;
 * admins always; operators through an unexpired grant that, when it lists templates, lists the
 * contract's template.
 */
export function checkSealAuthorisation(input: {
  member?: SealMember
  seal: SealRef
  contract: ContractRef
  grant?: SealGrant
  now: Date
}): Result<{ via: 'admin' | 'grant' }> {
  const { member, seal, contract, grant, now } = input
  if (!member) return sealDenied('NOT_A_MEMBER')
  if (contract.companyId !== undefined && contract.companyId !== seal.companyId) return sealDenied('OTHER_COMPANY')
  if (seal.status !== 'active') return sealDenied('SEAL_DISABLED')
  if (member.role === 'admin') return ok({ via: 'admin' })
  if (!grant || grant.userId !== member.userId || grant.sealId !== seal.sealId) return sealDenied('NO_GRANT')
  if (now.getTime() > grantEndsAt(grant.validUntil).getTime()) return sealDenied('GRANT_EXPIRED')
  if (grant.templateIds && grant.templateIds.length > 0 && !(contract.templateId && grant.templateIds.includes(contract.templateId))) {
    return sealDenied('TEMPLATE_NOT_ALLOWED')
  }
  return ok({ via: 'grant' })
}

/**
 * `canUseSeal(member, seal, contract)`: authorisation ({@link checkSealAuthorisation}) and, for
 * anyone but an admin, an approved 用印申请 by that member for that seal and contract (`request`
 * is their latest one). Admins approve requests and so need none themselves.
 *
 * @example
 * decideSealUse({ member, seal, contract, grant, request, now }) // ok({ via: 'grant', requestId })
 */
export function decideSealUse(input: {
  member?: SealMember
  seal: SealRef
  contract: ContractRef
  grant?: SealGrant
  request?: SealUseRequest
  now: Date
}): Result<{ via: 'admin' | 'grant'; requestId?: string }> {
  const auth = checkSealAuthorisation(input)
  if (!auth.ok) return auth
  if (auth.value.via === 'admin') return ok({ via: 'admin' })
  const r = input.request
  const member = input.member as SealMember
  if (!r || r.sealId !== input.seal.sealId || r.contractId !== input.contract.contractId || r.requesterId !== member.userId) {
    return sealDenied('NO_APPROVAL')
  }
  if (r.status === 'pending') return sealDenied('APPROVAL_PENDING')
  if (r.status === 'rejected') return sealDenied('APPROVAL_REJECTED')
  return ok({ via: 'grant', requestId: r.requestId })
}

/**
 * Whether `approver` may approve or reject `request`: an admin of the company, not the requester
 * (no one approves their own use), and only while the request is pending.
 */
export function checkRequestDecision(input: { approver?: SealMember; request: SealUseRequest }): Result<true> {
  const { approver, request } = input
  if (!approver || approver.role !== 'admin') return err('FORBIDDEN', '只有企业管理员可以审批用印申请')
  if (approver.userId === request.requesterId) return err('FORBIDDEN', '不能审批自己提交的用印申请')
  if (request.status !== 'pending') return err('SEAL_REQUEST_DECIDED', `该用印申请已${request.status === 'approved' ? '批准' : '驳回'}`, { status: request.status })
  return ok(true)
}
