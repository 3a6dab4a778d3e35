import { useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { MessageView } from '@api/messages.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import { errorText } from '@/services/error-text'
import { messagesApi } from '@/services/messages-api'
import './index.css'

const DETAIL_PAGE = '/packages/contracts/pages/detail/index'
const SETTINGS_PAGE = '/packages/messages/pages/settings/index'

/** Beijing time of an ISO instant, e.g. "12-04 18:00". */
const beijing = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ')

/**
 * 消息（站内信）：the account's notices, newest first — unread ones marked with a dot; opening one
 * marks it read and opens its contract; 全部已读 clears them; 加载更多 pages on.
 */
export default function Messages() {
  const [items, setItems] = useState<MessageView[]>()
  const [next, setNext] = useState<string>()
  const [error, setError] = useState<string>()

  const load = async (cursor?: string) => {
    setError(undefined)
    try {
      const page = await messagesApi.list(cursor)
      setItems((prev) => (cursor ? [...(prev ?? []), ...page.items] : page.items))
      setNext(page.next)
    } catch (err) {
      setError(errorText(err))
    } finally {
      void Taro.stopPullDownRefresh?.()
    }
  }

  useDidShow(() => void load())
  usePullDownRefresh(() => void load())

  const open = async (m: MessageView) => {
    if (!m.read) {
      try {
        await messagesApi.markRead(m.messageId)
        setItems((prev) => prev?.map((x) => (x.messageId === m.messageId ? { ...x, read: true } : x)))
      } catch (err) {
        setError(errorText(err))
        return
      }
    }
    if (m.contractId) void Taro.navigateTo({ url: `${DETAIL_PAGE}?contractId=${encodeURIComponent(m.contractId)}` })
  }

  const readAll = async () => {
    setError(undefined)
    try {
      await messagesApi.markAllRead()
      setItems((prev) => prev?.map((x) => ({ ...x, read: true })))
    } catch (err) {
      setError(errorText(err))
    }
  }

  const unread = items?.filter((m) => !m.read).length ?? 0

  return (
    <View className='page'>
      <Text className='page__title'>消息</Text>
      <Text className='page__desc'>合同的签署邀请、完成、拒签、撤销和过期通知。</Text>
      <ErrorText error={error} id='messages-error' />
      <View className='card' id='messages-list'>
        {items === undefined && !error && <Text className='card__line muted'>加载中…</Text>}
        {items?.length === 0 && <Text className='card__line muted'>暂无消息</Text>}
        {items?.map((m) => (
          <View key={m.messageId} className={`messages__item${m.read ? ' messages__item--read' : ''}`} data-read={m.read} onClick={() => void open(m)}>
            <View className='messages__head'>
              {!m.read && <View className='messages__dot' />}
              <Text className='messages__title'>{m.title}</Text>
              <Text className='messages__time'>{beijing(m.createdAt)}</Text>
            </View>
            <Text className='messages__body'>{m.body}</Text>
          </View>
        ))}
      </View>
      <View className='actions'>
        {next && (
          <Button id='messages-more' type='default' fill='outline' onClick={() => void load(next)}>
            加载更多
          </Button>
        )}
        <Button id='messages-read-all' type='primary' fill='outline' disabled={unread === 0} onClick={() => void readAll()}>
          全部已读
        </Button>
        <Button id='messages-settings' type='default' fill='outline' onClick={() => void Taro.navigateTo({ url: SETTINGS_PAGE })}>
          通知设置
        </Button>
      </View>
    </View>
  )
}
