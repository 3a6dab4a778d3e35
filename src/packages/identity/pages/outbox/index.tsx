import { useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { OutboxView } from '@api/identity.types'
import { identityApi } from '@/services/identity-api'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import { errorText } from '@/services/error-text'
import '../../identity.css'

/** 沙箱发件箱：沙箱环境中“发送”的短信验证码和对公打款流水，代替真实手机和银行账户。 */
const TOKEN_KEY = 'sandbox-operator-token'

/** The operator token from the link `npm start` printed (`?token=`), remembered for later visits. */
function useOperatorToken(): string {
  const { params } = useRouter()
  const fromLink = params.token ? decodeURIComponent(params.token) : ''
  if (fromLink) Taro.setStorageSync(TOKEN_KEY, fromLink)
  return fromLink || (Taro.getStorageSync(TOKEN_KEY) as string) || ''
}

export default function Outbox() {
  const [entries, setEntries] = useState<OutboxView['entries']>()
  const [error, setError] = useState<string>()
  const token = useOperatorToken()

  const load = async () => {
    setError(undefined)
    if (!token) {
      setError('请使用启动时控制台打印的沙箱发件箱链接（含运维口令 token）打开本页')
      return
    }
    try {
      setEntries((await identityApi.outbox(token)).entries)
    } catch (err) {
      setError(errorText(err))
    } finally {
      void Taro.stopPullDownRefresh?.()
    }
  }

  useDidShow(() => void load())
  usePullDownRefresh(() => void load())

  return (
    <View className='page'>
      <Text className='page__title'>
        沙箱发件箱<Text className='sandbox-tag'>沙箱</Text>
      </Text>
      <Text className='page__desc'>沙箱环境不会真实发送短信或打款。验证码和打款流水显示在这里，保留 24 小时。</Text>
      <ErrorText error={error} id='outbox-error' />
      <View className='card' id='outbox-list'>
        {entries === undefined && !error && <Text className='card__line'>加载中…</Text>}
        {entries?.length === 0 && <Text className='card__line'>暂无消息</Text>}
        {entries?.map((e) => (
          <View key={e.id} className='outbox__entry' data-channel={e.channel}>
            <Text className='card__line'>
              {e.channel === 'sms' ? '短信' : '打款'} → {e.to} · {e.sentAt.slice(11, 19)}
            </Text>
            {e.code && <Text className='outbox__code'>{e.code}</Text>}
            {e.amount && <Text className='outbox__code'>{e.amount} 元</Text>}
            <Text className='card__line'>{e.text}</Text>
          </View>
        ))}
      </View>
      <Button className='btn-block' type='primary' fill='outline' onClick={() => void load()}>
        刷新
      </Button>
    </View>
  )
}
