import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { Cell } from '@/components/ui'
import { DatePicker } from '@/components/ui/pickers'

const dayOf = (s: string) => {
  const [y, m, d] = s.split('-').map(Number)
  return y && m && d ? new Date(y, m - 1, d) : new Date()
}

/** A cell showing a day (YYYY-MM-DD) that opens NutUI's date picker; `clearable` adds 清除. */
export default function DateCell({ id, title, value, onChange, placeholder = '请选择', min, max, clearable }: { id: string; title: string; value: string; onChange: (day: string) => void; placeholder?: string; min?: Date; max?: Date; clearable?: boolean }) {
  const [open, setOpen] = useState(false)
  const start = min ?? new Date(2020, 0, 1)
  const end = max ?? new Date(new Date().getFullYear() + 20, 11, 31)
  return (
    <View id={id}>
      <Cell
        title={title}
        extra={value || placeholder}
        clickable
        onClick={() => setOpen(true)}
      />
      {clearable && value && (
        <Text className='link date-cell__clear' id={`${id}-clear`} onClick={() => onChange('')}>
          清除{title}
        </Text>
      )}
      <DatePicker
        title={title}
        type='date'
        visible={open}
        value={value ? dayOf(value) : undefined}
        startDate={start}
        endDate={end}
        showChinese
        onClose={() => setOpen(false)}
        onConfirm={(_options, values) => {
          const [y, m, d] = values.map(Number)
          if (y && m && d) onChange(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
          setOpen(false)
        }}
      />
    </View>
  )
}
