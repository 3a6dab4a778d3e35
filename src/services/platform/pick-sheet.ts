import { FILE_KINDS } from './file-kinds'
import { pickFile, type PickedFile } from './pick-file'

export type { PickedFile }

/** Lets the user pick one CSV or XLSX; null when cancelled. WeChat: from a chat (H5: pick-sheet.h5.ts). */
export const pickSheet = (): Promise<PickedFile | null> => pickFile(FILE_KINDS.sheet)

export const pickSheetHint = '可从微信聊天中选择 CSV 或 Excel（.xlsx）文件。'
