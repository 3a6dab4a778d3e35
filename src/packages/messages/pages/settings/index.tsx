import { useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { ChannelSettingsView, UpdateChannelSettingsRequest, WeChatSubscriptionsView } from '@api/messages.types'
import { Button, Input } from '@/components/ui'
import ErrorText from '@/components/error-text'
import { errorText } from '@/services/error-text'
import { messagesApi } from '@/services/messages-api'
import { canSubscribeMessages, requestSubscriptions } from '@/services/platform/subscribe-messages'
import '../list/index.css'

const CHANNELS: { key: 'sms' | 'wechat' | 'email'; label: string; hint: string }[] = [
  { key: 'sms', label: '短信', hint: '签署邀请和合同动态发送到登录手机号' },
  { key: 'wechat', label: '微信', hint: '通过小程序订阅消息提醒（需在小程序中允许订阅）' },
  { key: 'email', label: '邮件', hint: '发送到下方填写的邮箱' },
]

/** 通知设置：SMS / WeChat / e-mail on or off and the e-mail address (shown masked once saved). 站内信 is always on. */
export default function ChannelSettings() {
  const [settings, setSettings] = useState<ChannelSettingsView>()
  const [email, setEmail] = useState('')
  const [error, setError] = useState<string>()
  const [saved, setSaved] = useState(false)
  const [subscriptions, setSubscriptions] = useState<WeChatSubscriptionsView>()

  const load = async () => {
    setError(undefined)
    try {
      setSettings(await messagesApi.channels())
    } catch (err) {
      setError(errorText(err))
    }
  }
  useDidShow(() => void load())

  const save = async (change: UpdateChannelSettingsRequest) => {
    setError(undefined)
    setSaved(false)
    try {
      setSettings(await messagesApi.updateChannels(change))
      setSaved(true)
      if (change.emailAddress) setEmail('')
    } catch (err) {
      setError(errorText(err))
    }
  }

  /** From the tap (WeChat requires it): the templates to ask for, the dialog, then the answers recorded. */
  const subscribe = async () => {
    setError(undefined)
    try {
      const known = subscriptions ?? (await messagesApi.wechatSubscriptions())
      const ids = [...new Set(Object.values(known.templates ?? {}))]
      if (!ids.length) {
        setError('暂未开通微信订阅消息，将通过短信通知您')
        return
      }
      const results = await requestSubscriptions(ids)
      setSubscriptions(Object.keys(results).length ? await messagesApi.recordWeChatSubscriptions({ results }) : known)
    } catch (err) {
      setError(errorText(err))
    }
  }
  const left = subscriptions ? Object.values(subscriptions.credits ?? {}).reduce((a, b) => a + b, 0) : 0

  return (
    <View className='page'>
      <Text className='page__title'>通知设置</Text>
      <Text className='page__desc'>站内信始终开启。选择还要通过哪些渠道通知您。</Text>
      <ErrorText error={error} id='channels-error' />
      {settings === undefined && !error && <Text className='card card__line muted'>加载中…</Text>}
      {settings && (
        <View className='card' id='channels'>
          {CHANNELS.map((c) => (
            <View key={c.key} className='messages__item' id={`channel-${c.key}`} data-on={settings[c.key]}>
              <View className='messages__head'>
                <Text className='messages__title'>{c.label}</Text>
                <Text className={`badge ${settings[c.key] ? 'badge--ok' : 'badge--off'}`}>{settings[c.key] ? '已开启' : '已关闭'}</Text>
                <Button className='messages__time' size='small' type='primary' fill='outline' id={`channel-${c.key}-toggle`} onClick={() => void save({ [c.key]: !settings[c.key] })}>
                  {settings[c.key] ? '关闭' : '开启'}
                </Button>
              </View>
              <Text className='messages__body'>{c.hint}</Text>
              {c.key === 'wechat' && canSubscribeMessages && settings.wechat && (
                <View className='actions'>
                  {subscriptions && (
                    <Text className='messages__body' id='channel-wechat-left'>
                      剩余可接收 {left} 条订阅消息，用完后改发短信
                    </Text>
                  )}
                  <Button id='channel-wechat-subscribe' size='small' type='primary' onClick={() => void subscribe()}>
                    订阅微信通知
                  </Button>
                </View>
              )}
            </View>
          ))}
          <View className='messages__item'>
            <Text className='messages__body' id='channels-email'>
              邮箱：{settings.maskedEmail ?? '未填写'}
            </Text>
            <Input id='channels-email-input' value={email} placeholder='name@example.com' onChange={(v: string) => setEmail(v)} />
            <View className='actions'>
              <Button id='channels-email-save' type='primary' disabled={!email.trim()} onClick={() => void save({ emailAddress: email.trim(), email: true })}>
                保存邮箱并开启邮件通知
              </Button>
              {settings.maskedEmail && (
                <Button id='channels-email-remove' type='default' fill='outline' onClick={() => void save({ emailAddress: null })}>
                  删除邮箱
                </Button>
              )}
            </View>
          </View>
        </View>
      )}
      {saved && <Text className='card__line' id='channels-saved'>✓ 已保存</Text>}
    </View>
  )
}
