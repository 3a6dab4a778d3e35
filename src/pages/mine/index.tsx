import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'

/** Where a user reaches their account features; each link opens a feature subpackage. */
const LINKS = [
  { text: '登录 / 切换账号', url: '/packages/identity/pages/login/index' },
  { text: '个人实名认证', url: '/packages/identity/pages/person/index' },
  { text: '企业认证', url: '/packages/identity/pages/company/index' },
  { text: '印章与签名', url: '/packages/seals/pages/list/index' },
  { text: '手写签名', url: '/packages/seals/pages/handwriting/index' },
  { text: '验证签名', url: '/packages/verification/pages/index/index' },
]

export default function Mine() {
  return (
    <View className='page'>
      <Text className='page__title'>我的</Text>
      <Text className='page__desc'>账户、实名认证、印章与签名。</Text>
      <View className='card'>
        {LINKS.map((link) => (
          <Text key={link.url} className='link' onClick={() => void Taro.navigateTo({ url: link.url })}>
            {link.text} ›
          </Text>
        ))}
      </View>
    </View>
  )
}
