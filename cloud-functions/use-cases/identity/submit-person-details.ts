import type { PersonVerificationView } from '../../api/identity.types'
import { parseIdNumber } from '../../core/identity/id-number'
import { encryptPersonalData, lookupHash } from '../../core/identity/personal-data'
import { parsePhone } from '../../core/identity/phone'
import { maskIdNumber, maskPhone } from '../../core/shared/mask'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { idNumberLookupKey, loadFaceCounter, personView, requireUser, withoutVersion, type PersonRecord } from './records'
import { callProvider, checkFailed } from './call-provider'

/** A name as the authorities accept it: Chinese (with ·) or Latin letters and spaces, 2–32 characters. */
const NAME = /^[\u3400-\u9fff\u00b7A-Za-z][\u3400-\u9fff\u00b7A-Za-z .]{0,30}[\u3400-\u9fff\u00b7A-Za-z.]$/

/**
 * `POST /api/identity/person`: step 1 of person verification. Checks locally (GB 11643 check digit,
 * birth date, region; mobile shape) — `ID_NUMBER_INVALID` / `PHONE_INVALID` naming the field — then
 * with the provider: name + ID number (only after it confirms them may the answer say the number
 * belongs to another account, `ID_NUMBER_IN_USE`), then the carrier three-element check. Only when both pass is
 * anything stored: the ID number and phone encrypted, with lookup hashes and masks; status
 * `checked`, next step face. A provider outage stores nothing (`PROVIDER_UNAVAILABLE`, retryable).
 */
export async function submitPersonDetails(deps: IdentityDeps, input: { userId: string; name: string; idNumber: string; phone: string }): Promise<Result<PersonVerificationView>> {
  const now = deps.clock.now()
  const name = input.name.trim()
  if (!NAME.test(name)) return err('VALIDATION_FAILED', '姓名格式不正确：请输入身份证上的姓名', { field: 'name' })
  const id = parseIdNumber(input.idNumber, now)
  if (!id.ok) return id
  const phone = parsePhone(input.phone)
  if (!phone.ok) return phone

  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  if (user.value.person?.status === 'verified') return err('ALREADY_VERIFIED', '您已完成实名认证')
  const idHash = lookupHash(deps.personalData, 'id-number', id.value.value)

  const idCheck = await callProvider(deps.logger, 'verifyIdNumber', () => deps.identity.verifyIdNumber({ name, idNumber: id.value.value }))
  if (!idCheck.ok) return idCheck
  if (idCheck.value.outcome === 'fail') return { ok: false, error: checkFailed(idCheck.value, '姓名与身份证号核验未通过') }
  // Only now, with name and number confirmed by the provider, may the answer depend on whether the
  // number is registered: before, any user could test any number with any name (an oracle).
  const owner = await deps.metadata.get(idNumberLookupKey(idHash).pk, idNumberLookupKey(idHash).sk)
  if (owner && owner.userId !== input.userId) return err('ID_NUMBER_IN_USE', '该身份证号已绑定其他账号，请使用原账号登录', { field: 'idNumber' })
  const phoneCheck = await callProvider(deps.logger, 'verifyPhoneOwner', () => deps.identity.verifyPhoneOwner({ name, idNumber: id.value.value, phone: phone.value }))
  if (!phoneCheck.ok) return phoneCheck
  if (phoneCheck.value.outcome === 'fail') return { ok: false, error: checkFailed(phoneCheck.value, '手机号实名核验未通过（手机号需登记在本人名下）') }

  const person: PersonRecord = {
    status: 'checked',
    name,
    idNumberEnc: encryptPersonalData(deps.personalData, 'id-number', id.value.value),
    idHash,
    maskedIdNumber: maskIdNumber(id.value.value),
    phoneEnc: encryptPersonalData(deps.personalData, 'phone', phone.value),
    phoneHash: lookupHash(deps.personalData, 'phone', phone.value),
    maskedPhone: maskPhone(phone.value),
    checkedAt: now.toISOString(),
  }
  const written = await deps.metadata.put({ ...withoutVersion(user.value), person }, { expectedVersion: user.value.version })
  if (!written.ok) return err('CONFLICT', '认证信息已被修改，请刷新后重试')
  deps.logger.info({ userId: input.userId, step: 'details-checked' }, 'person verification')
  const counter = await loadFaceCounter(deps.metadata, idHash)
  return ok(personView({ ...user.value, person, version: user.value.version + 1 }, counter, now, deps.identity.describe().kind === 'sandbox'))
}
