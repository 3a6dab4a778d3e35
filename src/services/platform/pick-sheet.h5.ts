import type { PickedFile } from './pick-pdf'

export type { PickedFile }

/** H5: a hidden file input for CSV / XLSX; the file becomes a blob: URL that `Taro.uploadFile` reads. Null when nothing was chosen. */
export function pickSheet(): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = '.csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    input.id = 'bulk-file-input'
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

export const pickSheetHint = '从电脑或手机中选择 CSV 或 Excel（.xlsx）文件。'
