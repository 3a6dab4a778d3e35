import type { InvitationView, MemberView } from '../../api/identity.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { memberKey, inviteKey, loadCompany, requireUser, inviteePartition } from './records'

/** `GET /api/identity/invitations`: open invitations to the caller's login phone. */
export async function listMyInvitations(deps: IdentityDeps, input: { userId: string }): Promise<Result<InvitationView[]>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const hashes = [...new Set([user.value.loginPhoneHash, user.value.person?.phoneHash].filter((h): h is string => Boolean(h)))]
  const views: InvitationView[] = []
  for (const h of hashes) {
    const page = await deps.metadata.queryIndex(inviteePartition(h))
    for (const i of page.items) {
      views.push({ inviteId: String(i.inviteId), companyId: String(i.companyId), companyName: String(i.companyName), role: i.role === 'admin' ? 'admin' : 'operator', maskedPhone: String(i.maskedPhone), expiresAt: new Date(Number(i.expiresAt) * 1000).toISOString() })
    }
  }
  return ok(views)
}

/**
 * `POST /api/identity/invitations/{companyId}/{inviteId}/accept`: the invited phone's account (login
 * or verified phone), once real-name verified, becomes a member with the invited role. The
 * invitation is used up in the same transaction.
 */
export async function acceptInvitation(deps: IdentityDeps, input: { userId: string; companyId: string; inviteId: string }): Promise<Result<MemberView>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const key = inviteKey(input.companyId, input.inviteId)
  const invite = /^[0-9A-Z]{26}$/.test(input.inviteId) ? await deps.metadata.get(key.pk, key.sk) : undefined
  const phones = [user.value.loginPhoneHash, user.value.person?.phoneHash]
  if (!invite || !phones.includes(String(invite.phoneHash))) return err('INVITATION_NOT_FOUND', '邀请不存在、已失效或不是发给您的')
  const person = user.value.person
  if (person?.status !== 'verified') return err('PERSON_NOT_VERIFIED', '加入企业前，请先完成个人实名认证')
  const company = await loadCompany(deps.metadata, input.companyId)
  if (!company) return err('INVITATION_NOT_FOUND', '企业不存在')
  const now = deps.clock.now().toISOString()
  const role = invite.role === 'admin' ? ('admin' as const) : ('operator' as const)
  const member = { ...memberKey(input.companyId, input.userId), type: 'member', companyId: input.companyId, userId: input.userId, role, name: person.name, maskedPhone: person.maskedPhone, joinedAt: now }
  const written = await deps.metadata.transact([
    { delete: key, condition: { expectedVersion: invite.version } },
    { put: member, condition: { mustNotExist: true } },
  ])
  if (!written.ok) return err('CONFLICT', '您已是该企业成员，或邀请已被使用')
  deps.logger.info({ companyId: input.companyId, inviteId: input.inviteId, userId: input.userId, role }, 'invitation accepted')
  return ok({ userId: input.userId, name: person.name, role, maskedPhone: person.maskedPhone, joinedAt: now })
}
