import { ZApprovalList, ZApprovalPolicyRequest, ZApprovalPolicyView, ZDecideApprovalsRequest, ZDecideApprovalsResponse } from '../../api/approvals.types'
import { ZCompanyIdParam } from '../../api/webhooks.types'
import { errorAnswer, errorResponse, fromDomainError, fromResult, header, json, parseJsonBody } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { withContractServices } from '../../runtime/services'
import { decideApprovals } from '../../use-cases/approvals/decide-approvals'
import { getApprovalPolicy } from '../../use-cases/approvals/get-approval-policy'
import { listApprovals } from '../../use-cases/approvals/list-approvals'
import { setApprovalPolicy } from '../../use-cases/approvals/set-approval-policy'
import { runOnce } from '../../use-cases/contracts/run-once'
import { requestContext } from '../request-context'
import { signedIn } from '../signed-in'

const USER_ONLY = '请使用账号登录后处理审批'
const TAGS = ['approvals']
const POLICY = '/api/companies/{companyId}/approval-policy'

/**
 * 审批 (api/approvals.types.ts): a company's approval policy (admins), an approver's list, and
 * decisions one by one or several at once. No function of its own: the contracts function serves
 * these routes (`contracts.ts` handler; a final approval sends the contract, with the contracts
 * function's role and CPU pool).
 */
export const routes: Route[] = [
  {
    method: 'GET',
    path: POLICY,
    doc: { summary: '企业的审批设置（企业管理员）', tags: TAGS, response: ZApprovalPolicyView, errors: ['VALIDATION_FAILED', 'FORBIDDEN'] },
    handle: signedIn(async (_event, { deps, params, session }) => {
      const companyId = ZCompanyIdParam.safeParse(params.companyId)
      if (!companyId.success) return errorResponse('VALIDATION_FAILED', '企业编号格式不正确')
      return fromResult(await getApprovalPolicy(deps, { userId: session.sub, companyId: companyId.data }))
    }, USER_ONLY),
  },
  {
    method: 'PUT',
    path: POLICY,
    doc: { summary: '设置企业的审批：关闭 / 全部合同 / 指定模板，审批人及顺序（企业管理员）', tags: TAGS, body: ZApprovalPolicyRequest, response: ZApprovalPolicyView, errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'APPROVER_NOT_MEMBER'] },
    handle: signedIn(async (event, { deps, params, session }) => {
      const companyId = ZCompanyIdParam.safeParse(params.companyId)
      if (!companyId.success) return errorResponse('VALIDATION_FAILED', '企业编号格式不正确')
      const body = parseJsonBody(event, ZApprovalPolicyRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await setApprovalPolicy(deps, { userId: session.sub, companyId: companyId.data, policy: body.value }))
    }, USER_ONLY),
  },
  {
    method: 'GET',
    path: '/api/approvals',
    doc: { summary: '我的审批：待我审批与已审批', tags: TAGS, response: ZApprovalList },
    handle: signedIn(async (_event, { deps, session }) => fromResult(await listApprovals(deps, { userId: session.sub })), USER_ONLY),
  },
  {
    method: 'POST',
    path: '/api/approvals/decide',
    doc: {
      summary: '审批一份或多份合同（同意 / 驳回，驳回须填写意见）；逐份给出结果，一份失败不影响其他',
      description: '支持 Idempotency-Key。每项的错误码：CONTRACT_NOT_FOUND、NOT_AN_APPROVER、APPROVAL_ALREADY_DECIDED、APPROVAL_NOT_YOUR_TURN、APPROVAL_NOT_PENDING、VALIDATION_FAILED。',
      tags: TAGS,
      body: ZDecideApprovalsRequest,
      response: ZDecideApprovalsResponse,
      errors: ['VALIDATION_FAILED', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'],
    },
    handle: signedIn(async (event, { deps, session, remainingTimeMs }) => {
      const body = parseJsonBody(event, ZDecideApprovalsRequest)
      if (!body.ok) return fromDomainError(body.error)
      const services = await withContractServices(deps)
      const call = async () => {
        const result = await decideApprovals(services, { userId: session.sub, items: body.value.items, request: requestContext(event, session.sub) })
        return result.ok ? { statusCode: 200, body: result.value } : errorAnswer(result.error)
      }
      const once = await runOnce(services, { userId: session.sub, key: header(event, 'idempotency-key'), fingerprint: `POST /api/approvals/decide\n${event.body ?? ''}`, remainingTimeMs }, call)
      if (!once.ok) return fromDomainError(once.error)
      return json(once.value.statusCode, once.value.body, once.value.replayed ? { 'idempotent-replayed': 'true' } : {})
    }, USER_ONLY),
  },
]

