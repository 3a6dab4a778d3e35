import Taro from '@tarojs/taro'

/** A file the user picked: a path `Taro.uploadFile` can send, its name and size. */
export type PickedFile = { filePath: string; name: string; size: number }

/** What may be picked: file name extensions (WeChat), the `accept` list and the input's id (H5). */
export type FileKind = { extensions: string[]; accept: string; inputId: string }

/**
 * Lets the user pick one file of `kind`. WeChat mini-program: from a chat (`chooseMessageFile`);
 * resolves null when the user cancels. (H5: pick-file.h5.ts, a file input.)
 */
export async function pickFile(kind: FileKind): Promise<PickedFile | null> {
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: kind.extensions })
    const f = res.tempFiles[0]
    return f ? { filePath: f.path, name: f.name, size: f.size } : null
  } catch (err) {
    const msg = (err as { errMsg?: string } | undefined)?.errMsg ?? ''
    if (/cancel/i.test(msg)) return null
    throw err
  }
}
