import { useEffect, useState, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { loadApiImage } from '@/services/platform/api-image'
import { contractsApi } from '@/services/contracts-api'
import './index.css'

export type PageSize = { width: number; height: number }

/** Width in CSS px the page images are shown at: the page column's width less its padding. */
export function pageDisplayWidth(): number {
  try {
    const w = Taro.getSystemInfoSync().windowWidth || 375
    return Math.max(240, Math.min(w, 720) - 32)
  } catch {
    return 343
  }
}

/**
 * One page image of a contract (or, with `path`, any page image of the API: a template's, an
 * upload's), fetched with the session header, or a placeholder of the same size.
 */
export function PageImage({ contractId, path, page, size, width, version, children }: { contractId?: string; path?: string; page: number; size: PageSize; width: number; version?: string; children?: ReactNode }) {
  const [src, setSrc] = useState<string>()
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let live = true
    setSrc(undefined)
    setFailed(false)
    loadApiImage(path ?? contractsApi.pagePath(contractId ?? '', page, 750)).then(
      (url) => live && setSrc(url),
      () => live && setFailed(true),
    )
    return () => {
      live = false
    }
  }, [contractId, path, page, version])
  const height = Math.round((width * size.height) / size.width)
  const style = { width: `${width}px`, height: `${height}px` }
  return (
    <View className='cpage' style={style} id={`cpage-${page}`} data-page={page}>
      {src ? (
        <Image className='cpage__img' src={src} style={style} mode='scaleToFill' {...({ nativeProps: { alt: `第 ${page + 1} 页`, draggable: false } } as Record<string, unknown>)} />
      ) : (
        <View className='cpage__empty' style={style}>
          <Text>{failed ? '页面加载失败' : '页面加载中…'}</Text>
        </View>
      )}
      {children}
      <Text className='cpage__no'>
        {page + 1}
      </Text>
    </View>
  )
}

/** Every page of a contract, one under the other, each with what `overlay` draws on it. */
export default function ContractPages({ contractId, pages, width, version, overlay }: { contractId: string; pages: PageSize[]; width: number; version?: string; overlay?: (page: number) => ReactNode }) {
  return (
    <View className='cpages'>
      {pages.map((size, i) => (
        <PageImage key={i} contractId={contractId} page={i} size={size} width={width} version={version}>
          {overlay?.(i)}
        </PageImage>
      ))}
    </View>
  )
}

/** A PNG from the API (seal or signature image, loaded with the session header). */
export function ApiImage({ path, width, height, alt }: { path: string; width: number; height: number; alt: string }) {
  const [src, setSrc] = useState<string>()
  useEffect(() => {
    let live = true
    loadApiImage(path).then(
      (url) => live && setSrc(url),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [path])
  const style = { width: `${width}px`, height: `${height}px` }
  return src ? <Image src={src} mode='aspectFit' style={style} {...({ nativeProps: { alt } } as Record<string, unknown>)} /> : <View className='cpage__empty' style={style} />
}
