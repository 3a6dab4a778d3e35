import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import { Input } from '@/components/ui'

export type FieldProps = {
  /** Id of the native input (tests and labels find it by this). */
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  placeholder: string
  type?: 'text' | 'number' | 'digit' | 'idcard'
  maxLength?: number
  hint?: string
  /** Shown after the input on the same row (e.g. 获取验证码). */
  extra?: ReactNode
}

/** A labelled text field: the theme's label, a NutUI input with a visible border, an optional hint and trailing button. */
export default function Field({ id, label, value, onChange, placeholder, type = 'text', maxLength, hint, extra }: FieldProps) {
  return (
    <View className='field'>
      <Text className='field__label'>{label}</Text>
      <View className='row'>
        <View className='field__control'>
          <Input id={id} type={type} value={value} placeholder={placeholder} maxLength={maxLength} onChange={(v: string) => onChange(v)} />
        </View>
        {extra}
      </View>
      {hint && <Text className='field__hint'>{hint}</Text>}
    </View>
  )
}
