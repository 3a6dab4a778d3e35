import Taro from '@tarojs/taro'
import type { PickedFile } from './pick-pdf'

export type { PickedFile }

/** Lets the user pick one CSV or XLSX. WeChat mini-program: from a chat (`chooseMessageFile`); null when cancelled. (H5: pick-sheet.h5.ts.) */
export async function pickSheet(): Promise<PickedFile | null> {
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv', 'xlsx'] })
    const f = res.tempFiles[0]
    return f ? { filePath: f.path, name: f.name, size: f.size } : null
  } catch (err) {
    const msg = (err as { errMsg?: string } | undefined)?.errMsg ?? ''
    if (/cancel/i.test(msg)) return null
    throw err
  }
}

export const pickSheetHint = '可从微信聊天中选择 CSV 或 Excel（.xlsx）文件。'
