import { Text, View } from '@tarojs/components'
import type { MemberView } from '@api/identity.types'

const ROLE_LABELS = { admin: '管理员', operator: '经办人' } as const

/** Choose one company member by name (never by id): one row per member, the chosen one marked. */
export default function MemberPicker({ members, value, onChange }: { members: MemberView[]; value?: string; onChange: (userId: string) => void }) {
  if (members.length === 0) return <Text className='field__hint'>企业还没有其他成员，请先在企业页面邀请成员。</Text>
  return (
    <View className='choice-list' id='member-picker'>
      {members.map((m) => {
        const on = m.userId === value
        return (
          <View key={m.userId} className={`choice${on ? ' choice--on' : ''}`} role='radio' aria-checked={on} data-member={m.name} onClick={() => onChange(m.userId)}>
            <Text>
              {m.name} · {ROLE_LABELS[m.role]}
              {m.maskedPhone ? ` · ${m.maskedPhone}` : ''}
            </Text>
            {on && <Text className='choice__mark'>✓ 已选</Text>}
          </View>
        )
      })}
    </View>
  )
}
