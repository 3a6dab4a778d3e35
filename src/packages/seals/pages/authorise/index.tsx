import { useState } from 'react'
import { useLoad, useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { SealGrantView } from '@api/seals.types'
import { grantSeal, listGrants, revokeGrant } from '@/services/seals-api'
import { errorMessage } from '../../lib/error-message'

/** 印章授权 (admins): who may use this seal, until when, for which templates. */
export default function AuthoriseSeal() {
  const { params } = useRouter()
  const companyId = params.companyId ?? ''
  const sealId = params.sealId ?? ''
  const [grants, setGrants] = useState<SealGrantView[]>([])
  const [userId, setUserId] = useState('')
  const [validUntil, setValidUntil] = useState('')
  const [templates, setTemplates] = useState('')
  const [message, setMessage] = useState<string>()

  const load = async () => {
    try {
      setGrants((await listGrants(companyId, sealId)).grants)
    } catch (err) {
      setMessage(errorMessage(err))
    }
  }
  useLoad(() => {
    void load()
  })

  const grant = async () => {
    setMessage(undefined)
    try {
      const templateIds = templates.split(/[,，\s]+/).filter(Boolean)
      await grantSeal(companyId, sealId, userId.trim(), { validUntil: validUntil.trim(), ...(templateIds.length ? { templateIds } : {}) })
      setMessage('已授权')
      await load()
    } catch (err) {
      setMessage(errorMessage(err))
    }
  }
  const revoke = async (member: string) => {
    try {
      await revokeGrant(companyId, sealId, member)
      await load()
    } catch (err) {
      setMessage(errorMessage(err))
    }
  }

  return (
    <View className='page'>
      <Text className='page__title'>印章授权</Text>
      <View className='card'>
        <Text className='card__line'>成员编号</Text>
        <Input id='grant-user' value={userId} onInput={(e) => setUserId(e.detail.value)} />
        <Text className='card__line'>授权截止日期（YYYY-MM-DD，含当天）</Text>
        <Input id='grant-until' value={validUntil} placeholder='2026-12-31' onInput={(e) => setValidUntil(e.detail.value)} />
        <Text className='card__line'>仅限模板（可选，多个用逗号分隔）</Text>
        <Input id='grant-templates' value={templates} onInput={(e) => setTemplates(e.detail.value)} />
        <Button type='primary' onClick={grant}>
          授权
        </Button>
        {message && <Text className='card__line' id='grant-message'>{message}</Text>}
      </View>
      {grants.map((g) => (
        <View className='card' key={g.userId}>
          <Text className='card__line'>成员：{g.userId}</Text>
          <Text className='card__line'>有效期至：{g.validUntil}</Text>
          <Text className='card__line'>适用模板：{g.templateIds?.length ? g.templateIds.join('、') : '全部'}</Text>
          <Button size='mini' onClick={() => revoke(g.userId)}>
            撤销授权
          </Button>
        </View>
      ))}
    </View>
  )
}
