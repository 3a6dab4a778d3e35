import { useRouter } from '@tarojs/taro'
import { WebView } from '@tarojs/components'

/**
 * 小程序内打开人脸核身 H5 页面（服务商的 H5 流程；微信自有刷脸接口仅对特定行业开放）。
 * 该页面的域名需配置为小程序的业务域名。完成后返回上一页查询结果。
 */
export default function FaceWebView() {
  const { params } = useRouter()
  const url = params.url ? decodeURIComponent(params.url) : ''
  return <WebView src={url} />
}
