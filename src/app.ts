import type { PropsWithChildren } from 'react'
import Taro, { usePageNotFound } from '@tarojs/taro'
import './app.css'

export const NOT_FOUND_PAGE = '/pages/not-found/index'

/** App shell: global styles and the theme; an unknown route opens the 404 page instead of leaving the previous one on screen. */
function App({ children }: PropsWithChildren) {
  usePageNotFound((res) => {
    const path = (res as { path?: string }).path ?? ''
    void Taro.redirectTo({ url: `${NOT_FOUND_PAGE}?path=${encodeURIComponent(path)}` }).catch(() => Taro.reLaunch({ url: `${NOT_FOUND_PAGE}?path=${encodeURIComponent(path)}` }))
  })
  return children
}

export default App
