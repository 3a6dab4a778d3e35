import { Text, View } from '@tarojs/components'

export type StepsProps = {
  /** Step labels, in order. */
  steps: string[]
  /** Index of the current step; `steps.length` when all are done. */
  current: number
}

/** 认证进度：已完成、当前、未开始三种状态。 */
export default function Steps({ steps, current }: StepsProps) {
  return (
    <View className='steps' id='identity-steps'>
      {steps.map((label, i) => (
        <Text
          key={label}
          className={`steps__item${i < current ? ' steps__item--done' : i === current ? ' steps__item--current' : ''}`}
          data-state={i < current ? 'done' : i === current ? 'current' : 'todo'}
        >
          {i < current ? `✓ ${label}` : `${i + 1}. ${label}`}
        </Text>
      ))}
    </View>
  )
}
