import FeaturePlaceholder from '@/components/feature-placeholder'

export default function Mine() {
  return (
    <FeaturePlaceholder
      title='我的'
      description='这里将显示您的账户与实名认证信息、个人数字证书，以及您发起和签署过的合同。'
    />
  )
}
