import Taro from '@tarojs/taro'

/** A PDF the user picked: a path `Taro.uploadFile` can send, its name and size. */
export type PickedFile = { filePath: string; name: string; size: number }

/**
 * Lets the user pick one PDF (or, with `orZip`, an evidence package zip). WeChat mini-program: from a chat (`chooseMessageFile`); resolves
 * null when the user cancels. (H5: pick-pdf.h5.ts, a file input.)
 */
export async function pickPdf(options: { orZip?: boolean } = {}): Promise<PickedFile | null> {
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: options.orZip ? ['pdf', 'zip'] : ['pdf'] })
    const f = res.tempFiles[0]
    return f ? { filePath: f.path, name: f.name, size: f.size } : null
  } catch (err) {
    const msg = (err as { errMsg?: string } | undefined)?.errMsg ?? ''
    if (/cancel/i.test(msg)) return null
    throw err
  }
}

/** Where the file comes from, as the upload step says it. */
export const pickPdfHint = '可从微信聊天中选择 PDF 文件。'
