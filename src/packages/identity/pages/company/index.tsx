import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { CompanyView, InvitationView } from '@api/identity.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { identityApi } from '@/services/identity-api'
import { requireLogin } from '@/services/session'
import '../../identity.css'

const SELF = '/packages/identity/pages/company/index'
const ROLE_LABELS: Record<NonNullable<CompanyView['myRole']>, string> = { admin: '管理员', operator: '经办人', applicant: '申请人', 'legal-rep': '法定代表人' }
const detailUrl = (id: string) => `/packages/identity/pages/company-detail/index?id=${id}`

/** 企业认证：我的企业、收到的邀请，以及新的企业认证申请（企业名称 + 统一社会信用代码 + 法定代表人）。 */
export default function Company() {
  const [companies, setCompanies] = useState<CompanyView[]>()
  const [invitations, setInvitations] = useState<InvitationView[]>([])
  const [form, setForm] = useState({ name: '', creditCode: '', legalRepName: '', legalRepIdNumber: '' })
  const action = useAction()

  const load = () =>
    action.run(async () => {
      const [list, invites] = await Promise.all([identityApi.companies(), identityApi.invitations()])
      setCompanies(list)
      setInvitations(invites)
    })

  useDidShow(() => {
    if (requireLogin(SELF)) void load()
  })

  const apply = () =>
    action.run(async () => {
      const company = await identityApi.applyCompany(form)
      await Taro.navigateTo({ url: detailUrl(company.companyId) })
    })

  const accept = (invite: InvitationView) =>
    action.run(async () => {
      await identityApi.acceptInvitation(invite.companyId, invite.inviteId)
      const [list, invites] = await Promise.all([identityApi.companies(), identityApi.invitations()])
      setCompanies(list)
      setInvitations(invites)
    })

  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }))

  return (
    <View className='page'>
      <Text className='page__title'>企业认证</Text>
      <Text className='page__desc'>企业认证后可使用企业身份签署合同、管理印章与成员。申请人需先完成个人实名认证。</Text>

      {companies && companies.length > 0 && (
        <View className='card' id='company-list'>
          <Text className='card__title'>我的企业</Text>
          {companies.map((c) => (
            <Text key={c.companyId} className='link' data-company-id={c.companyId} onClick={() => void Taro.navigateTo({ url: detailUrl(c.companyId) })}>
              {c.name} · {c.status === 'verified' ? '已认证' : '认证中'}
              {c.myRole ? ` · ${ROLE_LABELS[c.myRole]}` : ''} ›
            </Text>
          ))}
        </View>
      )}

      {invitations.length > 0 && (
        <View className='card' id='company-invitations'>
          <Text className='card__title'>收到的邀请</Text>
          {invitations.map((i) => (
            <View key={i.inviteId} className='row company__invite'>
              <Text className='card__line company__invite-text'>
                {i.companyName} 邀请您成为{i.role === 'admin' ? '管理员' : '经办人'}
              </Text>
              <Button size='small' type='primary' loading={action.busy} onClick={() => void accept(i)}>
                接受邀请
              </Button>
            </View>
          ))}
        </View>
      )}

      <View className='card' id='company-form'>
        <Text className='card__title'>新的企业认证</Text>
        <Field id='company-name' label='企业名称' placeholder='与营业执照一致' value={form.name} onChange={set('name')} />
        <Field id='company-credit-code' label='统一社会信用代码' maxLength={18} placeholder='18 位，见营业执照' value={form.creditCode} onChange={set('creditCode')} />
        <Field id='company-legal-rep-name' label='法定代表人姓名' placeholder='与营业执照一致' value={form.legalRepName} onChange={set('legalRepName')} />
        <Field id='company-legal-rep-id' label='法定代表人身份证号' type='idcard' maxLength={18} placeholder='18 位居民身份证号' value={form.legalRepIdNumber} onChange={set('legalRepIdNumber')} />
        <Button
          id='company-submit'
          className='btn-block'
          type='primary'
          loading={action.busy}
          disabled={!form.name || !form.creditCode || !form.legalRepName || !form.legalRepIdNumber}
          onClick={() => void apply()}
        >
          提交工商信息核验
        </Button>
      </View>
      <ErrorText error={action.error} id='company-error' />
    </View>
  )
}
