import Taro from '@tarojs/taro'
import { authHeader } from '../session'

/**
 * Opens a PDF the API serves (with the session header). WeChat mini-program: download, then the
 * system document viewer. (H5: open-pdf.h5.ts, a new browser tab.)
 */
export async function openPdf(path: string): Promise<void> {
  const file = await Taro.downloadFile({ url: `${API_BASE_URL}${path}`, header: authHeader() })
  if (file.statusCode !== 200) throw new Error('文件下载失败，请稍后重试')
  await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: true })
}
