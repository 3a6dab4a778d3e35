import { createHash } from 'node:crypto'
import type { SignContractResponse } from '../../api/contracts.types'
import { applyCommand } from '../../core/contracts/apply-command'
import type { Contract, FieldValue, Party } from '../../core/contracts/contract'
import { maskReference, type EvidenceContext, type EvidenceEvent } from '../../core/evidence/evidence-event'
import { err, ok, type Result } from '../../core/shared/result'
import { parseCertificate } from '../../core/pki/certificate-info'
import { serialNumberText } from '../../core/pki/serial-number'
import { maxCmsSize } from '../../core/signing/build-cms-signed-data'
import type { TransactOperation } from '../../ports/metadata-store'
import { isCompanyVerified, withoutVersion, epochSeconds, type UserRecord } from '../identity/records'
import { collectValidationData } from '../pki/collect-validation-data'
import { canUseSeal } from '../seals/can-use-seal'
import { requestSealUse } from '../seals/request-seal-use'
import { pdfImageKey, signatureKey, signatureObjectKey, sealObjectKey } from '../seals/records'
import { useSeal } from '../seals/use-seal'
import { intentProofKey } from '../signing/records'
import { verifyIntentProof } from '../signing/verify-intent-proof'
import { noAnchor } from '../../ports/anchor'
import { createCheckpoint } from '../evidence/create-checkpoint'
import { commitTransition } from './commit-transition'
import { bindParty, callerParty, toContractView, withPartyCompany, type Caller } from './contract-view'
import type { ContractDeps } from './deps'
import { findActingCompany } from './find-acting-company'
import { findContract, loadCaller } from './find-contract'
import { loadPartySealRequests } from './load-party-seal-requests'
import { notifyParties } from './notify-parties'
import { loadContractItem, recordPartySealRequest, revisionObjectKey, type ContractItem } from './records'
import { formFieldName, signatureFieldName } from './send-contract'
import { beijingMinute } from '../../core/shared/beijing-time'
import { ensureEvidenceReport } from '../evidence/generate-evidence-report'

export type SignContractInput = {
  userId: string
  contractId: string
  intentProofId: string
  values?: Record<string, string | boolean>
  signatureId?: string
  sealId?: string
  /** Who and from where, for the evidence records (`handlers/request-context.ts`). */
  request?: EvidenceContext
}

/**
 * How many conflicts without progress a signature survives. A conflict where a co-signer's revision
 * landed (the newest revision changed) is progress and is not counted: with n parallel signers
 * pressing "sign" together, the last one is rebased n − 1 times, which a fixed budget would cut
 * off as `SIGNING_BUSY` once n approaches it. Progress is bounded by the number of signers, so the
 * loop still ends.
 */
export const SIGN_ATTEMPTS = 12
const PLACEHOLDER_HASH = '0'.repeat(64)

/** What the signer puts on the page: their image (handwriting or personal seal, or the company seal) and who they are. */
/** seal / handwriting: the image's PNG, or the same image made ready for PDF pages when it was stored (both embed the same way). */
type Mark = { signerName: string; organization?: string; companyId?: string; seal?: Uint8Array; handwriting?: Uint8Array }

/**
 * Sign a contract as the caller's party (签署):
 * 1. the caller is a party whose turn it is, the contract is live, the values are valid (the core
 *    state machine decides, before any work);
 * 2. the caller is real-name verified and is that party (a person: the same name; a company: its
 *    acting member, a member of that verified company);
 * 3. an intent proof (意愿认证) for this contract, this party and the *prepared* document's hash,
 *    made by the caller within 10 minutes and not used;
 * 4. the mark: a personal signature of the caller, or the company's seal if `canUseSeal` allows it —
 *    when the member needs an approved 用印申请, one is raised and the answer is
 *    `awaiting-seal-approval` (nothing signed; sign again once approved); a rejected request is
 *    `SEAL_NOT_AUTHORISED` with reason `APPROVAL_REJECTED`;
 * 5. an event certificate bound to the intent proof's hash signs one new incremental revision on top
 *    of the newest revision (on the CPU pool, PAdES B-T); the revision is stored content-addressed;
 * 6. the contract, the proof marked used and the evidence record are written in one conditional
 *    transaction. If a parallel co-signer's revision landed first, the signature is made again on top
 *    of the newer revision (the intent proof binds the prepared hash, so it still holds);
 * 7. after the last signer: the completion revision (DSS + document time-stamp); the next group or
 *    everyone is told.
 * A failure leaves the contract as it was: a stored revision no record points at is unreachable.
 */
export async function signContract(deps: ContractDeps, input: SignContractInput): Promise<Result<SignContractResponse>> {
  const { caller, user } = await loadCaller(deps.metadata, input.userId)
  let found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const party = callerParty(found.value, caller)
  if (!party) return err('FORBIDDEN', '您不是该合同的签署方')
  const marks = { ...(input.signatureId ? { signatureId: input.signatureId } : {}), ...(input.sealId ? { sealId: input.sealId } : {}) }
  const values = input.values ?? {}

  // 1. Turn, liveness and values, before anything else.
  const dryRun = applyCommand(bindParty(found.value.contract, party.partyId, input.userId), { type: 'sign', partyId: party.partyId, values, marks, documentSha256: PLACEHOLDER_HASH }, deps.clock.now())
  if (!dryRun.ok) return dryRun
  // 2. Real name.
  const identity = await checkSignerIdentity(deps, user, party)
  if (!identity.ok) return identity
  // 3. Intent for the prepared document.
  const preparedSha256 = found.value.contract.document.preparedSha256!
  const intent = await verifyIntentProof(deps, { proofId: input.intentProofId, contractId: input.contractId, signerId: party.partyId, documentHash: preparedSha256, userId: input.userId })
  if (!intent.ok) return intent
  // 4. The mark.
  const mark = await chooseMark(deps, input, party, identity.value)
  if (!mark.ok) return mark
  if ('awaiting' in mark.value) {
    // The contract view shows the party's 用印申请 (审批中 / 已通过 / 已驳回) from now on.
    await recordPartySealRequest(deps.metadata, input.contractId, party.partyId, { companyId: identity.value.companyId!, requestId: mark.value.awaiting })
    const sealRequests = await loadPartySealRequests(deps.metadata, found.value)
    const shown = { ...found.value, contract: withPartyCompany(found.value.contract, party.partyId, identity.value.companyId) }
    return ok({ status: 'awaiting-seal-approval', requestId: mark.value.awaiting, contract: toContractView(shown, caller, deps.clock.now(), { sealRequests }) })
  }
  const drawn = mark.value

  // 5.–6. Certificate, signature on the newest revision, conditional commit; rebase and retry on conflict.
  const proofKey = intentProofKey({ contractId: input.contractId, signerId: party.partyId }, input.intentProofId)
  let misses = 0
  for (let attempt = 1; misses < SIGN_ATTEMPTS; attempt++) {
    const item = found.value
    const now = deps.clock.now()
    // A company party is tied to the company its member signs for (the view shows its id).
    const bound = withPartyCompany(bindParty(item.contract, party.partyId, input.userId), party.partyId, identity.value.companyId)
    const check = applyCommand(bound, { type: 'sign', partyId: party.partyId, values, marks, documentSha256: PLACEHOLDER_HASH }, now)
    if (!check.ok) return check
    const filled = (check.value.events.find((e) => e.type === 'SignerSigned') as { values: Record<string, FieldValue> }).values
    const latest = item.contract.document.latestSha256!
    // An event certificate's key signs once and is destroyed: a rebased attempt needs a fresh one
    // (bound to the same intent proof). It is issued (key on the libuv pool, registry write) while
    // the newest revision is read: neither waits for the other.
    const [{ signer, certificateDer }, base] = await Promise.all([
      deps.pki.issueEventCertificate({
        name: drawn.signerName,
        ...(drawn.organization ? { organization: drawn.organization } : {}),
        contractId: input.contractId,
        intentHash: intent.value.proofHash,
      }),
      deps.objects.get(revisionObjectKey(input.contractId, latest)),
    ])
    if (!base) throw new Error(`contract ${input.contractId}: revision ${latest} is missing from the object store`)
    const contentsSize = maxCmsSize(await signer.certificateChain(), true)
    const signed = await deps.cpu.signPdf(
      base,
      {
        contentsSize,
        signingTime: now,
        signerName: drawn.signerName,
        reason: `签署《${item.contract.title}》`,
        fieldName: signatureFieldName(party.partyId),
        repairBrokenXref: false,
        appearance: {
          signerName: drawn.organization ?? drawn.signerName,
          nameLabel: drawn.organization ? '' : undefined,
          dateText: beijingMinute(now),
          ...(drawn.seal ? { seal: drawn.seal } : {}),
          ...(drawn.handwriting ? { handwriting: drawn.handwriting } : {}),
          fieldValues: Object.fromEntries(Object.entries(filled).map(([id, v]) => [formFieldName(id), v])),
        },
      },
      { signer, tsa: deps.pki.ca.tsa },
    )
    // Nothing stored yet: the contract stays as it was.
    if (!signed.ok) return signed
    const documentSha256 = createHash('sha256').update(signed.value).digest('hex')
    await deps.objects.put(revisionObjectKey(input.contractId, documentSha256), signed.value, { contentType: 'application/pdf' })
    const t = applyCommand(bound, { type: 'sign', partyId: party.partyId, values, marks, documentSha256 }, now)
    if (!t.ok) return t
    const proof = await deps.metadata.get(proofKey.pk, proofKey.sk)
    if (!proof || proof.usedAt !== undefined) return err('INTENT_PROOF_INVALID', '该意愿认证已用于一次签署，请重新认证', { reason: 'used' })
    const consume: TransactOperation = { put: { ...withoutVersion(proof), usedAt: epochSeconds(now) }, condition: { expectedVersion: proof.version } }
    const committed = await commitTransition(deps, item, { contract: t.value.contract }, t.value.events, now, [consume], {
      context: input.request ?? { actor: `user:${input.userId}` },
      // As X509Certificate#serialNumber writes it, read by the platform's DER parser (alone ≈ 85 µs against Node's 145 µs).
      certificateSerial: serialNumberText(parseCertificate(certificateDer).serialNumber),
      before: [identityVerified(input.contractId, party.partyId, user!)],
      ...(drawn.companyId && input.sealId ? { after: [{ type: 'seal.used', data: { contractId: input.contractId, partyId: party.partyId, companyId: drawn.companyId, sealId: input.sealId, documentHash: documentSha256 } }] } : {}),
    })
    if (committed.ok) {
      deps.logger.info({ userId: input.userId, contractId: input.contractId, partyId: party.partyId, documentSha256, attempt }, 'contract signed')
      return ok(await afterSigning(deps, committed.value, t.value.events, { caller, drawn, input, documentSha256 }))
    }
    // Someone else changed the contract: read it again and sign on top of the newest revision.
    const reloaded = await findContract(deps.metadata, input.contractId, caller)
    if (!reloaded.ok) return reloaded
    found = reloaded
    if (reloaded.value.contract.document.latestSha256 === latest) misses += 1
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * Math.min(attempt, 5))))
  }
  return err('SIGNING_BUSY', '合同正在被其他签署方签署，请稍后重试')
}

/** The real-name verification (实名认证) a signature relies on, as evidence: method, the verified ID's lookup hash, when; the provider's reference masked. */
function identityVerified(contractId: string, partyId: string, user: UserRecord): EvidenceEvent {
  const person = user.person!
  return {
    type: 'identity.verified',
    data: {
      contractId,
      partyId,
      method: 'face',
      ...(person.faceSession?.token ? { providerReference: maskReference(person.faceSession.token) } : {}),
      subjectHash: person.idHash,
      verifiedAt: person.verifiedAt ?? person.checkedAt,
    },
  }
}

/** The caller must be real-name verified and be the party: the same name; for a company, its acting member and a member of that verified company. */
async function checkSignerIdentity(deps: ContractDeps, user: UserRecord | undefined, party: Party): Promise<Result<{ name: string; companyId?: string; companyName?: string }>> {
  if (user?.person?.status !== 'verified') return err('PERSON_NOT_VERIFIED', '请先完成实名认证再签署', { next: 'identity' })
  const name = user.person.name
  if (party.kind === 'person') {
    if (name !== party.name) return err('SIGNER_NAME_MISMATCH', `合同中的签署人是${party.name}，与您的实名信息不符`)
    return ok({ name })
  }
  if (name !== party.member.name) return err('SIGNER_NAME_MISMATCH', `合同中的经办人是${party.member.name}，与您的实名信息不符`)
  const company = await findActingCompany(deps.metadata, user.userId, party)
  if (!company) return err('FORBIDDEN', `您不是${party.companyName}的成员，不能代表该企业签署`)
  if (!isCompanyVerified(company)) return err('COMPANY_NOT_VERIFIED', `${company.name}尚未完成企业认证`)
  return ok({ name, companyId: company.companyId, companyName: company.name })
}

/** The image the signer chose: their personal signature, or the company's seal when they may use it (else a 用印申请). */
async function chooseMark(
  deps: ContractDeps,
  input: SignContractInput,
  party: Party,
  who: { name: string; companyId?: string; companyName?: string },
): Promise<Result<Mark | { awaiting: string }>> {
  if (party.kind === 'company') {
    if (!input.sealId) return err('SIGNATURE_REQUIRED', '请选择企业印章')
    const seal = { companyId: who.companyId!, sealId: input.sealId }
    const ref = { contractId: input.contractId, companyId: who.companyId! }
    const allowed = await canUseSeal(deps, { userId: input.userId }, seal, ref)
    if (!allowed.ok) {
      const reason = allowed.error.details?.reason
      // No request yet, or one pending: raise it (or find it) and wait. A rejected one is answered as
      // it is (403 APPROVAL_REJECTED), so the member learns of the rejection; they re-apply through
      // the seals API (`POST /api/seals/companies/{companyId}/requests`) if they want to.
      if (allowed.error.code === 'SEAL_NOT_AUTHORISED' && (reason === 'NO_APPROVAL' || reason === 'APPROVAL_PENDING')) {
        const raised = await requestSealUse(deps, { userId: input.userId, companyId: who.companyId!, sealId: input.sealId, contractId: input.contractId, reason: `签署合同：${input.contractId}` })
        if (!raised.ok) return raised
        return ok({ awaiting: raised.value.request.requestId })
      }
      return allowed
    }
    const image = await imageForPages(deps, sealObjectKey(seal.companyId, seal.sealId))
    if (!image) return err('SEAL_NOT_FOUND', '印章图片不存在')
    return ok({ signerName: who.name, organization: who.companyName, companyId: who.companyId, seal: image })
  }
  if (!input.signatureId) return err('SIGNATURE_REQUIRED', '请选择或手写签名')
  const key = signatureKey(input.userId, input.signatureId)
  const record = await deps.metadata.get(key.pk, key.sk)
  const image = record ? await imageForPages(deps, signatureObjectKey(input.userId, input.signatureId)) : undefined
  if (!record || !image) return err('SIGNATURE_NOT_FOUND', '签名不存在')
  return ok(record.kind === 'personal-seal' ? { signerName: who.name, seal: image } : { signerName: who.name, handwriting: image })
}

/** A seal's or signature's image as the page embeds it: made ready beforehand when it was stored, else its PNG. */
async function imageForPages(deps: ContractDeps, pngKey: string): Promise<Uint8Array | undefined> {
  return (await deps.objects.get(pdfImageKey(pngKey))) ?? deps.objects.get(pngKey)
}

/** After the commit: the seal use recorded, the completion revision when it was the last signature, the next signers told. */
async function afterSigning(
  deps: ContractDeps,
  item: ContractItem,
  events: Parameters<typeof notifyParties>[2],
  o: { caller: Caller; drawn: Mark; input: SignContractInput; documentSha256: string },
): Promise<SignContractResponse> {
  if (o.drawn.companyId && o.input.sealId) {
    const used = await useSeal(deps, { userId: o.input.userId }, { companyId: o.drawn.companyId, sealId: o.input.sealId }, { contractId: o.input.contractId, companyId: o.drawn.companyId })
    if (!used.ok) deps.logger.warn({ contractId: o.input.contractId, code: used.error.code }, 'seal use not recorded')
  }
  let current = item
  if (events.some((e) => e.type === 'ContractCompleted')) {
    current = await completeContract(deps, item)
    // Right after the answer, not before it: the checkpoint covers every pending record (this contract's and others').
    void checkpointAtCompletion(deps, o.input.contractId)
  }
  await notifyParties(deps, current, events)
  return { status: 'signed', contract: toContractView(current, o.caller, deps.clock.now(), { sealRequests: await loadPartySealRequests(deps.metadata, current) }), documentSha256: o.documentSha256 }
}

/**
 * The checkpoint runs of this process, by store: while one runs, a completion asks for one more run
 * after it (`again`) instead of starting its own.
 */
const checkpointRuns = new WeakMap<object, { again: boolean }>()

/**
 * The pause between one checkpoint run and the next that completions asked for meanwhile. Under
 * load a run covers every completion of the second before it, instead of one run (a time-stamp, a
 * leaf list written and flushed, three to four writes) per completion: bench:flow made one
 * checkpoint per contract, ≈ 4 % of the event loop. A lone completion still gets its run at once.
 */
const CHECKPOINT_GAP_MS = 1000

/** Waits {@link CHECKPOINT_GAP_MS} (a timer that does not keep the process alive: a run it loses is the tick's) and says to go on. */
const checkpointGap = (): Promise<true> => new Promise((resolve) => setTimeout(resolve, CHECKPOINT_GAP_MS, true).unref())

/**
 * A checkpoint at every completion, so a completed contract's evidence is time-stamped at once (not
 * only at the next scheduled tick), without holding the completing sign call. Completions that come
 * while one is being made share the next: that run starts {@link CHECKPOINT_GAP_MS} after it ends,
 * after their records were appended, so it covers them. (Checkpoints started side by side each listed and time-stamped the same records and
 * all but one lost the claim, leaving records appended in between to the tick.) A failure (or a
 * process that stops first) is logged: the tick makes the checkpoint later.
 */
async function checkpointAtCompletion(deps: ContractDeps, contractId: string): Promise<void> {
  const running = checkpointRuns.get(deps.metadata)
  if (running) {
    running.again = true
    return
  }
  const run = { again: false }
  checkpointRuns.set(deps.metadata, run)
  try {
    do {
      run.again = false
      try {
        const made = await createCheckpoint({ ...deps, tsa: deps.pki.ca.tsa, anchor: deps.anchor ?? noAnchor })
        if (!made.ok) deps.logger.warn({ contractId, code: made.error.code }, 'evidence checkpoint at completion not made')
      } catch (e) {
        deps.logger.error({ contractId, err: (e as Error).message }, 'evidence checkpoint at completion failed')
      }
    } while (run.again && (await checkpointGap()))
  } finally {
    checkpointRuns.delete(deps.metadata)
  }
}

/**
 * The completion revision (PAdES B-LTA): the DSS with every certificate, OCSP response and CRL of
 * the signatures, and a document time-stamp over all of it (`core/signing/add-ltv.ts`), stored as
 * the contract's final revision. If it fails, the contract is still completed with valid B-T
 * signatures; the failure is logged.
 */
export async function completeContract(deps: ContractDeps, item: ContractItem): Promise<ContractItem> {
  const c: Contract = item.contract
  try {
    const latest = await deps.objects.get(revisionObjectKey(c.contractId, c.document.latestSha256!))
    if (!latest) throw new Error('the signed revision is missing')
    const ca = deps.pki.ca
    // The PDF work on the CPU pool; the validation data (registry, OCSP) and the time-stamp here.
    const bytes = await deps.cpu.addLtv(latest, {
      validationData: (certificates) => collectValidationData({ ...deps, ca }, certificates),
      timestampDigest: (digest) => ca.tsa.timestampDigest(digest),
    })
    const finalSha256 = createHash('sha256').update(bytes).digest('hex')
    await deps.objects.put(revisionObjectKey(c.contractId, finalSha256), bytes, { contentType: 'application/pdf' })
    let current = item
    for (let attempt = 0; attempt < 5; attempt++) {
      const finalised: EvidenceEvent = { type: 'document.finalised', data: { contractId: c.contractId, documentHash: finalSha256, previousHash: c.document.latestSha256! } }
      const committed = await commitTransition(deps, current, { contract: current.contract, finalSha256 }, [], deps.clock.now(), [], { context: { actor: 'system' }, after: [finalised] })
      if (committed.ok) {
        // Not on the signer's wait: the report (≈ 50–70 ms of CPU) is made right after, and on its first download if this one is lost.
        void withEvidenceReport(deps, committed.value)
        return committed.value
      }
      const reloaded = await loadContractItem(deps.metadata, c.contractId)
      if (!reloaded) break
      // Another completion (a concurrent download, a retried sign) recorded its final revision first: keep that one.
      if (reloaded.finalSha256) return reloaded
      current = reloaded
    }
  } catch (e) {
    deps.logger.error({ contractId: c.contractId, err: (e as Error).message }, 'completion revision (LTV) failed')
  }
  return item
}

/**
 * The signed 证据报告, generated as soon as the final revision is recorded (its PDF work and
 * signature on the CPU pool), without holding the sign call that completed the contract. A failure
 * (or a process that stops first, or a Lambda frozen after its answer) is logged and the report is
 * made on its first download instead (`use-cases/evidence/get-evidence-report.ts`): two concurrent
 * generations record one report.
 */
async function withEvidenceReport(deps: ContractDeps, item: ContractItem): Promise<void> {
  try {
    await ensureEvidenceReport(deps, item)
  } catch (e) {
    deps.logger.warn({ contractId: item.contract.contractId, err: (e as Error).message }, 'evidence report not made at completion (made on its first download)')
  }
}
