import { authHeader } from '../session'

/** H5: fetch the file with the session header and save it as `fileName` (e.g. the evidence package zip). (Mini-program: save-file.ts.) */
export async function saveFile(path: string, fileName: string): Promise<void> {
  const res = await fetch(`${API_BASE_URL}${path}`, { headers: authHeader() })
  if (!res.ok) throw new Error('文件下载失败，请稍后重试')
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
