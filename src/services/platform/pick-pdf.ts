import { FILE_KINDS } from './file-kinds'
import { pickFile, type PickedFile } from './pick-file'

export type { PickedFile }

/** Lets the user pick one PDF (or, with `orZip`, an evidence package zip); null when cancelled. WeChat: from a chat (H5: pick-pdf.h5.ts). */
export const pickPdf = (options: { orZip?: boolean } = {}): Promise<PickedFile | null> => pickFile(options.orZip ? FILE_KINDS.pdfOrZip : FILE_KINDS.pdf)

/** Where the file comes from, as the upload step says it. */
export const pickPdfHint = '可从微信聊天中选择 PDF 文件。'
