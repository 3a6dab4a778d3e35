import type { ReactNode } from 'react'
import { View, Text } from '@tarojs/components'

export type FeaturePlaceholderProps = {
  /** 页面标题 */
  title: string
  /** 一句话说明该页面将要提供的功能 */
  description: string
  children?: ReactNode
}

/** 尚在建设中的页面的统一外观：标题 + 功能说明 + 可选内容。 */
export default function FeaturePlaceholder({ title, description, children }: FeaturePlaceholderProps) {
  return (
    <View className='page'>
      <Text className='page__title'>{title}</Text>
      <Text className='page__desc'>{description}</Text>
      {children}
    </View>
  )
}
