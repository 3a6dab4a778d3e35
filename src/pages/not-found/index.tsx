import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/ui'

/** 404：an address the app does not have (a mistyped or outdated link). */
export default function NotFound() {
  const { params } = useRouter()
  const path = params.path ? decodeURIComponent(params.path) : ''
  return (
    <View className='page' id='not-found'>
      <Text className='page__title'>页面不存在</Text>
      <Text className='page__desc'>您打开的地址{path ? `（${path}）` : ''}不存在，可能是链接有误或页面已下线。</Text>
      <Button id='not-found-home' className='btn-block' type='primary' onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
        返回首页
      </Button>
    </View>
  )
}
