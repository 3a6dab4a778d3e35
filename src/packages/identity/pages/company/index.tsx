import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { CompanyView, InvitationView } from '@api/identity.types'
import { identityApi } from '@/services/identity-api'
import ErrorText, { errorText } from '../../components/error-text'
import { requireLogin } from '../../components/require-login'
import '../../identity.css'

const SELF = '/packages/identity/pages/company/index'
const ROLE_LABELS: Record<NonNullable<CompanyView['myRole']>, string> = { admin: '管理员', operator: '经办人', applicant: '申请人', 'legal-rep': '法定代表人' }
const detailUrl = (id: string) => `/packages/identity/pages/company-detail/index?id=${id}`

/** 企业认证：我的企业、收到的邀请，以及新的企业认证申请（企业名称 + 统一社会信用代码 + 法定代表人）。 */
export default function Company() {
  const [companies, setCompanies] = useState<CompanyView[]>()
  const [invitations, setInvitations] = useState<InvitationView[]>([])
  const [form, setForm] = useState({ name: '', creditCode: '', legalRepName: '', legalRepIdNumber: '' })
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const load = async () => {
    try {
      const [list, invites] = await Promise.all([identityApi.companies(), identityApi.invitations()])
      setCompanies(list)
      setInvitations(invites)
    } catch (err) {
      setError(errorText(err))
    }
  }

  useDidShow(() => {
    if (requireLogin(SELF)) void load()
  })

  const apply = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const company = await identityApi.applyCompany(form)
      await Taro.navigateTo({ url: detailUrl(company.companyId) })
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const accept = async (invite: InvitationView) => {
    setError(undefined)
    try {
      await identityApi.acceptInvitation(invite.companyId, invite.inviteId)
      await load()
    } catch (err) {
      setError(errorText(err))
    }
  }

  const set = (key: keyof typeof form) => (e: { detail: { value: string } }) => setForm({ ...form, [key]: e.detail.value })

  return (
    <View className='page'>
      <Text className='page__title'>企业认证</Text>
      <Text className='page__desc'>企业认证后可使用企业身份签署合同、管理印章与成员。申请人需先完成个人实名认证。</Text>

      {companies && companies.length > 0 && (
        <View className='card' id='company-list'>
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
          {invitations.map((i) => (
            <View key={i.inviteId}>
              <Text className='card__line'>
                {i.companyName} 邀请您成为{i.role === 'admin' ? '管理员' : '经办人'}
              </Text>
              <Button size='mini' onClick={() => void accept(i)}>
                接受邀请
              </Button>
            </View>
          ))}
        </View>
      )}

      <View className='card' id='company-form'>
        <Text className='card__line'>新的企业认证</Text>
        <View className='field'>
          <Text className='field__label'>企业名称</Text>
          <Input id='company-name' className='field__input' placeholder='与营业执照一致' value={form.name} onInput={set('name')} />
        </View>
        <View className='field'>
          <Text className='field__label'>统一社会信用代码</Text>
          <Input id='company-credit-code' className='field__input' maxlength={18} placeholder='18 位' value={form.creditCode} onInput={set('creditCode')} />
        </View>
        <View className='field'>
          <Text className='field__label'>法定代表人姓名</Text>
          <Input id='company-legal-rep-name' className='field__input' value={form.legalRepName} onInput={set('legalRepName')} />
        </View>
        <View className='field'>
          <Text className='field__label'>法定代表人身份证号</Text>
          <Input id='company-legal-rep-id' className='field__input' type='idcard' maxlength={18} value={form.legalRepIdNumber} onInput={set('legalRepIdNumber')} />
        </View>
        <Button id='company-submit' className='btn' loading={busy} disabled={busy || !form.name || !form.creditCode || !form.legalRepName || !form.legalRepIdNumber} onClick={() => void apply()}>
          提交工商信息核验
        </Button>
      </View>
      <ErrorText error={error} id='company-error' />
    </View>
  )
}
