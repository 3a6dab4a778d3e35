import Taro from '@tarojs/taro'
import { Text } from '@tarojs/components'
import FeaturePlaceholder from '@/components/feature-placeholder'

export default function ContractList() {
  return (
    <FeaturePlaceholder
      title='合同列表'
      description='这里将列出您发起和待您签署的合同，并按状态（草稿、签署中、已完成）筛选。'
    >
      <Text className='link' onClick={() => void Taro.navigateTo({ url: '/packages/contracts/pages/detail/index?id=demo' })}>
        查看示例合同 ›
      </Text>
    </FeaturePlaceholder>
  )
}
