import type { InvitationView } from '../../api/identity.types'
import { encryptPersonalData, lookupHash } from '../../core/identity/personal-data'
import { parsePhone } from '../../core/identity/phone'
import { maskPhone } from '../../core/shared/mask'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { epochSeconds, inviteKey, type MemberRole, inviteIndexKey } from './records'
import { companyAccess } from './get-company'

export const INVITATION_SECONDS = 7 * 24 * 3600

/**
 * `POST /api/identity/companies/{id}/invitations`: an admin of a verified company invites a phone
 * number as `admin` or `operator`. The invitee sees it (`GET /api/identity/invitations`) after
 * logging in with that phone, and accepts once real-name verified. Valid 7 days.
 */
export async function inviteMember(deps: IdentityDeps, input: { userId: string; companyId: string; phone: string; role: MemberRole }): Promise<Result<InvitationView>> {
  const phone = parsePhone(input.phone)
  if (!phone.ok) return phone
  const access = await companyAccess(deps, input)
  if (!access.ok) return access
  const { company, role } = access.value
  if (company.status !== 'verified') return err('VERIFICATION_STEP_INVALID', '企业完成认证后才能邀请成员')
  if (role !== 'admin') return err('FORBIDDEN', '仅企业管理员可以邀请成员')
  const now = deps.clock.now()
  const inviteId = deps.ids.newId()
  const phoneHash = lookupHash(deps.personalData, 'phone', phone.value)
  const validUntil = epochSeconds(now) + INVITATION_SECONDS
  const view: InvitationView = { inviteId, companyId: company.companyId, companyName: company.name, role: input.role, maskedPhone: maskPhone(phone.value), expiresAt: new Date(validUntil * 1000).toISOString() }
  await deps.metadata.put(
    {
      ...inviteKey(company.companyId, inviteId),
      ...inviteIndexKey(phoneHash, company.companyId, inviteId),
      type: 'invitation',
      ...view,
      phoneEnc: encryptPersonalData(deps.personalData, 'phone', phone.value),
      phoneHash,
      invitedBy: input.userId,
      createdAt: now.toISOString(),
      expiresAt: validUntil,
    },
    { mustNotExist: true },
  )
  deps.logger.info({ companyId: company.companyId, inviteId, role: input.role, invitedBy: input.userId }, 'member invited')
  return ok(view)
}
