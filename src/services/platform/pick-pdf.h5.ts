import { FILE_KINDS } from './file-kinds'
import { pickFile, type PickedFile } from './pick-file'

export type { PickedFile }

/** H5: a file input (pick-file.h5.ts) for one PDF (or, with `orZip`, a zip); null when nothing was chosen. */
export const pickPdf = (options: { orZip?: boolean } = {}): Promise<PickedFile | null> => pickFile(options.orZip ? FILE_KINDS.pdfOrZip : FILE_KINDS.pdf)

/** Where the file comes from, as the upload step says it. */
export const pickPdfHint = '从电脑或手机中选择 PDF 文件。'
