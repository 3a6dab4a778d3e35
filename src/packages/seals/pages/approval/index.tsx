import { useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { SealRequestView } from '@api/seals.types'
import { decideRequest, listRequests, requestSealUse } from '@/services/seals-api'
import { errorMessage } from '../../lib/error-message'

const STATUS: Record<SealRequestView['status'], string> = { pending: '待审批', approved: '已批准', rejected: '已驳回' }

/** 用印审批: submit a 用印申请 for a contract; admins approve or reject pending ones. */
export default function SealApproval() {
  const { params } = useRouter()
  const companyId = params.companyId ?? ''
  const [requests, setRequests] = useState<SealRequestView[]>([])
  const [sealId, setSealId] = useState(params.sealId ?? '')
  const [contractId, setContractId] = useState(params.contractId ?? '')
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState<string>()

  const load = async () => {
    try {
      setRequests((await listRequests(companyId)).requests)
    } catch (err) {
      setMessage(errorMessage(err))
    }
  }
  useDidShow(() => {
    void load()
  })

  const submit = async () => {
    setMessage(undefined)
    try {
      await requestSealUse(companyId, { sealId: sealId.trim(), contractId: contractId.trim(), ...(reason ? { reason } : {}) })
      setMessage('用印申请已提交，等待审批')
      await load()
    } catch (err) {
      setMessage(errorMessage(err))
    }
  }
  const decide = async (requestId: string, decision: 'approve' | 'reject') => {
    setMessage(undefined)
    try {
      await decideRequest(companyId, requestId, decision)
      setMessage(decision === 'approve' ? '已批准' : '已驳回')
      await load()
    } catch (err) {
      setMessage(errorMessage(err))
    }
  }

  return (
    <View className='page'>
      <Text className='page__title'>用印审批</Text>
      <View className='card'>
        <Text className='card__line'>申请用印</Text>
        <Input id='request-seal' value={sealId} placeholder='印章编号' onInput={(e) => setSealId(e.detail.value)} />
        <Input id='request-contract' value={contractId} placeholder='合同编号' onInput={(e) => setContractId(e.detail.value)} />
        <Input id='request-reason' value={reason} placeholder='用印事由（可选）' onInput={(e) => setReason(e.detail.value)} />
        <Button onClick={submit}>提交申请</Button>
        {message && <Text className='card__line' id='approval-message'>{message}</Text>}
      </View>
      {requests.map((r) => (
        <View className='card' key={r.requestId}>
          <Text className='card__line'>合同：{r.contractId}</Text>
          <Text className='card__line'>申请人：{r.requesterId}</Text>
          {r.reason && <Text className='card__line'>事由：{r.reason}</Text>}
          <Text className='card__line'>状态：{STATUS[r.status]}</Text>
          {r.status === 'pending' && (
            <View>
              <Button size='mini' type='primary' onClick={() => decide(r.requestId, 'approve')}>
                批准
              </Button>
              <Button size='mini' type='warn' onClick={() => decide(r.requestId, 'reject')}>
                驳回
              </Button>
            </View>
          )}
        </View>
      ))}
    </View>
  )
}
