import type { PickedFile } from './pick-pdf'

export type { PickedFile }

/**
 * H5: a hidden `<input type="file" accept="application/pdf">` (also zip with `orZip`); the file becomes a blob: URL that
 * `Taro.uploadFile` reads. Resolves null when nothing was chosen.
 */
export function pickPdf(options: { orZip?: boolean } = {}): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = options.orZip ? 'application/pdf,.pdf,application/zip,.zip' : 'application/pdf,.pdf'
    input.id = 'verify-file-input'
    input.style.display = 'none'
    document.body.appendChild(input)
    const done = (value: PickedFile | null): void => {
      input.remove()
      resolve(value)
    }
    input.addEventListener('change', () => {
      const file = input.files?.[0]
      done(file ? { filePath: URL.createObjectURL(file), name: file.name, size: file.size } : null)
    })
    input.addEventListener('cancel', () => done(null))
    input.click()
  })
}

/** Where the file comes from, as the upload step says it. */
export const pickPdfHint = '从电脑或手机中选择 PDF 文件。'
