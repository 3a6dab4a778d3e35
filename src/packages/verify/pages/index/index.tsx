import FeaturePlaceholder from '@/components/feature-placeholder'

export default function Verify() {
  return (
    <FeaturePlaceholder
      title='验证签名'
      description='这里将上传已签署的 PDF，检查每个签名是否完整、证书是否可信，并显示签署时间。'
    />
  )
}
