import type { CompanyView, PersonVerificationView } from '../../api/identity.types'
import { FACE_POLICY, lockState, type FailureCounter } from '../../core/identity/attempt-limits'
import { err, ok, type Result } from '../../core/shared/result'
import type { Item, MetadataStore, NewItem } from '../../ports/metadata-store'
import type { SmsPurpose } from '../../ports/sms-sender'

/**
 * Records of accounts, people and companies shared by the identity use cases, and their views.
 * Keys (other areas rely on the user, company and member records):
 *
 * | record | pk | sk | index (gsi1pk / gsi1sk) |
 * |---|---|---|---|
 * | account + person verification | `USER#<userId>` | `PROFILE` | |
 * | company + its verification | `COMPANY#<companyId>` | `PROFILE` | `USER#<applicant>` / `APPLICATION#<companyId>` |
 * | member | `COMPANY#<companyId>` | `MEMBER#<userId>` | `USER#<userId>` / `COMPANY#<companyId>` |
 * | invitation | `COMPANY#<companyId>` | `INVITE#<inviteId>` | `INVITEE#<phoneHash>` / `INVITE#<companyId>#<inviteId>` |
 * | login phone → account | `PHONE#<phoneHash>` | `USER` | |
 * | WeChat openid → account | `WECHAT#<openidHash>` | `USER` | |
 * | verified ID number → account | `IDNO#<idHash>` | `USER` | |
 * | face failures of an ID number | `IDNO#<idHash>` | `FACE_LIMIT` | |
 * | verified credit code → company | `CREDITCODE#<code>` | `COMPANY` | |
 * | SMS code / daily count | `SMSCODE#<phoneHash>` | `CODE#<purpose>` / `DAY#<yyyy-mm-dd>` | |
 * | intent proof / face challenge | `INTENT#<contractId>#<signerId>` | `PROOF#<proofId>` / `FACE#<challengeId>` | |
 *
 * Hashes are lookup hashes (HMAC under the personal-data key); ID numbers, phones and bank accounts
 * are stored only encrypted (`…Enc`) and masked (`masked…`).
 */
/** A company member's role. `admin` manages members and seals; `operator` acts for the company. */
export type MemberRole = 'admin' | 'operator'

/**
 * Metadata keys of the identity records other areas rely on:
 * - user: `USER#<userId>` / `PROFILE`
 * - company: `COMPANY#<companyId>` / `PROFILE`
 * - member: `COMPANY#<companyId>` / `MEMBER#<userId>`, indexed by `gsi1pk USER#<userId>`, `gsi1sk COMPANY#<companyId>`
 */
export const userKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' })
export const companyKey = (companyId: string) => ({ pk: `COMPANY#${companyId}`, sk: 'PROFILE' })
export const memberKey = (companyId: string, userId: string) => ({
  pk: `COMPANY#${companyId}`,
  sk: `MEMBER#${userId}`,
  gsi1pk: `USER#${userId}`,
  gsi1sk: `COMPANY#${companyId}`,
})

/**
 * The role `userId` holds in `companyId`, or `undefined` when they are not a member.
 *
 * @example
 * const m = await findMembership(deps, { userId, companyId })
 * if (m?.role !== 'admin') return err('FORBIDDEN', '仅企业管理员可以执行此操作')
 */
export async function findMembership(
  deps: { metadata: MetadataStore },
  input: { userId: string; companyId: string },
): Promise<{ role: MemberRole } | undefined> {
  if (!input.userId || !input.companyId) return undefined
  const { pk, sk } = memberKey(input.companyId, input.userId)
  const item = await deps.metadata.get(pk, sk)
  if (!item) return undefined
  const role = item.role
  return role === 'admin' || role === 'operator' ? { role } : undefined
}

export const phoneLookupKey = (phoneHash: string) => ({ pk: `PHONE#${phoneHash}`, sk: 'USER' })
export const wechatLookupKey = (openidHash: string) => ({ pk: `WECHAT#${openidHash}`, sk: 'USER' })
export const idNumberLookupKey = (idHash: string) => ({ pk: `IDNO#${idHash}`, sk: 'USER' })
export const faceLimitKey = (idHash: string) => ({ pk: `IDNO#${idHash}`, sk: 'FACE_LIMIT' })
export const creditCodeLookupKey = (creditCode: string) => ({ pk: `CREDITCODE#${creditCode}`, sk: 'COMPANY' })
export const inviteKey = (companyId: string, inviteId: string) => ({ pk: `COMPANY#${companyId}`, sk: `INVITE#${inviteId}` })

/**
 * Whether a company profile record says the company passed enterprise verification (企业认证).
 * Identity owns the record; this accepts its `verificationStatus: 'verified'` (and the equivalent
 * `status: 'verified'` / `verified: true` spellings).
 */
export function isCompanyVerified(profile: Item | undefined): boolean {
  if (!profile) return false
  return profile.verificationStatus === 'verified' || profile.status === 'verified' || profile.verified === true
}

export type PersonRecord = {
  status: 'checked' | 'verified'
  name: string
  idNumberEnc: string
  idHash: string
  maskedIdNumber: string
  phoneEnc: string
  phoneHash: string
  maskedPhone: string
  checkedAt: string
  verifiedAt?: string
  faceSession?: { token: string; startedAt: string; validUntil: number }
  certificate?: { serialNumber: string; notAfter: string; objectKey: string }
}

export type UserRecord = Item & UserFields
export type UserFields = {
  type: 'user'
  userId: string
  createdAt: string
  loginPhoneEnc?: string
  loginPhoneHash?: string
  maskedLoginPhone?: string
  wechatOpenIdHash?: string
  /** The openid itself, encrypted: WeChat subscription messages are addressed to it. */
  wechatOpenIdEnc?: string
  person?: PersonRecord
}

export type CompanyRecord = Item & CompanyFields
export type CompanyFields = {
  type: 'company'
  companyId: string
  name: string
  creditCode: string
  legalRepName: string
  legalRepIdEnc: string
  legalRepIdHash: string
  maskedLegalRepIdNumber: string
  applicantUserId: string
  status: 'pending' | 'verified'
  method?: 'legal-rep-authorization' | 'micro-deposit'
  createdAt: string
  verifiedAt?: string
  authorization?: { letterId: string; documentHash: string; objectKey: string; createdAt: string; signedAt?: string; signedObjectKey?: string; signedBy?: string; intentProofId?: string }
  microDeposit?: {
    reference: string
    payoutId: string
    bankName: string
    bankAccountEnc: string
    bankAccountHash: string
    maskedBankAccount: string
    amountSalt: string
    amountHash: string
    attempts: number
    sentAt: number
    validUntil: number
    confirmedAt?: number
  }
  certificate?: { serialNumber: string; notAfter: string; objectKey: string }
}

export async function loadUser(metadata: MetadataStore, userId: string): Promise<UserRecord | undefined> {
  const item = await metadata.get(userKey(userId).pk, userKey(userId).sk)
  return item as UserRecord | undefined
}

/** The account behind a session; `UNAUTHENTICATED` when it no longer exists. */
export async function requireUser(metadata: MetadataStore, userId: string): Promise<Result<UserRecord>> {
  const user = await loadUser(metadata, userId)
  return user ? ok(user) : err('UNAUTHENTICATED', '账号不存在，请重新登录')
}

export async function loadCompany(metadata: MetadataStore, companyId: string): Promise<CompanyRecord | undefined> {
  if (!/^[0-9A-Z]{26}$/.test(companyId)) return undefined
  const item = await metadata.get(companyKey(companyId).pk, companyKey(companyId).sk)
  return item as CompanyRecord | undefined
}

/** An item without its store-maintained version, ready to put back. */
export function withoutVersion<T extends Item>(item: T): Omit<T, 'version'> & NewItem {
  const { version: _v, ...rest } = item
  return rest as Omit<T, 'version'> & NewItem
}

export const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000)

export async function loadFaceCounter(metadata: MetadataStore, idHash: string): Promise<(FailureCounter & { version?: number }) | undefined> {
  const item = await metadata.get(faceLimitKey(idHash).pk, faceLimitKey(idHash).sk)
  return item ? { failures: Number(item.failures ?? 0), lockedUntil: item.lockedUntil as number | undefined, version: item.version } : undefined
}

export function personView(user: UserRecord | undefined, counter: FailureCounter | undefined, now: Date, sandbox: boolean): PersonVerificationView {
  const p = user?.person
  const state = lockState(counter, now)
  const failures = state.locked ? (counter?.failures ?? FACE_POLICY.maxFailures) : state.failures
  const face = {
    failures,
    attemptsLeft: state.locked ? 0 : Math.max(0, FACE_POLICY.maxFailures - failures),
    ...(state.locked ? { lockedUntil: new Date(counter!.lockedUntil! * 1000).toISOString() } : {}),
    inProgress: Boolean(p?.faceSession && p.faceSession.validUntil > epochSeconds(now)),
  }
  if (!p) return { status: 'unverified', nextStep: 'details', face, sandbox }
  return {
    status: p.status,
    nextStep: p.status === 'verified' ? 'done' : 'face',
    name: p.name,
    maskedIdNumber: p.maskedIdNumber,
    maskedPhone: p.maskedPhone,
    ...(p.verifiedAt ? { verifiedAt: p.verifiedAt } : {}),
    face,
    ...(p.certificate ? { certificate: { serialNumber: p.certificate.serialNumber, notAfter: p.certificate.notAfter } } : {}),
    sandbox,
  }
}

/** The caller's relation to a company: member role, else applicant, else legal representative. */
export async function callerRole(metadata: MetadataStore, company: CompanyRecord, user: UserRecord): Promise<CompanyView['myRole']> {
  const member = await metadata.get(memberKey(company.companyId, user.userId).pk, memberKey(company.companyId, user.userId).sk)
  if (member && (member.role === 'admin' || member.role === 'operator')) return member.role as MemberRole
  if (company.applicantUserId === user.userId) return 'applicant'
  if (user.person?.status === 'verified' && user.person.idHash === company.legalRepIdHash) return 'legal-rep'
  return undefined
}

export function companyView(company: CompanyRecord, myRole: CompanyView['myRole'], user: UserRecord | undefined, now: Date, microDepositAvailable: boolean): CompanyView {
  const t = epochSeconds(now)
  const md = company.microDeposit
  const a = company.authorization
  return {
    companyId: company.companyId,
    name: company.name,
    creditCode: company.creditCode,
    legalRepName: company.legalRepName,
    maskedLegalRepIdNumber: company.maskedLegalRepIdNumber,
    status: company.status,
    ...(company.method ? { method: company.method } : {}),
    ...(myRole ? { myRole } : {}),
    ...(a
      ? {
          authorization: {
            letterId: a.letterId,
            documentHash: a.documentHash,
            status: a.signedAt ? ('signed' as const) : ('awaiting-signature' as const),
            callerIsLegalRep: Boolean(user?.person?.status === 'verified' && user.person.idHash === company.legalRepIdHash),
            ...(a.signedAt ? { signedAt: a.signedAt } : {}),
          },
        }
      : {}),
    ...(md
      ? {
          microDeposit: {
            bankName: md.bankName,
            maskedBankAccount: md.maskedBankAccount,
            attemptsLeft: Math.max(0, 3 - md.attempts),
            expiresAt: new Date(md.validUntil * 1000).toISOString(),
            state: md.confirmedAt ? ('confirmed' as const) : md.attempts >= 3 ? ('exhausted' as const) : t >= md.validUntil ? ('expired' as const) : ('awaiting-amount' as const),
          },
        }
      : {}),
    ...(company.verifiedAt ? { verifiedAt: company.verifiedAt } : {}),
    ...(company.certificate ? { certificate: { serialNumber: company.certificate.serialNumber, notAfter: company.certificate.notAfter } } : {}),
    microDepositAvailable,
  }
}

/** Keys of a phone's current code for one purpose, and of its daily count. */
export const smsCodeKey = (phoneHash: string, purpose: SmsPurpose) => ({ pk: `SMSCODE#${phoneHash}`, sk: `CODE#${purpose}` })

export const smsDayKey = (phoneHash: string, day: string, purpose: SmsPurpose) => ({ pk: `SMSCODE#${phoneHash}`, sk: `DAY#${day}#${purpose}` })

/** The partition of a user's own records, and the index partition of their memberships, applications and grants. */
export const userPartition = (userId: string) => `USER#${userId}`
/** The partition of a company's records (profile, members, invitations, seals and their grants, requests and uses). */
export const companyPartition = (companyId: string) => `COMPANY#${companyId}`
/** Sort-key prefix of a company's members; index sort-key prefix of a user's memberships. */
export const MEMBER_PREFIX = 'MEMBER#'
export const MEMBERSHIP_INDEX_PREFIX = 'COMPANY#'
/** Index entry of a company application under its applicant. */
export const applicationIndexKey = (userId: string, companyId: string) => ({ gsi1pk: userPartition(userId), gsi1sk: `APPLICATION#${companyId}` })
/** Index partition of the invitations sent to a phone, and the entry of one invitation in it. */
export const inviteePartition = (phoneHash: string) => `INVITEE#${phoneHash}`
export const inviteIndexKey = (phoneHash: string, companyId: string, inviteId: string) => ({ gsi1pk: inviteePartition(phoneHash), gsi1sk: `INVITE#${companyId}#${inviteId}` })
/** The personal-data key, wrapped under the master key (one per deployment). */
export const personalDataKeyKey = { pk: 'SYSTEM#KEYS', sk: 'PERSONAL_DATA_KEY#V1' }

/** The counter of unauthenticated sends from one source (IP lookup hash, never the address) in one window. */
export const sourceSendKey = (sourceHash: string, windowStart: number) => ({ pk: `SENDLIMIT#${sourceHash}`, sk: `WINDOW#${windowStart}` })
