import { authHeader } from '../session'

/** H5: fetch the PDF with the session header and show it in a new tab. (Mini-program: open-pdf.ts.) */
export async function openPdf(path: string): Promise<void> {
  // Open the tab inside the tap, before awaiting: browsers block pop-ups opened later.
  const tab = window.open('', '_blank')
  const res = await fetch(`${API_BASE_URL}${path}`, { headers: authHeader() })
  if (!res.ok) {
    tab?.close()
    throw new Error('文件下载失败，请稍后重试')
  }
  const url = URL.createObjectURL(await res.blob())
  if (tab) tab.location.href = url
  else window.location.href = url
}
