import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button, Cell, CellGroup } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import { actingCompanies, useAccount } from '@/hooks/use-account'
import { useAction } from '@/hooks/use-action'
import { identityApi } from '@/services/identity-api'
import { loginUrl } from '@/services/session'
import './index.css'

const go = (url: string) => void Taro.navigateTo({ url })
const ROLE_LABELS = { admin: '管理员', operator: '经办人', applicant: '申请人', 'legal-rep': '法定代表人' } as const

const LINKS = [
  { text: '个人实名认证', url: '/packages/identity/pages/person/index' },
  { text: '企业认证与成员', url: '/packages/identity/pages/company/index' },
  { text: '合同审批', url: '/packages/approvals/pages/list/index' },
  { text: '印章与签名', url: '/packages/seals/pages/list/index' },
  { text: '手写签名', url: '/packages/seals/pages/handwriting/index' },
  { text: '验证签名', url: '/packages/verification/pages/index/index' },
]

/** 我的：a header card with who is signed in (masked phone, 实名 badge), their companies and the acting context, pending invitations, logout. */
export default function Mine() {
  const { state, reload, switchContext } = useAccount()
  const action = useAction()

  const logout = () =>
    action.run(async () => {
      await identityApi.logout()
      await reload()
      void Taro.showToast({ title: '已退出登录', icon: 'none' })
    })

  const accept = (companyId: string, inviteId: string) =>
    action.run(async () => {
      await identityApi.acceptInvitation(companyId, inviteId)
      action.setNotice('已加入企业')
      await reload()
    })

  return (
    <View className='page mine'>
      {state.kind === 'loading' && <Text className='card card__line muted'>加载中…</Text>}
      {state.kind === 'error' && <ErrorText error={state.message} id='mine-error' />}

      {state.kind === 'anonymous' && (
        <View className='card mine__header' id='mine-header'>
          <Text className='card__title'>未登录</Text>
          <Text className='card__line muted'>登录后可实名认证、管理企业与印章、签署合同。</Text>
          <Button id='mine-login' className='btn-block' type='primary' onClick={() => go(loginUrl('/pages/mine/index'))}>
            登录 / 注册
          </Button>
        </View>
      )}

      {state.kind === 'ready' && (
        <View className='card mine__header' id='mine-header'>
          <View className='mine__who'>
            <Text className='card__title' id='mine-phone'>{state.account.maskedPhone ?? '已登录'}</Text>
            <Text className={`badge ${state.account.realName === 'verified' ? 'badge--ok' : 'badge--warn'}`} id='mine-realname'>
              {state.account.realName === 'verified' ? `已实名 · ${state.account.name ?? ''}` : state.account.realName === 'checked' ? '待人脸核验' : '未实名'}
            </Text>
          </View>
          {state.companies.length > 0 ? (
            <View id='mine-companies'>
              {state.companies.map((c) => (
                <Text key={c.companyId} className='link' onClick={() => go(`/packages/identity/pages/company-detail/index?id=${c.companyId}`)}>
                  {c.name} · {c.status === 'verified' ? '已认证' : '认证中'}
                  {c.myRole ? ` · ${ROLE_LABELS[c.myRole]}` : ''} ›
                </Text>
              ))}
            </View>
          ) : (
            <Text className='card__line muted'>尚未加入企业</Text>
          )}
        </View>
      )}

      {state.kind === 'ready' && actingCompanies(state.companies).length > 0 && (
        <View className='card' id='mine-context'>
          <Text className='card__title'>当前身份</Text>
          <Text className='card__line muted'>以哪个身份发起和签署合同、使用印章。</Text>
          {[{ kind: 'person' as const, label: `个人（${state.account.name ?? state.account.maskedPhone ?? ''}）` }, ...actingCompanies(state.companies).map((c) => ({ kind: 'company' as const, companyId: c.companyId, label: c.name }))].map((o) => {
            const on = o.kind === 'person' ? state.context.kind === 'person' : state.context.kind === 'company' && state.context.companyId === o.companyId
            return (
              <View
                key={o.kind === 'person' ? 'person' : o.companyId}
                className={`choice${on ? ' choice--on' : ''}`}
                role='radio'
                aria-checked={on}
                data-context={o.kind === 'person' ? 'person' : o.companyId}
                onClick={() => switchContext(o.kind === 'person' ? { kind: 'person' } : { kind: 'company', companyId: o.companyId, companyName: o.label })}
              >
                <Text>{o.label}</Text>
                {on && <Text className='choice__mark'>✓ 当前</Text>}
              </View>
            )
          })}
        </View>
      )}

      {state.kind === 'ready' && state.invitations.length > 0 && (
        <View className='card' id='mine-invitations'>
          <Text className='card__title'>待处理的邀请</Text>
          {state.invitations.map((i) => (
            <View key={i.inviteId} className='mine__invite'>
              <Text className='card__line'>
                {i.companyName} 邀请您成为{i.role === 'admin' ? '管理员' : '经办人'}
              </Text>
              <Button id={`accept-${i.inviteId}`} size='small' type='primary' loading={action.busy} onClick={() => void accept(i.companyId, i.inviteId)}>
                接受邀请
              </Button>
            </View>
          ))}
        </View>
      )}

      <CellGroup className='mine__links'>
        {LINKS.map((link) => (
          <Cell key={link.url} title={link.text} extra='›' clickable onClick={() => go(link.url)} />
        ))}
      </CellGroup>

      <Notice text={action.notice} id='mine-notice' />
      <ErrorText error={action.error} id='mine-action-error' />
      {state.kind === 'ready' && (
        <Button id='mine-logout' className='btn-block' type='danger' fill='outline' loading={action.busy} onClick={() => void logout()}>
          退出登录
        </Button>
      )}
    </View>
  )
}
