import FeaturePlaceholder from '@/components/feature-placeholder'

export default function Sign() {
  return (
    <FeaturePlaceholder
      title='签署合同'
      description='这里将完成签署：核验身份、阅读合同、手写签名并确认，签名以数字证书写入 PDF。'
    />
  )
}
