import Taro from '@tarojs/taro'
import { authHeader } from '../session'

/**
 * An image the API serves (page images, seals, signatures: they need the session header, which
 * `<Image src>` cannot send) as a local path. WeChat mini-program: `downloadFile` to a temp file,
 * so large page images never travel through setData as base64. (H5: api-image.h5.ts, a blob: URL.)
 */
export async function loadApiImage(path: string): Promise<string> {
  const file = await Taro.downloadFile({ url: `${API_BASE_URL}${path}`, header: authHeader() })
  if (file.statusCode !== 200) throw new Error('图片加载失败')
  return file.tempFilePath
}
