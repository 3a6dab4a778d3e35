import type { FileKind, PickedFile } from './pick-file'

export type { FileKind, PickedFile }

/**
 * H5: a hidden `<input type="file">` accepting `kind.accept`; the file becomes a blob: URL that
 * `Taro.uploadFile` reads. Resolves null when nothing was chosen.
 */
export function pickFile(kind: FileKind): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = kind.accept
    input.id = kind.inputId
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
