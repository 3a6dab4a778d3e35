import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Text, Textarea, View } from '@tarojs/components'
import type { ApprovalItem } from '@api/approvals.types'
import { ERROR_MESSAGES, type ErrorCode } from '@api/error-codes'
import { Button } from '@/components/ui'
import ApprovalProgress from '@/components/approval-progress'
import ErrorText, { Notice } from '@/components/error-text'
import { useAction } from '@/hooks/use-action'
import { approvalsApi } from '@/services/approvals-api'
import { CONTRACT_STATUS, beijingTime } from '@/services/contract-labels'
import { requireLogin } from '@/services/session'
import '../../approvals.css'

const DECISION = { approved: { text: '已同意', badge: 'ok' }, rejected: { text: '已驳回', badge: 'off' } } as const

/** A failed item's reason in Chinese (the server's message when it is Chinese, else the code's). */
const reasonOf = (e: { code: string; message: string }) => (/[\u4e00-\u9fa5]/.test(e.message) ? e.message : (ERROR_MESSAGES[e.code as ErrorCode] ?? '审批失败'))

/**
 * 合同审批: contracts waiting for my approval (select several, 同意 / 驳回 with a comment — required
 * for 驳回) and those I decided. Each contract is decided on its own: the answer names the ones
 * that failed and why, the others stay decided.
 */
export default function ApprovalList() {
  const [tab, setTab] = useState<'waiting' | 'done'>('waiting')
  const [list, setList] = useState<{ waiting: ApprovalItem[]; done: ApprovalItem[] }>()
  const [selected, setSelected] = useState<string[]>([])
  const [comment, setComment] = useState('')
  const [failures, setFailures] = useState<string[]>([])
  const action = useAction()

  const load = async () => {
    const l = await approvalsApi.list()
    setList(l)
    setSelected((s) => s.filter((id) => l.waiting.some((w) => w.contractId === id && w.inTurn)))
  }

  useDidShow(() => {
    if (!requireLogin('/packages/approvals/pages/list/index')) return
    void action.run(load)
  })

  const selectable = list?.waiting.filter((w) => w.inTurn) ?? []
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]))
  const allSelected = selectable.length > 0 && selectable.every((w) => selected.includes(w.contractId))

  const decide = (decision: 'approve' | 'reject') =>
    action.run(async () => {
      setFailures([])
      if (decision === 'reject' && !comment.trim()) throw new Error('驳回时请填写审批意见')
      const titles = new Map((list?.waiting ?? []).map((w) => [w.contractId, w.title]))
      const r = await approvalsApi.decide(selected.map((contractId) => ({ contractId, decision, ...(comment.trim() ? { comment: comment.trim() } : {}) })))
      const ok = r.results.filter((x) => x.ok).length
      const failed = r.results.flatMap((x) => (x.ok ? [] : [`「${titles.get(x.contractId) ?? x.contractId}」：${reasonOf(x.error)}`]))
      setFailures(failed)
      action.setNotice(`${decision === 'approve' ? '已同意' : '已驳回'} ${ok} 份${failed.length ? `，${failed.length} 份未处理` : ''}`)
      setComment('')
      await load()
    })

  const rows = tab === 'waiting' ? (list?.waiting ?? []) : (list?.done ?? [])

  return (
    <View className='page approvals'>
      <Text className='page__title'>合同审批</Text>
      <Text className='page__desc'>本企业要求审批的合同，全部审批人同意后才会发给签署方；驳回后退回发起人修改。</Text>
      <View className='approvals__tabs'>
        <Text id='approvals-tab-waiting' className={`approvals__tab ${tab === 'waiting' ? 'approvals__tab--on' : ''}`} onClick={() => setTab('waiting')}>
          待我审批{list ? ` (${list.waiting.length})` : ''}
        </Text>
        <Text id='approvals-tab-done' className={`approvals__tab ${tab === 'done' ? 'approvals__tab--on' : ''}`} onClick={() => setTab('done')}>
          已审批{list ? ` (${list.done.length})` : ''}
        </Text>
      </View>
      <Notice text={action.notice} id='approvals-notice' />
      <ErrorText error={action.error} id='approvals-error' />
      {failures.length > 0 && (
        <View className='card' id='approvals-failures'>
          {failures.map((f) => (
            <Text key={f} className='card__line approvals__failure'>
              {f}
            </Text>
          ))}
        </View>
      )}
      {!list && !action.error && <Text className='card card__line muted'>加载中…</Text>}
      {list && rows.length === 0 && (
        <Text className='card card__line muted' id='approvals-empty'>
          {tab === 'waiting' ? '没有待您审批的合同' : '还没有审批记录'}
        </Text>
      )}
      {tab === 'waiting' && selectable.length > 0 && (
        <Text className='link approvals__all' id='approvals-select-all' onClick={() => setSelected(allSelected ? [] : selectable.map((w) => w.contractId))}>
          {allSelected ? '取消全选' : `全选（${selectable.length} 份）`}
        </Text>
      )}
      {rows.map((w) => {
        const checked = selected.includes(w.contractId)
        return (
          <View className={`card approvals__item ${checked ? 'approvals__item--on' : ''}`} key={`${w.contractId}-${w.round}`} data-contract={w.contractId}>
            <View className='approvals__head'>
              {tab === 'waiting' && w.inTurn && (
                <Text className={`approvals__check ${checked ? 'approvals__check--on' : ''}`} id={`approvals-check-${w.contractId}`} onClick={() => toggle(w.contractId)}>
                  {checked ? '✓' : ''}
                </Text>
              )}
              <Text className='card__title approvals__title' onClick={() => (tab === 'waiting' && w.inTurn ? toggle(w.contractId) : undefined)}>
                {w.title}
              </Text>
              {w.myDecision ? (
                <Text className={`badge badge--${DECISION[w.myDecision].badge}`}>{DECISION[w.myDecision].text}</Text>
              ) : (
                <Text className={`badge badge--${w.inTurn ? 'warn' : CONTRACT_STATUS[w.contractStatus].badge}`}>{w.inTurn ? '待我审批' : tab === 'waiting' ? '等待前序审批' : CONTRACT_STATUS[w.contractStatus].text}</Text>
              )}
            </View>
            <Text className='card__line muted'>
              发起人：{w.senderName} · 提交于 {beijingTime(w.requestedAt)}
            </Text>
            {w.comment && <Text className='card__line'>我的意见：{w.comment}</Text>}
            {w.progress && <ApprovalProgress approval={w.progress} id={`approvals-progress-${w.contractId}`} />}
            <Text className='link' onClick={() => void Taro.navigateTo({ url: `/packages/contracts/pages/detail/index?contractId=${w.contractId}` })}>
              查看合同 ›
            </Text>
          </View>
        )
      })}
      {tab === 'waiting' && selectable.length > 0 && (
        <View className='card approvals__bar' id='approvals-bar'>
          <Text className='card__line muted'>已选 {selected.length} 份</Text>
          <Textarea id='approvals-comment' className='textarea' value={comment} maxlength={500} placeholder='审批意见（驳回时必填）' onInput={(e) => setComment(e.detail.value)} />
          <View className='actions'>
            <Button id='approvals-approve' type='primary' disabled={selected.length === 0} loading={action.busy} onClick={() => void decide('approve')}>
              同意
            </Button>
            <Button id='approvals-reject' type='danger' fill='outline' disabled={selected.length === 0} loading={action.busy} onClick={() => void decide('reject')}>
              驳回
            </Button>
          </View>
        </View>
      )}
    </View>
  )
}
