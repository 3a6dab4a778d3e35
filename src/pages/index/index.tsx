import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { ContractCounts, ContractSummary } from '@api/contracts.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import { actingCompanies, useAccount, type AccountState } from '@/hooks/use-account'
import { contractsApi } from '@/services/contracts-api'
import { messagesApi } from '@/services/messages-api'
import { isLoggedIn, loginUrl } from '@/services/session'
import './index.css'

const PERSON_PAGE = '/packages/identity/pages/person/index'
const COMPANY_PAGE = '/packages/identity/pages/company/index'
const CONTRACTS_PAGE = '/packages/contracts/pages/list/index'
const CREATE_PAGE = '/packages/contracts/pages/create/index'
const MESSAGES_PAGE = '/packages/messages/pages/list/index'
const TEMPLATES_PAGE = '/packages/templates/pages/list/index'

const go = (url: string) => void Taro.navigateTo({ url })
/** The Beijing day three days from now (即将截止 = deadline within 3 days). */
const inThreeDays = () => new Date(Date.now() + 8 * 3600_000 + 3 * 86_400_000).toISOString().slice(0, 10)

/** The one next step for this account, in the order a new user meets them. */
function nextStep(state: Extract<AccountState, { kind: 'ready' }>): { text: string; action: string; url: string } | undefined {
  if (state.account.realName === 'unverified') return { text: '完成个人实名认证后才能签署合同。', action: '去实名认证', url: PERSON_PAGE }
  if (state.account.realName === 'checked') return { text: '信息已核验，还差人脸核验一步。', action: '继续人脸核验', url: PERSON_PAGE }
  if (actingCompanies(state.companies).length === 0) return { text: '以企业身份签约、使用企业印章，需先完成企业认证。', action: '去企业认证', url: COMPANY_PAGE }
  return undefined
}

/**
 * 首页：the user's own state and next step — login, 实名认证, 企业认证 — the contract counts
 * (待我签署 / 待他人签署 / 即将截止 from `GET /api/contracts/counts`), 即将到期 (completed contracts
 * whose validity ends within 30 days, to renew), 发起签署 and 我的合同. Server status is on
 * the diagnostics page.
 */
export default function Index() {
  const { state } = useAccount()
  const step = state.kind === 'ready' ? nextStep(state) : undefined
  const actingAs = state.kind === 'ready' && state.context.kind === 'company' ? state.context.companyName : undefined
  const [counts, setCounts] = useState<ContractCounts>()
  const [unread, setUnread] = useState<number>()
  const [ending, setEnding] = useState<ContractSummary[]>([])

  useDidShow(() => {
    if (!isLoggedIn()) {
      setCounts(undefined)
      setUnread(undefined)
      setEnding([])
      return
    }
    contractsApi.list('box=all&validity=expiring&limit=5').then((r) => setEnding(r.items), () => setEnding([]))
    messagesApi.unreadCount().then((r) => setUnread(r.unread), () => setUnread(undefined))
    // The counts are extra: the page works without them (shown as –).
    contractsApi.counts().then(setCounts, () => setCounts(undefined))
  })

  const countCards: { label: string; value?: number; box: string; id: string }[] = [
    { label: '待我签署', value: counts?.toSign, box: 'todo', id: 'home-count-todo' },
    { label: '待他人签署', value: counts?.waitingForOthers, box: 'waiting', id: 'home-count-waiting' },
    { label: '即将截止', value: counts?.expiringSoon, box: `all&status=sent&deadlineTo=${inThreeDays()}`, id: 'home-count-expiring' },
  ]

  return (
    <View className='page home'>
      <Text className='page__title'>签约</Text>
      <Text className='page__desc'>在线签署电子合同：发起合同、邀请签署人、手写签名或加盖印章，每个签名都有数字证书和可信时间。</Text>

      {state.kind === 'loading' && <Text className='card card__line muted'>加载中…</Text>}
      {state.kind === 'error' && <ErrorText error={state.message} id='home-error' />}

      {state.kind === 'anonymous' && (
        <View className='card' id='home-welcome'>
          <Text className='card__title'>欢迎使用签约</Text>
          <Text className='card__line muted'>使用手机号登录，首次登录自动创建账号。</Text>
          <Button id='home-login' className='btn-block' type='primary' onClick={() => go(loginUrl('/pages/index/index'))}>
            登录 / 注册
          </Button>
        </View>
      )}

      {state.kind === 'ready' && (
        <View className='card' id='home-account'>
          <View className='home__who'>
            <Text className='card__title' id='home-name'>{state.account.name ?? state.account.maskedPhone ?? '已登录'}</Text>
            <Text className={`badge ${state.account.realName === 'verified' ? 'badge--ok' : 'badge--warn'}`} id='home-realname'>
              {state.account.realName === 'verified' ? '已实名' : '未实名'}
            </Text>
          </View>
          <Text className='card__line muted' id='home-context'>当前身份：{actingAs ? `${actingAs}（企业）` : '个人'}</Text>
          {step ? (
            <View id='home-next-step'>
              <Text className='card__line'>下一步：{step.text}</Text>
              <Button id='home-next' className='btn-block' type='primary' onClick={() => go(step.url)}>
                {step.action}
              </Button>
            </View>
          ) : (
            <Text className='card__line' id='home-ready'>✓ 认证已完成，可以发起和签署合同。</Text>
          )}
        </View>
      )}

      <View className='home__counts' id='home-counts'>
        {countCards.map((c) => (
          <View key={c.label} className='home__count' id={c.id} onClick={() => go(`${CONTRACTS_PAGE}?box=${c.box}`)}>
            <Text className='home__count-value'>{c.value ?? (state.kind === 'ready' ? '–' : 0)}</Text>
            <Text className='home__count-label'>{c.label}</Text>
          </View>
        ))}
      </View>

      {ending.length > 0 && (
        <View className='card' id='home-ending'>
          <View className='home__who'>
            <Text className='card__title'>即将到期</Text>
            <Text className='link' id='home-ending-all' onClick={() => go(`${CONTRACTS_PAGE}?box=all&validity=expiring`)}>
              查看全部 ›
            </Text>
          </View>
          {ending.map((c) => (
            <View key={c.contractId} className='home__ending' id={`home-ending-${c.contractId}`} onClick={() => go(`/packages/contracts/pages/detail/index?contractId=${c.contractId}`)}>
              <Text className='card__line home__ending-title'>{c.title}</Text>
              <Text className={`badge ${c.renewedBy ? 'badge--ok' : 'badge--warn'}`}>{c.renewedBy ? '已续签' : `${c.validUntil} 到期`}</Text>
            </View>
          ))}
        </View>
      )}

      <View className='actions'>
        <Button id='home-start' type='primary' disabled={state.kind !== 'ready'} onClick={() => go(CREATE_PAGE)}>
          发起签署
        </Button>
        <Button id='home-contracts' type='primary' fill='outline' disabled={state.kind !== 'ready'} onClick={() => go(CONTRACTS_PAGE)}>
          我的合同
        </Button>
        <Button id='home-messages' type='default' fill='outline' disabled={state.kind !== 'ready'} onClick={() => go(MESSAGES_PAGE)}>
          消息
          {unread ? (
            <Text className='home__unread' id='home-unread'>
              {unread > 99 ? '99+' : unread}
            </Text>
          ) : null}
        </Button>
        {actingAs && (
          <Button id='home-templates' type='primary' fill='outline' onClick={() => go(TEMPLATES_PAGE)}>
            合同模板
          </Button>
        )}
        <Button id='home-verify' type='default' fill='outline' onClick={() => go('/packages/verification/pages/index/index')}>
          验证签名
        </Button>
      </View>

      <Text className='link home__diagnostics' id='home-diagnostics' onClick={() => go('/packages/diagnostics/pages/index/index')}>
        系统状态 ›
      </Text>
    </View>
  )
}
