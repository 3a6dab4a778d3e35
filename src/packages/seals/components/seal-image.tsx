import { useEffect, useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import { sealImage } from '@/services/seals-api'

/** A seal or signature PNG from the API (loaded with the session header), or a placeholder while loading. */
export default function SealImage({ path, size = 160, alt }: { path: string; size?: number; alt?: string }) {
  const [src, setSrc] = useState<string>()
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let live = true
    sealImage(path).then(
      (url) => live && setSrc(url),
      () => live && setFailed(true),
    )
    return () => {
      live = false
    }
  }, [path])
  const style = { width: `${size}px`, height: `${size}px` }
  if (src) return <Image className='seal-image' src={src} mode='aspectFit' style={style} {...({ nativeProps: { alt: alt ?? '印章图片' } } as Record<string, unknown>)} />
  return (
    <View className='seal-image seal-image--empty' style={style}>
      <Text>{failed ? '图片加载失败' : '加载中…'}</Text>
    </View>
  )
}
