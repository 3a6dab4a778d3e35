import { Text, View } from '@tarojs/components'
import type { ApprovalProgressView } from '@api/contracts.types'
import { beijingTime } from '@/services/contract-labels'
import './index.css'

export const APPROVER_STATUS: Record<ApprovalProgressView['approvers'][number]['status'], { text: string; badge: 'ok' | 'warn' | 'off' }> = {
  pending: { text: '待审批', badge: 'warn' },
  approved: { text: '已同意', badge: 'ok' },
  rejected: { text: '已驳回', badge: 'off' },
}

const ROUND_STATUS: Record<ApprovalProgressView['status'], string> = {
  pending: '审批中',
  approved: '已通过，合同已发出',
  rejected: '已驳回，合同退回草稿',
  cancelled: '合同已撤销，审批终止',
}

/** 审批进度: the round, its order, and each approver's state, comment and time (contract detail and the approvals list). */
export default function ApprovalProgress({ approval, id }: { approval: ApprovalProgressView; id: string }) {
  return (
    <View className='approval-progress' id={id}>
      <Text className='card__line muted'>
        第 {approval.round} 轮 · {approval.order === 'sequential' ? '依次审批' : '无序审批（任意顺序）'} · {ROUND_STATUS[approval.status]}
      </Text>
      {approval.approvers.map((a, i) => (
        <View className='approval-progress__row' key={a.userId} data-approver={a.userId}>
          <View className='approval-progress__head'>
            <Text className='approval-progress__name'>
              {approval.order === 'sequential' ? `${i + 1}. ` : ''}
              {a.name}
              {a.inTurn ? '（当前）' : ''}
            </Text>
            {a.status === 'pending' && approval.status !== 'pending' ? <Text className='badge badge--off'>未审批</Text> : <Text className={`badge badge--${APPROVER_STATUS[a.status].badge}`}>{APPROVER_STATUS[a.status].text}</Text>}
          </View>
          {a.comment && <Text className='approval-progress__comment'>意见：{a.comment}</Text>}
          {a.decidedAt && <Text className='approval-progress__time'>{beijingTime(a.decidedAt)}</Text>}
        </View>
      ))}
    </View>
  )
}
