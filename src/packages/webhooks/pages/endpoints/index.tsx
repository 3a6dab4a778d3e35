import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { CreatedWebhookView, WebhookDeliveryView, WebhookEventType, WebhookView } from '@api/webhooks.types'
import { ERROR_MESSAGES } from '@api/error-codes'
import { WEBHOOK_DELIVERY_STATUS_LABELS, WEBHOOK_EVENT_LABELS } from '@api/webhook-event-labels'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { requireLogin } from '@/services/session'
import { webhooksApi } from '@/services/webhooks-api'
import './index.css'

const EVENTS = Object.keys(WEBHOOK_EVENT_LABELS) as WebhookEventType[]
const STATUS_BADGE = { pending: 'badge--warn', delivered: 'badge--ok', failed: 'badge--off', cancelled: 'badge--off' } as const

/** `2026-12-04T08:00:00.000Z` → `12-04 16:00` (Beijing time). */
function beijing(iso?: string): string {
  if (!iso) return ''
  const d = new Date(Date.parse(iso) + 8 * 3_600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}

/** One line saying how a delivery went: the receiver's status or why there was none, and the next try. */
function outcome(d: WebhookDeliveryView): string {
  const reason = d.lastError && d.lastError in ERROR_MESSAGES ? ERROR_MESSAGES[d.lastError as keyof typeof ERROR_MESSAGES] : d.lastError
  const answer = d.lastStatusCode !== undefined ? `HTTP ${d.lastStatusCode}` : reason ? `未送达（${reason}）` : '尚未发送'
  const next = d.status === 'pending' && d.nextAttemptAt ? ` · 下次 ${beijing(d.nextAttemptAt)}` : ''
  return `${answer} · 第 ${d.attempts} 次${next}`
}

/** 事件推送（Webhook，企业管理员）：接收地址的列表、新建（密钥只显示一次）和删除；每个地址的投递记录与重新投递。 */
export default function WebhookEndpoints() {
  const { params } = useRouter()
  const companyId = params.companyId ?? ''
  const [endpoints, setEndpoints] = useState<WebhookView[]>()
  const [url, setUrl] = useState('')
  const [description, setDescription] = useState('')
  const [events, setEvents] = useState<WebhookEventType[]>(EVENTS)
  const [created, setCreated] = useState<CreatedWebhookView>()
  const [open, setOpen] = useState<string>()
  const [confirming, setConfirming] = useState<string>()
  const [log, setLog] = useState<{ items: WebhookDeliveryView[]; next?: string }>()
  const action = useAction()
  const { busy, run } = action

  const load = async () => setEndpoints((await webhooksApi.list(companyId)).items)
  const loadLog = async (webhookId: string, cursor?: string) => {
    const page = await webhooksApi.deliveries(companyId, webhookId, cursor)
    setLog((prev) => (cursor && prev ? { items: [...prev.items, ...page.items], next: page.next } : page))
  }

  useDidShow(() => {
    if (!requireLogin(`/packages/webhooks/pages/endpoints/index?companyId=${companyId}`)) return
    void run(load)
  })

  const toggle = (e: WebhookEventType) => setEvents((list) => (list.includes(e) ? list.filter((x) => x !== e) : EVENTS.filter((x) => x === e || list.includes(x))))

  const create = () =>
    run(async () => {
      const made = await webhooksApi.create(companyId, { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) })
      setCreated(made)
      setUrl('')
      setDescription('')
      await load()
    })

  const remove = async (w: WebhookView) => {
    setConfirming(undefined)
    await run(async () => {
      await webhooksApi.remove(companyId, w.webhookId)
      if (open === w.webhookId) setOpen(undefined)
      action.setNotice('已删除')
      await load()
    })
  }

  const showLog = (webhookId: string) => {
    if (open === webhookId) {
      setOpen(undefined)
      return
    }
    setOpen(webhookId)
    setLog(undefined)
    void run(() => loadLog(webhookId))
  }

  const redeliver = (webhookId: string, d: WebhookDeliveryView) =>
    run(async () => {
      await webhooksApi.redeliver(companyId, webhookId, d.deliveryId)
      action.setNotice('已加入投递队列，将在一分钟内发送')
      await loadLog(webhookId)
    })

  return (
    <View className='page'>
      <Text className='page__title'>事件推送（Webhook）</Text>
      <Text className='page__desc'>本企业发起的合同状态变化时，向下列地址推送带签名的事件（HMAC-SHA256）。失败后 24 小时内自动重试。</Text>

      {created && (
        <View className='card' id='webhook-created'>
          <Text className='card__title'>已创建，请立即保存签名密钥</Text>
          <Text className='card__line muted'>密钥只显示这一次，用于验证请求头 Qianyue-Signature。</Text>
          <Text className='webhooks__secret' id='webhook-secret' selectable>
            {created.secret}
          </Text>
          <View className='actions'>
            <Button id='webhook-secret-copy' type='primary' fill='outline' onClick={() => void Taro.setClipboardData({ data: created.secret })}>
              复制密钥
            </Button>
            <Button id='webhook-secret-done' type='default' fill='outline' onClick={() => setCreated(undefined)}>
              我已保存
            </Button>
          </View>
        </View>
      )}

      <View className='card' id='webhook-list'>
        <Text className='card__title'>接收地址</Text>
        {endpoints === undefined && <Text className='card__line muted'>加载中…</Text>}
        {endpoints?.length === 0 && (
          <Text className='card__line muted' id='webhook-empty'>
            还没有接收地址
          </Text>
        )}
        {endpoints?.map((w) => (
          <View key={w.webhookId} className='webhooks__item' id={`webhook-${w.webhookId}`}>
            <Text className='webhooks__url'>{w.url}</Text>
            <Text className='webhooks__meta'>
              {w.description ? `${w.description} · ` : ''}
              {w.events.length === EVENTS.length ? '全部事件' : w.events.map((e) => WEBHOOK_EVENT_LABELS[e]).join('、')}
            </Text>
            <View className='actions'>
              <Button className='webhook-log-toggle' type='primary' fill='outline' size='small' onClick={() => showLog(w.webhookId)}>
                {open === w.webhookId ? '收起投递记录' : '投递记录'}
              </Button>
              {confirming !== w.webhookId && (
                <Button className='webhook-delete' type='danger' fill='outline' size='small' disabled={busy} onClick={() => setConfirming(w.webhookId)}>
                  删除
                </Button>
              )}
            </View>
            {confirming === w.webhookId && (
              <View className='webhooks__confirm'>
                <Text className='card__line'>删除后不再向该地址推送事件，未完成的投递将取消。</Text>
                <View className='actions'>
                  <Button className='webhook-delete-confirm' type='danger' size='small' loading={busy} onClick={() => void remove(w)}>
                    确认删除
                  </Button>
                  <Button type='default' fill='outline' size='small' onClick={() => setConfirming(undefined)}>
                    取消
                  </Button>
                </View>
              </View>
            )}
            {open === w.webhookId && (
              <View className='webhooks__log' id='webhook-log'>
                {log?.items.length === 0 && <Text className='card__line muted'>暂无投递记录</Text>}
                {log?.items.map((d) => (
                  <View key={d.deliveryId} className='webhooks__delivery' id={`delivery-${d.deliveryId}`}>
                    <View className='webhooks__head'>
                      <Text className='webhooks__event'>{WEBHOOK_EVENT_LABELS[d.eventType]}</Text>
                      <Text className={`badge ${STATUS_BADGE[d.status]}`}>{d.status === 'pending' && d.attempts > 0 ? '重试中' : WEBHOOK_DELIVERY_STATUS_LABELS[d.status]}</Text>
                      {d.status !== 'pending' && (
                        <Button className='webhook-redeliver' type='primary' fill='outline' size='small' disabled={busy} onClick={() => void redeliver(w.webhookId, d)}>
                          重新投递
                        </Button>
                      )}
                    </View>
                    <Text className='webhooks__meta'>
                      {beijing(d.createdAt)} · {outcome(d)}
                      {d.redeliveryOf ? ' · 手动重发' : ''}
                    </Text>
                  </View>
                ))}
                {log?.next && (
                  <Text className='link' id='webhook-log-more' onClick={() => void run(() => loadLog(w.webhookId, log.next))}>
                    加载更多 ›
                  </Text>
                )}
              </View>
            )}
          </View>
        ))}
      </View>

      <View className='card' id='webhook-new'>
        <Text className='card__title'>新建接收地址</Text>
        <Field id='webhook-url' label='接收地址（https://）' placeholder='https://example.com/qianyue/webhook' value={url} onChange={setUrl} />
        <Field id='webhook-description' label='备注（可选）' placeholder='如：业务系统' maxLength={100} value={description} onChange={setDescription} />
        <Text className='card__line muted'>推送的事件</Text>
        <View className='webhooks__events' id='webhook-events'>
          {EVENTS.map((e) => (
            <Button key={e} className='webhook-event' type='primary' size='small' fill={events.includes(e) ? 'solid' : 'outline'} onClick={() => toggle(e)}>
              {events.includes(e) ? `✓ ${WEBHOOK_EVENT_LABELS[e]}` : WEBHOOK_EVENT_LABELS[e]}
            </Button>
          ))}
        </View>
        <Button id='webhook-create' className='btn-block' type='primary' loading={busy} disabled={!url.trim() || events.length === 0} onClick={() => void create()}>
          创建
        </Button>
      </View>

      <Notice text={action.notice} id='webhook-notice' />
      <ErrorText error={action.error} id='webhook-error' />
    </View>
  )
}
