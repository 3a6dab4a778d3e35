import type { SmsCodeSent } from '../../api/identity.types'
import { decryptPersonalData } from '../../core/identity/personal-data'
import { err, type Result } from '../../core/shared/result'
import type { SigningDeps } from './deps'
import { requireUser, type UserRecord } from '../identity/records'
import { sendSmsCode } from '../identity/send-sms-code'

/** The target of an intent confirmation: one signer of one contract, and the document they saw. */
export type IntentTarget = { contractId: string; signerId: string; documentHash: string }

/** What an intent code is bound to: the act (contract, signer, document hash) and the account. */
export const intentScope = (userId: string, t: IntentTarget) => ['intent', t.contractId, t.signerId, t.documentHash, userId].join('\u0000')

/** The phone intent codes go to: the real-name verified phone, else the login phone. */
export function intentPhone(deps: SigningDeps, user: UserRecord): string | undefined {
  if (user.person?.phoneEnc) return decryptPersonalData(deps.personalData, 'phone', user.person.phoneEnc)
  if (user.loginPhoneEnc) return decryptPersonalData(deps.personalData, 'phone', user.loginPhoneEnc)
  return undefined
}

/**
 * `POST /api/signing/intent/sms-codes`: an SMS code (意愿认证) for one signing act, sent to the caller's
 * verified phone, bound to contract + signer + document hash + account. Same limits as every code
 * (60 s resend, 10 per phone per day, 5 min, 5 attempts).
 */
export async function requestIntentCode(deps: SigningDeps, input: { userId: string } & IntentTarget): Promise<Result<SmsCodeSent>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const phone = intentPhone(deps, user.value)
  if (!phone) return err('PERSON_NOT_VERIFIED', '账号没有可接收验证码的手机号，请先完成实名认证')
  return sendSmsCode(deps, { phone, purpose: input.contractId.startsWith('company-authorization.') ? 'authorization' : 'intent', scope: intentScope(input.userId, input) })
}
