import { useRef, useState } from 'react'
import Taro, { useLoad } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { HealthResponse } from '@api/health.types'
import { ApiError } from '@/services/api-client'
import { getHealth } from '@/services/health-api'

type HealthState =
  | { kind: 'loading' }
  | { kind: 'ok'; health: HealthResponse }
  | { kind: 'error'; message: string }

const MODE_LABELS: Record<HealthResponse['mode'], string> = {
  local: '本地（SQLite + 文件系统）',
  aws: '云端（DynamoDB + S3）',
}

/** ApiError carries the server's user-facing message (or the client's, for network failures). */
function errorMessage(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err)
}

export default function Index() {
  const [state, setState] = useState<HealthState>({ kind: 'loading' })
  // Only the latest check may update the page (a retry can overtake a slow first request).
  const requestSeq = useRef(0)

  const checkHealth = async () => {
    const seq = ++requestSeq.current
    setState({ kind: 'loading' })
    let next: HealthState
    try {
      const health = await getHealth()
      next = health.status === 'ok'
        ? { kind: 'ok', health }
        : { kind: 'error', message: `服务返回状态：${String(health.status)}` }
    } catch (err) {
      next = { kind: 'error', message: errorMessage(err) }
    }
    if (seq === requestSeq.current) setState(next)
  }

  useLoad(() => {
    void checkHealth()
  })

  return (
    <View className='page'>
      <Text className='page__title'>签约</Text>
      <Text className='page__desc'>在线签署电子合同：发起合同、邀请签署人、手写签名并验证签名。</Text>

      <View className='card'>
        <Text id='health-status' className='card__line'>
          {state.kind === 'loading' ? '服务状态：检查中…' : state.kind === 'ok' ? '服务状态：正常' : '服务状态：不可用'}
        </Text>
        {state.kind === 'ok' && (
          <View>
            <Text className='card__line'>版本：{state.health.version}</Text>
            <Text className='card__line'>运行模式：{MODE_LABELS[state.health.mode] ?? state.health.mode}</Text>
            <Text className='card__line'>
              文件存储：{state.health.storage.objects.kind} {state.health.storage.objects.version}
            </Text>
            <Text className='card__line'>
              元数据存储：{state.health.storage.metadata.kind} {state.health.storage.metadata.version}
            </Text>
          </View>
        )}
        {state.kind === 'error' && <Text className='card__line'>原因：{state.message}</Text>}
        {state.kind !== 'loading' && (
          <Button size='mini' onClick={() => void checkHealth()}>重新检查</Button>
        )}
      </View>

      <View className='card'>
        <Text className='link' onClick={() => void Taro.navigateTo({ url: '/packages/contracts/pages/list/index' })}>
          我的合同 ›
        </Text>
        <Text className='link' onClick={() => void Taro.navigateTo({ url: '/packages/verification/pages/index/index' })}>
          验证签名 ›
        </Text>
      </View>
    </View>
  )
}
