import type { ContractSignatures, SignatureOnPage } from '../../api/contracts.types'
import type { SignatureView } from '../../api/verification.types'
import { partyName } from '../../core/contracts/contract'
import { err, ok, type Result } from '../../core/shared/result'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'
import { currentRevision } from './get-page-image'
import type { ContractItem } from './records'
import { signatureFieldName } from './send-contract'

/** The verdict `esign verify` gives one signature: valid, indeterminate (intact and unchanged, signer not trusted), invalid. */
function verdictOf(s: SignatureView): SignatureOnPage['verdict'] {
  if (!s.intact || !s.valid || s.modification === 'disallowed') return 'invalid'
  return s.trusted ? 'valid' : 'indeterminate'
}

function summaryOf(s: SignatureView, verdict: SignatureOnPage['verdict']): string {
  if (verdict === 'valid') return s.modification === 'none' ? '签名有效：签署后文档未被修改，签署人身份由可信证书确认' : '签名有效：签署后仅有允许的修改（如其他签署方签署），签署人身份由可信证书确认'
  if (verdict === 'indeterminate') return '签名完整，签署后文档未被篡改，但无法确认签署人身份（证书不受信任）'
  if (!s.intact) return '签名无效：签名保护的内容已被修改'
  if (s.modification === 'disallowed') return '签名无效：签署后文档被做了不允许的修改'
  if (s.problems.some((p) => p.code === 'REVOKED')) return '签名无效：签署证书已被吊销'
  return '签名无效：签名校验未通过'
}

/**
 * One signature of the report as the page shows it: where its widgets are (the report's, in display
 * space — the main widget and any 骑缝章 strips), who signed (the party of the field, else the
 * certificate's common name), its verdict and certificate. The one place that maps the
 * verification report to {@link SignatureOnPage}.
 */
export function toSignatureOnPage(item: ContractItem, s: SignatureView): SignatureOnPage {
  const party = item.contract.parties.find((p) => signatureFieldName(p.partyId) === s.field)
  const verdict = verdictOf(s)
  const signingTime = s.timestamp?.time ?? s.claimedSigningTime ?? undefined
  const cert = s.certificate
  const signerName = party ? partyName(party) : (s.signer ?? undefined)
  return {
    fieldName: s.field,
    ...(signerName ? { signerName } : {}),
    verdict,
    summary: summaryOf(s, verdict),
    ...(signingTime ? { signingTime } : {}),
    ...(cert ? { certificate: { subject: cert.subject, issuer: cert.issuer, serialNumber: cert.serialNumber, notBefore: cert.notBefore, notAfter: cert.notAfter } } : {}),
    widgets: s.widgets.map((w) => ({ page: w.page, rect: w.rect })),
  }
}

/**
 * The signatures of the contract's current revision (点击电子印章查看数字证书), for its sender or a
 * party: the verification report (on the CPU pool, with the platform's trust roots and revocation
 * answers) and the widget places, per approval signature (a document time-stamp has no place on a
 * page and is not listed). Before sending there are none.
 */
export async function getContractSignatures(deps: ContractDeps, input: { userId: string; contractId: string }): Promise<Result<ContractSignatures>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const item = found.value
  const revision = currentRevision(item)
  const pdf = await deps.objects.get(revision.objectKey)
  if (!pdf) return err('DOCUMENT_NOT_FOUND', '合同文件不存在')
  const report = await deps.cpu.verifyPdf(pdf, { trustRoots: await deps.verification.trustRoots(), now: deps.clock.now(), revocation: deps.verification.revocation })
  if (!report.ok) return err('NOT_A_PDF', `无法读取合同文件：${report.error.message}`)
  const signatures = report.value.signatures.filter((s) => s.kind !== 'document-timestamp').map((s) => toSignatureOnPage(item, s))
  return ok({ documentSha256: revision.sha256, signatures })
}
