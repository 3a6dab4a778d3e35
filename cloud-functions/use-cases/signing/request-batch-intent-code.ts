import type { SmsCodeSent } from '../../api/identity.types'
import { batchItemsDigest, type BatchIntentItem } from '../../core/identity/batch-intent-proof'
import { err, ok, type Result } from '../../core/shared/result'
import type { SigningDeps } from './deps'
import { requireUser } from '../identity/records'
import { sendSmsCode } from '../identity/send-sms-code'
import { intentPhone } from './request-intent-code'
import { requireIntentParty } from './require-intent-party'

/** What a batch intent code is bound to: the batch's acts (contracts, signers, document hashes, in order) and the account. */
export const batchIntentScope = (userId: string, items: readonly BatchIntentItem[]) => ['intent-batch', batchItemsDigest(items), userId].join('\u0000')

/**
 * Every act of the batch must be the caller's: a signer party bound to them in a live contract
 * (`requireIntentParty`). The first that is not is `CONTRACT_NOT_FOUND` (404) naming it in
 * `details.contractId`, before anything is sent or written.
 */
export async function requireBatchParties(deps: SigningDeps, userId: string, items: readonly BatchIntentItem[]): Promise<Result<void>> {
  for (const item of items) {
    if (item.contractId.startsWith('company-authorization.')) return err('CONTRACT_NOT_FOUND', '授权书不能批量签署', { contractId: item.contractId })
    const party = await requireIntentParty(deps, { userId, ...item })
    if (!party.ok) return err('CONTRACT_NOT_FOUND', party.error.message, { contractId: item.contractId })
  }
  return ok(undefined)
}

/**
 * `POST /api/signing/intent/batches/sms-codes`: one SMS code (意愿认证) for a whole batch of signing
 * acts (批量签署), sent to the caller's verified phone and bound to the batch's acts and account.
 * Same limits as every intent code.
 */
export async function requestBatchIntentCode(deps: SigningDeps, input: { userId: string; items: readonly BatchIntentItem[] }): Promise<Result<SmsCodeSent>> {
  const parties = await requireBatchParties(deps, input.userId, input.items)
  if (!parties.ok) return parties
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const phone = intentPhone(deps, user.value)
  if (!phone) return err('PERSON_NOT_VERIFIED', '账号没有可接收验证码的手机号，请先完成实名认证')
  return sendSmsCode(deps, { phone, purpose: 'intent', scope: batchIntentScope(input.userId, input.items) })
}
