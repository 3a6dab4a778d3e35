import { authHeader } from '../session'

/** H5: fetch the PDF with the session header and save it as a file named `fileName`. (Mini-program: save-pdf.ts.) */
export async function savePdf(path: string, fileName: string): Promise<void> {
  const res = await fetch(`${API_BASE_URL}${path}`, { headers: authHeader() })
  if (!res.ok) throw new Error('文件下载失败，请稍后重试')
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = fileName.toLowerCase().endsWith('.pdf') ? fileName : `${fileName}.pdf`
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
