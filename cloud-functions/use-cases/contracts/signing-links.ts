import { createHash, randomBytes } from 'node:crypto'
import type { SigningLinkLoginResponse, SigningLinkView } from '../../api/contracts.types'
import type { SmsCodeSent } from '../../api/identity.types'
import { partyName } from '../../core/contracts/contract'
import { isLive } from '../../core/contracts/party-of-user'
import { err, ok, type Result } from '../../core/shared/result'
import { loginWithSmsCode } from '../identity/login-with-sms-code'
import { requestLoginCode } from '../identity/request-login-code'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { appendEvidence } from '../evidence/append-evidence'
import type { TransactOperation } from '../../ports/metadata-store'
import type { ContractDeps } from './deps'
import { loadContractItem, partyLinkKey, partyPhone, signingLinkKey, type ContractItem } from './records'

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * How long a link record outlives the deadline. The link stops working at the deadline (the
 * contract is no longer live), but a late click should hear "已失效：合同已结束" (`LINK_EXPIRED`), not
 * "无效或已被替换" (`LINK_INVALID`), which is what a record already removed by its TTL would answer.
 */
export const LINK_RECORD_GRACE_SECONDS = 30 * 86400

/**
 * A new signing link for one party of a sent contract: 128 random bits (22 base64url characters),
 * stored only as its SHA-256, working until the deadline (the record is kept a while longer, see
 * {@link LINK_RECORD_GRACE_SECONDS}). A party has one link at a time: making
 * a new one (a resend) deletes the previous one. The URL is `<public URL>/s/<token>`. `also`: other
 * writes committed with the link's (a newly notified party's reminders).
 */
export async function createSigningLink(deps: ContractDeps, item: ContractItem, partyId: string, also: readonly TransactOperation[] = []): Promise<string> {
  const token = randomBytes(16).toString('base64url')
  const c = item.contract
  const expiresAt = Math.floor(Date.parse(c.deadline) / 1000) + LINK_RECORD_GRACE_SECONDS
  const current = partyLinkKey(c.contractId, partyId)
  const previous = await deps.metadata.get(current.pk, current.sk)
  const tokenHash = hashToken(token)
  // The link, the party's pointer to it and the removal of the link it replaces (and `also`): one commit.
  const operations: TransactOperation[] = [
    { put: { ...signingLinkKey(tokenHash), type: 'signing-link', contractId: c.contractId, partyId, expiresAt } },
    { put: { ...current, type: 'signing-link-pointer', tokenHash, expiresAt } },
    ...also,
  ]
  if (typeof previous?.tokenHash === 'string' && previous.tokenHash !== tokenHash) operations.push({ delete: signingLinkKey(previous.tokenHash) })
  const written = await deps.metadata.transact(operations)
  // Writes without conditions cannot conflict; a store that says otherwise is broken.
  if (!written.ok) throw new Error(`signing link not written: ${written.message}`)
  return `${deps.config.publicBaseUrl.replace(/\/$/, '')}/s/${token}`
}

/** The link's contract and party if the link exists, is the party's current one and the contract is still out for signing. */
async function resolveLink(deps: ContractDeps, token: string): Promise<Result<{ item: ContractItem; partyId: string }>> {
  const key = signingLinkKey(hashToken(token))
  const link = await deps.metadata.get(key.pk, key.sk)
  if (!link) return err('LINK_INVALID', '签署链接无效或已被新的链接替换')
  const item = await loadContractItem(deps.metadata, String(link.contractId))
  if (!item || !isLive(item.contract, deps.clock.now())) return err('LINK_EXPIRED', '签署链接已失效：合同已结束或已过签署截止时间')
  return ok({ item, partyId: String(link.partyId) })
}

/** What a link's page shows before the SMS code: the contract's title, the party, the masked phone. The opening is recorded as evidence (`link.opened`). */
export async function openSigningLink(deps: ContractDeps, input: { token: string; request?: EvidenceContext }): Promise<Result<SigningLinkView>> {
  const link = await resolveLink(deps, input.token)
  if (!link.ok) return link
  const { item, partyId } = link.value
  const contractId = item.contract.contractId
  const recorded = await appendEvidence(deps, { event: { type: 'link.opened', data: { contractId, partyId } }, at: deps.clock.now(), context: input.request ?? { actor: 'anonymous' } })
  if (!recorded.ok) return recorded
  const party = item.contract.parties.find((p) => p.partyId === partyId)!
  return ok({
    contractTitle: item.contract.title,
    partyName: partyName(party),
    maskedPhone: party.kind === 'person' ? party.phone : party.member.phone,
    senderName: item.senderCompanyName ?? item.senderName,
    deadline: item.contract.deadline,
  })
}

/** Send the login code to the link's party's phone (the holder never learns or types the number). */
export async function requestSigningLinkCode(deps: ContractDeps, input: { token: string; sourceIp?: string }): Promise<Result<SmsCodeSent>> {
  const link = await resolveLink(deps, input.token)
  if (!link.ok) return link
  const phone = partyPhone(deps.personalData, link.value.item, link.value.partyId)
  if (!phone) return err('LINK_INVALID', '签署链接无效')
  return requestLoginCode(deps, { phone, sourceIp: input.sourceIp })
}

/** The code from that phone logs the holder in as the phone's account (created on first login); the app then opens the contract. */
export async function loginWithSigningLink(deps: ContractDeps, input: { token: string; code: string }): Promise<Result<SigningLinkLoginResponse>> {
  const link = await resolveLink(deps, input.token)
  if (!link.ok) return link
  const phone = partyPhone(deps.personalData, link.value.item, link.value.partyId)
  if (!phone) return err('LINK_INVALID', '签署链接无效')
  const login = await loginWithSmsCode(deps, { phone, code: input.code })
  if (!login.ok) return login
  return ok({ ...login.value, contractId: link.value.item.contract.contractId, partyId: link.value.partyId })
}
