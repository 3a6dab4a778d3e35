import { useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { CompanyView, MemberView } from '@api/identity.types'
import type { SealRequestView, SealView } from '@api/seals.types'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import { useAction } from '@/hooks/use-action'
import { identityApi } from '@/services/identity-api'
import { decideRequest, listCompanySeals, listRequests } from '@/services/seals-api'
import { requireLogin } from '@/services/session'
import '../../seals.css'

const STATUS: Record<SealRequestView['status'], { label: string; tone: 'warn' | 'ok' | 'off' }> = {
  pending: { label: '待审批', tone: 'warn' },
  approved: { label: '已批准', tone: 'ok' },
  rejected: { label: '已驳回', tone: 'off' },
}

/**
 * 用印审批: the company's 用印申请, with the seal's and the applicant's names; admins approve or
 * reject pending ones. A request is raised where a seal is needed — when a member signs a contract
 * with a company seal (the signing flow) — so nobody types a 印章编号 or 合同编号 here.
 */
export default function SealApproval() {
  const { params } = useRouter()
  const companyId = params.companyId ?? ''
  const [company, setCompany] = useState<CompanyView>()
  const [requests, setRequests] = useState<SealRequestView[]>()
  const [seals, setSeals] = useState<SealView[]>([])
  const [members, setMembers] = useState<MemberView[]>([])
  const action = useAction()

  const refresh = async () => setRequests((await listRequests(companyId)).requests)

  useDidShow(() => {
    if (!requireLogin(`/packages/seals/pages/approval/index?companyId=${companyId}`)) return
    void action.run(async () => {
      const [c, s, m] = await Promise.all([identityApi.company(companyId), listCompanySeals(companyId), identityApi.members(companyId), refresh()])
      setCompany(c)
      setSeals(s.seals)
      setMembers(m)
    })
  })

  const decide = (requestId: string, decision: 'approve' | 'reject') =>
    action.run(async () => {
      await decideRequest(companyId, requestId, decision)
      action.setNotice(decision === 'approve' ? '已批准' : '已驳回')
      await refresh()
    })

  const sealName = (id: string) => seals.find((s) => s.sealId === id)?.name ?? '已删除的印章'
  const memberName = (id: string) => members.find((m) => m.userId === id)?.name ?? '已离开企业的成员'
  const isAdmin = company?.myRole === 'admin'

  return (
    <View className='page'>
      <Text className='page__title'>用印审批{company ? ` · ${company.name}` : ''}</Text>
      <Text className='page__desc'>成员使用企业印章签署合同时，会在签署流程中提交用印申请；申请在这里由管理员审批。</Text>
      <Notice text={action.notice} id='approval-message' />
      <ErrorText error={action.error} id='approval-error' />
      {requests?.length === 0 && (
        <Text className='card card__line muted' id='approval-empty'>
          暂无用印申请。
        </Text>
      )}
      {requests?.map((r) => (
        <View className='card' key={r.requestId} data-request={r.requestId}>
          <View className='row'>
            <Text className='card__title approval__seal'>{sealName(r.sealId)}</Text>
            <Text className={`badge badge--${STATUS[r.status].tone}`}>{STATUS[r.status].label}</Text>
          </View>
          <Text className='card__line'>申请人：{memberName(r.requesterId)}</Text>
          <Text className='card__line'>申请时间：{r.createdAt.slice(0, 16).replace('T', ' ')}</Text>
          {r.reason && <Text className='card__line'>事由：{r.reason}</Text>}
          {r.decidedBy && <Text className='card__line muted'>审批人：{memberName(r.decidedBy)}</Text>}
          {r.status === 'pending' && isAdmin && (
            <View className='actions'>
              <Button id={`approve-${r.requestId}`} type='primary' loading={action.busy} onClick={() => void decide(r.requestId, 'approve')}>
                批准
              </Button>
              <Button id={`reject-${r.requestId}`} type='danger' fill='outline' loading={action.busy} onClick={() => void decide(r.requestId, 'reject')}>
                驳回
              </Button>
            </View>
          )}
        </View>
      ))}
    </View>
  )
}
