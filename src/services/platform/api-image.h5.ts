import { authHeader } from '../session'

/** H5: fetched with the session header into a blob: URL. (Mini-program: api-image.ts.) */
export async function loadApiImage(path: string): Promise<string> {
  const res = await fetch(`${API_BASE_URL}${path}`, { headers: authHeader() })
  if (!res.ok) throw new Error('图片加载失败')
  return URL.createObjectURL(await res.blob())
}
