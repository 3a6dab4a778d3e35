import type { PropsWithChildren } from 'react'
import './app.css'

/** App shell: global styles only. Taro renders the current page as `children`. */
function App({ children }: PropsWithChildren) {
  return children
}

export default App
