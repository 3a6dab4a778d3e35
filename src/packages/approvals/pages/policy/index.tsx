import { useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { ApprovalPolicyView } from '@api/approvals.types'
import type { MemberView } from '@api/identity.types'
import type { TemplateSummary } from '@api/templates.types'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import { useAction } from '@/hooks/use-action'
import { approvalsApi } from '@/services/approvals-api'
import { identityApi } from '@/services/identity-api'
import { requireLogin } from '@/services/session'
import { templatesApi } from '@/services/templates-api'
import '../../approvals.css'

type Scope = ApprovalPolicyView['scope']
const SCOPES: Array<[Scope, string]> = [
  ['off', '不需要审批'],
  ['all', '全部合同'],
  ['templates', '指定模板的合同'],
]
const MAX_APPROVERS = 10

/**
 * 审批设置（企业管理员）: which contracts need approval before they go out (none / all / those
 * from the listed templates), the approvers (members, 1–10, in order) and whether they approve one
 * after another or in any order.
 */
export default function ApprovalPolicy() {
  const { params } = useRouter()
  const companyId = params.companyId ?? ''
  const [members, setMembers] = useState<MemberView[]>([])
  const [scope, setScope] = useState<Scope>('off')
  const [order, setOrder] = useState<'sequential' | 'parallel'>('sequential')
  const [approvers, setApprovers] = useState<string[]>([])
  const [templateIds, setTemplateIds] = useState<string[]>([])
  const [templates, setTemplates] = useState<TemplateSummary[]>([])
  const [loaded, setLoaded] = useState(false)
  const action = useAction()

  const show = (p: ApprovalPolicyView) => {
    setScope(p.scope)
    setOrder(p.order)
    setApprovers(p.approvers.map((a) => a.userId))
    setTemplateIds(p.templateIds)
  }

  useDidShow(() => {
    if (!requireLogin(`/packages/approvals/pages/policy/index?companyId=${companyId}`)) return
    void action.run(async () => {
      const [p, m, t] = await Promise.all([approvalsApi.policy(companyId), identityApi.members(companyId), templatesApi.list(companyId, true)])
      show(p)
      setMembers(m)
      setTemplates(t.items)
      setLoaded(true)
    })
  })

  const toggle = (userId: string) => setApprovers((list) => (list.includes(userId) ? list.filter((x) => x !== userId) : list.length >= MAX_APPROVERS ? list : [...list, userId]))
  const moveUp = (i: number) => setApprovers((list) => (i === 0 ? list : [...list.slice(0, i - 1), list[i]!, list[i - 1]!, ...list.slice(i + 1)]))
  const nameOf = (userId: string) => members.find((m) => m.userId === userId)?.name || '已离开的成员'
  const toggleTemplate = (id: string) => setTemplateIds((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]))
  /** Chosen ids no longer among the company's templates (deleted): shown so they can be removed. */
  const unknownTemplates = templateIds.filter((id) => !templates.some((t) => t.templateId === id))

  const save = () =>
    action.run(async () => {
      const saved = await approvalsApi.setPolicy(companyId, { scope, order, approvers: scope === 'off' ? [] : approvers, templateIds: scope === 'templates' ? templateIds : [] })
      show(saved)
      action.setNotice('审批设置已保存')
    })

  return (
    <View className='page approvals'>
      <Text className='page__title'>审批设置</Text>
      <Text className='page__desc'>开启后，本企业成员发送的合同须经审批人同意才会发给签署方；审批记录写入合同的证据链。</Text>
      <Notice text={action.notice} id='policy-notice' />
      <ErrorText error={action.error} id='policy-error' />
      {loaded && (
        <View className='card' id='policy-form'>
          <Text className='card__title'>哪些合同需要审批</Text>
          <View>
            {SCOPES.map(([value, label]) => (
              <Text key={value} id={`policy-scope-${value}`} className={`approvals__option ${scope === value ? 'approvals__option--on' : ''}`} onClick={() => setScope(value)}>
                {label}
              </Text>
            ))}
          </View>
          {scope === 'templates' && (
            <View id='policy-templates'>
              <Text className='card__title'>需要审批的模板（已选 {templateIds.length} 个）</Text>
              <Text className='card__line muted'>从选中模板创建的合同需要审批，其他合同直接发出。</Text>
              {templates.length === 0 && unknownTemplates.length === 0 && <Text className='card__line muted'>本企业还没有合同模板，请先在「合同模板」中创建。</Text>}
              {templates.map((t) => (
                <Text
                  key={t.templateId}
                  id={`policy-template-${t.templateId}`}
                  className={`approvals__option ${templateIds.includes(t.templateId) ? 'approvals__option--on' : ''}`}
                  {...({ role: 'checkbox', 'aria-checked': templateIds.includes(t.templateId) } as Record<string, unknown>)}
                  onClick={() => toggleTemplate(t.templateId)}
                >
                  {templateIds.includes(t.templateId) ? '✓ ' : ''}
                  {t.name}
                  {t.enabled ? '' : '（已停用）'}
                </Text>
              ))}
              {unknownTemplates.map((id) => (
                <Text key={id} id={`policy-template-${id}`} className='approvals__option approvals__option--on' onClick={() => toggleTemplate(id)}>
                  ✓ 已删除的模板（点击移除）
                </Text>
              ))}
            </View>
          )}
          {scope !== 'off' && (
            <>
              <Text className='card__title'>审批方式</Text>
              <View>
                <Text id='policy-order-sequential' className={`approvals__option ${order === 'sequential' ? 'approvals__option--on' : ''}`} onClick={() => setOrder('sequential')}>
                  依次审批
                </Text>
                <Text id='policy-order-parallel' className={`approvals__option ${order === 'parallel' ? 'approvals__option--on' : ''}`} onClick={() => setOrder('parallel')}>
                  无序审批（任意顺序）
                </Text>
              </View>
              <Text className='card__title'>审批人（{approvers.length}/{MAX_APPROVERS}）</Text>
              {approvers.map((userId, i) => (
                <View className='approvals__approver' key={userId} data-approver={userId}>
                  <Text>
                    {order === 'sequential' ? `${i + 1}. ` : ''}
                    {nameOf(userId)}
                  </Text>
                  <View className='approvals__ops'>
                    {order === 'sequential' && i > 0 && (
                      <Text className='link' id={`policy-up-${userId}`} onClick={() => moveUp(i)}>
                        上移
                      </Text>
                    )}
                    <Text className='link' id={`policy-remove-${userId}`} onClick={() => toggle(userId)}>
                      移除
                    </Text>
                  </View>
                </View>
              ))}
              <Text className='card__line muted'>点选成员添加为审批人：</Text>
              <View>
                {members
                  .filter((m) => !approvers.includes(m.userId))
                  .map((m) => (
                    <Text key={m.userId} id={`policy-add-${m.userId}`} className='approvals__option' onClick={() => toggle(m.userId)}>
                      + {m.name || '企业成员'}
                    </Text>
                  ))}
              </View>
            </>
          )}
          <Button id='policy-save' className='btn-block' type='primary' loading={action.busy} onClick={() => void save()}>
            保存
          </Button>
        </View>
      )}
    </View>
  )
}
