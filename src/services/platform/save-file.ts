import Taro from '@tarojs/taro'
import { authHeader } from '../session'

/**
 * Downloads a file the API serves that the mini-program cannot open (the evidence package zip):
 * `downloadFile`, then `shareFileMessage`, which sends it to a chat (文件传输助手 included), from
 * where it can be saved on a computer. (H5: save-file.h5.ts, a file download.)
 */
export async function saveFile(path: string, fileName: string): Promise<void> {
  const file = await Taro.downloadFile({ url: `${API_BASE_URL}${path}`, header: authHeader() })
  if (file.statusCode !== 200) throw new Error('文件下载失败，请稍后重试')
  await Taro.shareFileMessage({ filePath: file.tempFilePath, fileName })
}
