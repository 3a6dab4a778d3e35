import { createHash } from 'node:crypto'
import type { CompanyView, SmsCodeSent } from '../../api/identity.types'
import { LETTER_SIGNATURE_RECT } from '../../core/identity/authorization-letter'
import { decryptPersonalData } from '../../core/identity/personal-data'
import { identitySerialNumber } from '../../core/pki/certificate-profile'
import { maxCmsSize } from '../../core/signing/build-cms-signed-data'
import { signPdf } from '../../core/signing/sign-pdf'
import { createSignatureAppearance } from '../../core/signing/signature-appearance'
import { err, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { confirmIntent } from '../signing/confirm-intent'
import { letterIntentTarget } from './create-authorization-letter'
import { finishCompanyVerification } from './finish-company-verification'
import { companyAccess } from './get-company'
import { loadUser } from './records'
import { requestIntentCode } from '../signing/request-intent-code'
import { verifyIntentProof } from '../signing/verify-intent-proof'
import type { CpuWork } from '../../ports/cpu-work'
import { beijingMinute } from '../../core/shared/beijing-time'

/**
 * `POST …/authorization-letter/sms-code`: the legal representative asks for the intent code that
 * confirms they sign this letter (bound to the letter's hash).
 */
export async function requestLetterCode(deps: IdentityDeps, input: { userId: string; companyId: string }): Promise<Result<SmsCodeSent>> {
  const ready = await legalRepAndLetter(deps, input)
  if (!ready.ok) return ready
  return requestIntentCode(deps, { userId: input.userId, ...letterIntentTarget(ready.value.company) })
}

/**
 * `POST …/authorization-letter/sign` (path a, last step): the legal representative — a verified
 * person whose ID number (lookup hash) and name are the company's registered legal representative
 * — confirms intent with the SMS code, and the letter is signed through the signing engine: a
 * PAdES signature (visible stamp, platform TSA timestamp) with an event certificate issued to the
 * legal representative for this act, bound to the intent proof's hash. The company is then
 * verified, with the applicant and the legal representative as its admins.
 */
export async function signAuthorizationLetter(deps: IdentityDeps & { cpu?: Pick<CpuWork, 'signPdf'> }, input: { userId: string; companyId: string; code: string }): Promise<Result<CompanyView>> {
  const ready = await legalRepAndLetter(deps, input)
  if (!ready.ok) return ready
  const { company, user } = ready.value
  const target = letterIntentTarget(company)
  const intent = await confirmIntent(deps, { userId: input.userId, ...target, method: 'sms', code: input.code })
  if (!intent.ok) return intent
  const proof = await verifyIntentProof(deps, { proofId: intent.value.proofId, ...target, userId: input.userId, consume: true })
  if (!proof.ok) return proof

  const letter = company.authorization!
  const pdf = await deps.objects.get(letter.objectKey)
  if (!pdf || createHash('sha256').update(pdf).digest('hex') !== letter.documentHash) throw new Error(`authorization letter ${letter.letterId} is missing or altered`)
  const now = deps.clock.now()
  const ca = deps.pki.ca
  const idNumber = decryptPersonalData(deps.personalData, 'id-number', user.person!.idNumberEnc)
  // An event certificate for this one signing act, bound to the contract id and the intent proof, recorded in the registry.
  const { signer } = await deps.pki.issueEventCertificate({
    name: company.legalRepName,
    organization: company.name,
    contractId: target.contractId,
    intentHash: proof.value.proofHash,
    subjectSerialNumber: identitySerialNumber(idNumber, deps.personalData.identitySalt),
    singleUse: true,
  })
  const request = {
    contentsSize: maxCmsSize(await signer.certificateChain(), true, ca.tsaCertificateDer.length),
    signingTime: now,
    signerName: company.legalRepName,
    reason: '法定代表人授权',
    location: 'CN',
    placement: { page: 0, rect: LETTER_SIGNATURE_RECT },
    repairBrokenXref: false,
  }
  const appearance = { signerName: company.legalRepName, dateText: beijingMinute(now), nameLabel: '法定代表人：' }
  // The PDF work runs on the CPU pool when the handler provides it; the key and the TSA stay here.
  const signed = deps.cpu
    ? unwrapSigned(await deps.cpu.signPdf(pdf, { ...request, appearance }, { signer, tsa: ca.tsa }))
    : (await signPdf(pdf, { ...request, signer, tsa: ca.tsa, appearance: createSignatureAppearance({ ...appearance, font: deps.font() }) })).toBytes()
  const signedObjectKey = letter.objectKey.replace(/\.pdf$/, '.signed.pdf')
  await deps.objects.put(signedObjectKey, signed, { contentType: 'application/pdf' })
  deps.logger.info({ companyId: company.companyId, letterId: letter.letterId, intentProofId: intent.value.proofId, step: 'letter-signed' }, 'company verification')

  const applicant = await loadUser(deps.metadata, company.applicantUserId)
  return finishCompanyVerification(deps, {
    company,
    changes: { authorization: { ...letter, signedAt: now.toISOString(), signedObjectKey, signedBy: input.userId, intentProofId: intent.value.proofId } },
    method: 'legal-rep-authorization',
    admins: applicant ? [applicant, user] : [user],
    caller: user,
  })
}

/** The company with an unsigned letter, and the caller when they are its legal representative. */
async function legalRepAndLetter(deps: IdentityDeps, input: { userId: string; companyId: string }) {
  const access = await companyAccess(deps, input)
  if (!access.ok) return access
  const { company, user } = access.value
  if (company.status === 'verified') return err('ALREADY_VERIFIED', '该企业已完成认证')
  const person = user.person
  if (person?.status !== 'verified') return err('PERSON_NOT_VERIFIED', '请先完成个人实名认证')
  if (person.idHash !== company.legalRepIdHash || person.name !== company.legalRepName) {
    return err('NOT_LEGAL_REPRESENTATIVE', `仅法定代表人${company.legalRepName}本人（已实名）可以签署授权书`)
  }
  if (!company.authorization || company.authorization.signedAt) return err('VERIFICATION_STEP_INVALID', '请申请人先生成授权书')
  return { ok: true as const, value: { company, user } }
}

/** The letter is the platform's own PDF: one that does not parse is a defect, not input. */
function unwrapSigned(signed: Result<Uint8Array>): Uint8Array {
  if (!signed.ok) throw new Error(`authorisation letter: ${signed.error.message}`)
  return signed.value
}
