import Taro, { useRouter } from '@tarojs/taro'
import { Text } from '@tarojs/components'
import FeaturePlaceholder from '@/components/feature-placeholder'

export default function ContractDetail() {
  const { params } = useRouter()
  const id = params.id ?? ''
  return (
    <FeaturePlaceholder
      title='合同详情'
      description='这里将显示合同文件预览、签署人及签署顺序、签署进度和存证记录。'
    >
      {id !== '' && <Text className='page__desc'>合同编号：{id}</Text>}
      <Text
        className='link'
        onClick={() => void Taro.navigateTo({ url: `/packages/signing/pages/sign/index?id=${encodeURIComponent(id)}` })}
      >
        去签署 ›
      </Text>
    </FeaturePlaceholder>
  )
}
