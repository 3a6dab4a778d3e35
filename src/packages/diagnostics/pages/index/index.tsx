import { useRef, useState } from 'react'
import { useLoad } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { HealthResponse } from '@api/health.types'
import { Button } from '@/components/ui'
import { getHealth } from '@/services/health-api'
import { errorText } from '@/services/error-text'

type HealthState = { kind: 'loading' } | { kind: 'ok'; health: HealthResponse } | { kind: 'error'; message: string }

const MODE_LABELS: Record<HealthResponse['mode'], string> = {
  local: '本地（SQLite + 文件系统）',
  aws: '云端（DynamoDB + S3）',
}

/** 系统状态（诊断）：服务是否可用、版本、运行模式与存储。给运维和排查问题的人看，不在首页。 */
export default function Diagnostics() {
  const [state, setState] = useState<HealthState>({ kind: 'loading' })
  // Only the latest check may update the page (a retry can overtake a slow first request).
  const requestSeq = useRef(0)

  const checkHealth = async () => {
    const seq = ++requestSeq.current
    setState({ kind: 'loading' })
    let next: HealthState
    try {
      const health = await getHealth()
      next = health.status === 'ok' ? { kind: 'ok', health } : { kind: 'error', message: `服务返回状态：${String(health.status)}` }
    } catch (err) {
      next = { kind: 'error', message: errorText(err) }
    }
    if (seq === requestSeq.current) setState(next)
  }

  useLoad(() => {
    void checkHealth()
  })

  return (
    <View className='page'>
      <Text className='page__title'>系统状态</Text>
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
          <Button id='health-retry' className='btn-block' type='default' fill='outline' onClick={() => void checkHealth()}>
            重新检查
          </Button>
        )}
      </View>
    </View>
  )
}
