import type { SealRequestListResponse } from '../../api/seals.types'
import { toRequestView, REQUEST_PREFIX } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { findMembership, companyPartition } from '../identity/records'

/** 用印申请 of a company, newest first: admins see all, other members their own; optionally one status. */
export async function listSealRequests(
  deps: { metadata: MetadataStore },
  input: { userId: string; companyId: string; status?: 'pending' | 'approved' | 'rejected' },
): Promise<Result<SealRequestListResponse>> {
  const member = await findMembership(deps, input)
  if (!member) return err('FORBIDDEN', '您不是该企业的成员')
  const page = await deps.metadata.query(companyPartition(input.companyId), { skPrefix: REQUEST_PREFIX, reverse: true })
  const requests = page.items
    .map(toRequestView)
    .filter((r) => member.role === 'admin' || r.requesterId === input.userId)
    .filter((r) => !input.status || r.status === input.status)
  return ok({ requests })
}
