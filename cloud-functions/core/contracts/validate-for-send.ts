import { err, ok, type Result } from '../shared/result'
import { partyName, signerParties, type Contract, type PageSize, type SignedArea } from './contract'
import { checkContractStructure } from './check-contract-structure'
import { checkFieldLayout, type FieldArea } from './field-layout'

/**
 * Whether a draft may be sent now, given the document's displayed page sizes and the areas earlier
 * signatures already cover:
 * - the structure holds (`checkContractStructure`, `CONTRACT_INVALID`);
 * - the deadline is still ahead (`CONTRACT_INVALID`);
 * - every signer has a place to sign — a person a signature field, a company a (company) seal field
 *   (`SIGNER_FIELDS_MISSING`);
 * - every field lies on its page, none overlaps another or a signed area (`checkFieldLayout`).
 *
 * Cheap and pure: a send use case runs it before preparing the PDF, and `applyCommand` runs it again.
 */
export function validateForSend(
  c: Contract,
  input: { pages: readonly PageSize[]; signedAreas?: readonly SignedArea[]; now: Date },
): Result<{ areas: FieldArea[] }> {
  const structure = checkContractStructure(c)
  if (!structure.ok) return structure
  if (Date.parse(c.deadline) <= input.now.getTime()) return err('CONTRACT_INVALID', '签署截止时间已过，请重新设置', { reason: 'DEADLINE_PASSED' })
  for (const p of signerParties(c)) {
    const kinds = new Set(c.fields.filter((f) => f.partyId === p.partyId).map((f) => f.kind))
    if (p.kind === 'company' && !kinds.has('seal')) {
      return err('SIGNER_FIELDS_MISSING', `请为${partyName(p)}放置企业印章位置`, { partyId: p.partyId, needs: 'seal' })
    }
    if (p.kind === 'person' && !kinds.has('signature')) {
      return err('SIGNER_FIELDS_MISSING', `请为${partyName(p)}放置签名位置`, { partyId: p.partyId, needs: 'signature' })
    }
  }
  const layout = checkFieldLayout(c.fields, input.pages, input.signedAreas)
  if (!layout.ok) return layout
  return ok({ areas: layout.value })
}
