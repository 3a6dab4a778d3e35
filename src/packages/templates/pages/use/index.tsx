import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { TemplateView } from '@api/templates.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { contractsApi, newIdempotencyKey } from '@/services/contracts-api'
import { requireLogin } from '@/services/session'
import { templatesApi } from '@/services/templates-api'
import '../../templates.css'

type PartyInput = { name: string; phone: string; companyName: string }

/** The end of the day seven days from now, as an ISO instant (the default signing deadline). */
const inSevenDays = () => new Date(Date.now() + 7 * 86_400_000).toISOString()

/**
 * 使用模板: fill each placeholder and each role's signer (name, phone; the company for a company
 * role); the sender's own role is filled from the account. 创建并发送 makes the contract (the
 * values drawn into the PDF) and sends it, then opens its detail; 仅创建草稿 opens the draft.
 */
export default function UseTemplatePage() {
  const { params } = useRouter()
  const templateId = params.templateId ?? ''
  const [template, setTemplate] = useState<TemplateView>()
  const [values, setValues] = useState<Record<string, string>>({})
  const [parties, setParties] = useState<Record<string, PartyInput>>({})
  const [key] = useState(newIdempotencyKey)
  const action = useAction()
  const { busy, run } = action

  useDidShow(() => {
    if (!requireLogin(`/packages/templates/pages/use/index?templateId=${templateId}`)) return
    void run(async () => setTemplate(await templatesApi.get(templateId)))
  })

  const others = template?.roles.filter((r) => !r.sender) ?? []
  const party = (roleId: string): PartyInput => parties[roleId] ?? { name: '', phone: '', companyName: '' }
  const setParty = (roleId: string, patch: Partial<PartyInput>) => setParties((p) => ({ ...p, [roleId]: { ...party(roleId), ...patch } }))
  /** `乙方姓名` is filled from 乙方's name when left empty (the server does the same). */
  const autoFilled = (k: string) => others.some((r) => k === `${r.label}姓名` || (r.kind === 'company' && k === `${r.label}名称`))
  const ready =
    !!template &&
    template.placeholders.every((p) => values[p.key]?.trim() || autoFilled(p.key)) &&
    others.every((r) => party(r.roleId).name.trim() && /^1[3-9]\d{9}$/.test(party(r.roleId).phone) && (r.kind === 'person' || party(r.roleId).companyName.trim()))

  const submit = (send: boolean) =>
    run(async () => {
      if (!template) return
      const filled = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim()))
      const body = {
        deadline: inSevenDays(),
        values: filled,
        parties: Object.fromEntries(
          others.map((r) => {
            const p = party(r.roleId)
            return [r.roleId, { name: p.name.trim(), phone: p.phone, ...(r.kind === 'company' ? { companyName: p.companyName.trim() } : {}) }]
          }),
        ),
      }
      const draft = await templatesApi.createContract(template.templateId, body, key)
      if (send) await contractsApi.send(draft.contractId, `${key}-send`)
      void Taro.redirectTo({ url: `/packages/contracts/pages/detail/index?contractId=${draft.contractId}` })
    })

  return (
    <View className='page templates'>
      <Text className='page__title'>{template?.name ?? '使用模板'}</Text>
      {template && <Text className='page__desc'>第 {template.version} 版 · {template.fileName}</Text>}

      {template && template.placeholders.length > 0 && (
        <View className='card' id='use-values'>
          <Text className='card__title'>填写内容</Text>
          {template.placeholders.map((p, i) => (
            <Field
              key={p.key}
              id={`use-value-${i}`}
              label={p.key}
              placeholder={autoFilled(p.key) ? '留空则使用签署人填写的名称' : `请填写${p.key}`}
              maxLength={p.maxLength ?? 500}
              value={values[p.key] ?? ''}
              onChange={(v) => setValues((s) => ({ ...s, [p.key]: v }))}
            />
          ))}
        </View>
      )}

      {template && (
        <View className='card' id='use-parties'>
          <Text className='card__title'>签署方</Text>
          {template.roles.map((r) =>
            r.sender ? (
              <View key={r.roleId} className='templates__role'>
                <Text className='card__line'>
                  {r.label}（{r.kind === 'company' ? '企业' : '个人'}）：发起方本人
                </Text>
              </View>
            ) : (
              <View key={r.roleId} className='templates__role' id={`use-role-${r.roleId}`}>
                <Text className='card__line'>
                  {r.label}（{r.kind === 'company' ? '企业' : '个人'}）
                </Text>
                {r.kind === 'company' && <Field id={`use-company-${r.roleId}`} label='企业名称' placeholder='与营业执照一致' value={party(r.roleId).companyName} maxLength={100} onChange={(v) => setParty(r.roleId, { companyName: v })} />}
                <Field id={`use-name-${r.roleId}`} label={r.kind === 'company' ? '经办人姓名' : '姓名'} placeholder='签署人真实姓名' value={party(r.roleId).name} maxLength={60} onChange={(v) => setParty(r.roleId, { name: v })} />
                <Field id={`use-phone-${r.roleId}`} label='手机号' type='number' placeholder='11 位手机号' value={party(r.roleId).phone} maxLength={11} onChange={(v) => setParty(r.roleId, { phone: v.trim() })} />
              </View>
            ),
          )}
        </View>
      )}

      {template && (
        <View className='actions'>
          <Button id='use-send' type='primary' loading={busy} disabled={!ready} onClick={() => void submit(true)}>
            创建并发送
          </Button>
          <Button id='use-draft' type='primary' fill='outline' disabled={!ready || busy} onClick={() => void submit(false)}>
            仅创建草稿
          </Button>
        </View>
      )}
      <ErrorText error={action.error} id='use-error' />
    </View>
  )
}
