import Taro from '@tarojs/taro'
import { authHeader } from '../session'

/**
 * Downloads a PDF the API serves and opens it. WeChat mini-program: `downloadFile`, then
 * `openDocument` (from where the user can forward or save it). (H5: save-pdf.h5.ts, a file download.)
 */
export async function savePdf(path: string, _fileName: string): Promise<void> {
  const file = await Taro.downloadFile({ url: `${API_BASE_URL}${path}`, header: authHeader() })
  if (file.statusCode !== 200) throw new Error('文件下载失败，请稍后重试')
  await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: true })
}
