import { useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { MemberView } from '@api/identity.types'
import type { SealGrantView, SealView } from '@api/seals.types'
import { Button, Cell } from '@/components/ui'
import { DatePicker } from '@/components/ui/pickers'
import ErrorText, { Notice } from '@/components/error-text'
import { useAction } from '@/hooks/use-action'
import { identityApi } from '@/services/identity-api'
import { grantSeal, listCompanySeals, listGrants, revokeGrant } from '@/services/seals-api'
import { requireLogin } from '@/services/session'
import MemberPicker from '../../components/member-picker'
import SealImage from '../../components/seal-image'
import '../../seals.css'

/** `YYYY-MM-DD` of a local date. */
const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
const inOneYear = () => {
  const d = new Date()
  d.setFullYear(d.getFullYear() + 1)
  return d
}

/** 印章授权 (admins): pick a member and an end date; the grants listed by member name. */
export default function AuthoriseSeal() {
  const { params } = useRouter()
  const companyId = params.companyId ?? ''
  const sealId = params.sealId ?? ''
  const [seal, setSeal] = useState<SealView>()
  const [members, setMembers] = useState<MemberView[]>([])
  const [grants, setGrants] = useState<SealGrantView[]>([])
  const [userId, setUserId] = useState<string>()
  const [until, setUntil] = useState<Date>(inOneYear)
  const [picking, setPicking] = useState(false)
  const action = useAction()

  const refreshGrants = async () => setGrants((await listGrants(companyId, sealId)).grants)

  useDidShow(() => {
    if (!requireLogin(`/packages/seals/pages/authorise/index?companyId=${companyId}&sealId=${sealId}`)) return
    void action.run(async () => {
      const [m, s] = await Promise.all([identityApi.members(companyId), listCompanySeals(companyId), refreshGrants()])
      setMembers(m)
      setSeal(s.seals.find((x) => x.sealId === sealId))
    })
  })

  const nameOf = (id: string) => members.find((m) => m.userId === id)?.name ?? '已离开企业的成员'

  const grant = () =>
    action.run(async () => {
      await grantSeal(companyId, sealId, userId!, { validUntil: isoDay(until) })
      action.setNotice(`已授权 ${nameOf(userId!)} 使用至 ${isoDay(until)}`)
      await refreshGrants()
    })
  const revoke = (member: string) =>
    action.run(async () => {
      await revokeGrant(companyId, sealId, member)
      action.setNotice(`已撤销 ${nameOf(member)} 的授权`)
      await refreshGrants()
    })

  const today = new Date()
  const latest = new Date(today.getFullYear() + 10, 11, 31)

  return (
    <View className='page'>
      <Text className='page__title'>印章授权</Text>
      {seal && (
        <View className='card seal-card'>
          <SealImage path={seal.imagePath} size={120} alt={seal.name} />
          <View className='seal-card__body'>
            <Text className='card__title' id='authorise-seal-name'>{seal.name}</Text>
            <Text className='card__line muted'>授权成员在期限内使用此印章；每次用印仍需用印审批。</Text>
          </View>
        </View>
      )}
      <View className='card'>
        <Text className='card__title'>选择成员</Text>
        <MemberPicker members={members} value={userId} onChange={setUserId} />
        <View id='grant-until'>
          <Cell title='授权截止日期（含当天）' extra={isoDay(until)} clickable onClick={() => setPicking(true)} />
        </View>
        <DatePicker
          title='授权截止日期'
          type='date'
          visible={picking}
          value={until}
          startDate={today}
          endDate={latest}
          showChinese
          onClose={() => setPicking(false)}
          onConfirm={(_options, values) => {
            const [y, m, d] = values.map(Number)
            if (y && m && d) setUntil(new Date(y, m - 1, d))
            setPicking(false)
          }}
        />
        <Button id='grant-submit' className='btn-block' type='primary' loading={action.busy} disabled={!userId} onClick={() => void grant()}>
          授权
        </Button>
        <Notice text={action.notice} id='grant-message' />
        <ErrorText error={action.error} id='grant-error' />
      </View>
      <Text className='page__section'>已授权</Text>
      {grants.length === 0 && <Text className='page__desc'>还没有授权成员。</Text>}
      {grants.map((g) => (
        <View className='card row grant' key={g.userId} data-grant={nameOf(g.userId)}>
          <View className='seal-card__body'>
            <Text className='card__title'>{nameOf(g.userId)}</Text>
            <Text className='card__line muted'>有效期至 {g.validUntil}</Text>
          </View>
          <Button size='small' type='danger' fill='outline' onClick={() => void revoke(g.userId)}>
            撤销授权
          </Button>
        </View>
      ))}
    </View>
  )
}
