import { FILE_KINDS } from './file-kinds'
import { pickFile, type PickedFile } from './pick-file'

export type { PickedFile }

/** H5: a file input (pick-file.h5.ts) for one CSV or XLSX; null when nothing was chosen. */
export const pickSheet = (): Promise<PickedFile | null> => pickFile(FILE_KINDS.sheet)

export const pickSheetHint = '从电脑或手机中选择 CSV 或 Excel（.xlsx）文件。'
