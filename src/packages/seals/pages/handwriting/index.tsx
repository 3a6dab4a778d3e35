import { useEffect, useRef, useState } from 'react'
import Taro, { useReady } from '@tarojs/taro'
import { Canvas, Image, Text, View } from '@tarojs/components'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import { useAction } from '@/hooks/use-action'
import { previewHandwriting, saveHandwriting } from '@/services/seals-api'
import { attachPointerStrokes, type PadPoint } from '../../lib/pad-pointer'
import { StrokeRecorder } from '../../lib/stroke-recorder'
import '../../seals.css'

type Pad = { canvas: { width: number; height: number; getBoundingClientRect?: () => { left: number; top: number } }; ctx: CanvasRenderingContext2D | null; width: number; height: number }
type Touch = { x?: number; y?: number; clientX?: number; clientY?: number; force?: number }

/**
 * 手写签名: draw on a 2d canvas; the strokes (points with timing and pressure) go to the server,
 * which renders them as smooth, pressure-like lines and stores a transparent PNG. A finger draws
 * through touch events; a mouse or pen on H5 through pointer events (lib/pad-pointer.h5.ts).
 */
export default function Handwriting() {
  const pad = useRef<Pad>()
  const recorder = useRef(new StrokeRecorder(320, 200))
  const [preview, setPreview] = useState<string>()
  const action = useAction()

  useReady(() => {
    Taro.createSelectorQuery()
      .select('#hw-canvas')
      .fields({ node: true, size: true })
      .exec((res: Array<{ node?: Pad['canvas'] & { clientWidth?: number; clientHeight?: number; getContext: (t: '2d') => CanvasRenderingContext2D | null }; width?: number; height?: number } | null>) => {
        const r = res?.[0]
        if (!r?.node) return
        const canvas = r.node
        // H5 returns no size fields (TOOLCHAIN.md §1): fall back to the element's own size.
        const width = r.width || canvas.clientWidth || 320
        const height = r.height || canvas.clientHeight || 200
        const dpr = Taro.getSystemInfoSync().pixelRatio || 1
        canvas.width = width * dpr
        canvas.height = height * dpr
        const ctx = canvas.getContext('2d')
        if (ctx) {
          ctx.scale(dpr, dpr)
          ctx.lineWidth = 3
          ctx.lineCap = 'round'
          ctx.lineJoin = 'round'
          ctx.strokeStyle = '#14141c'
        }
        pad.current = { canvas, ctx, width, height }
        // Strokes drawn before the canvas reported its size are kept.
        if (recorder.current.isEmpty) recorder.current = new StrokeRecorder(width, height)
      })
  })

  const at = (e: { touches?: Touch[]; changedTouches?: Touch[]; timeStamp?: number }) => {
    const t = e.touches?.[0] ?? e.changedTouches?.[0]
    if (!t) return undefined
    const rect = pad.current?.canvas.getBoundingClientRect?.()
    const x = t.x ?? (t.clientX ?? 0) - (rect?.left ?? 0)
    const y = t.y ?? (t.clientY ?? 0) - (rect?.top ?? 0)
    return { x, y, time: e.timeStamp ?? Date.now(), force: t.force }
  }

  const begin = (p: PadPoint) => {
    recorder.current.begin(p.x, p.y, p.time, p.force)
    pad.current?.ctx?.beginPath()
    pad.current?.ctx?.moveTo(p.x, p.y)
  }
  const extend = (p: PadPoint) => {
    if (recorder.current.move(p.x, p.y, p.time, p.force)) {
      pad.current?.ctx?.lineTo(p.x, p.y)
      pad.current?.ctx?.stroke()
    }
  }
  const onStart = (e: { touches?: Touch[]; timeStamp?: number }) => {
    const p = at(e)
    if (p) begin(p)
  }
  const onMove = (e: { touches?: Touch[]; timeStamp?: number }) => {
    const p = at(e)
    if (p) extend(p)
  }
  // Handlers read refs only, so attaching once is enough.
  useEffect(() => attachPointerStrokes('hw-canvas', { start: begin, move: extend }), [])

  const clear = () => {
    recorder.current.clear()
    setPreview(undefined)
    action.setNotice(undefined)
    action.setError(undefined)
    const p = pad.current
    p?.ctx?.clearRect(0, 0, p.width, p.height)
  }

  const run = (work: () => Promise<void>) => {
    if (recorder.current.isEmpty) {
      action.setError('请先在上方书写签名')
      return
    }
    void action.run(work)
  }

  return (
    <View className='page'>
      <Text className='page__title'>手写签名</Text>
      <Text className='page__desc'>请在下方区域内书写您的签名。</Text>
      <Canvas
        type='2d'
        id='hw-canvas'
        className='pad'
        disableScroll
        onTouchStart={onStart}
        onTouchMove={onMove}
      />
      <View className='card'>
        <View className='actions'>
          <Button id='hw-clear' type='default' fill='outline' onClick={clear}>
            清除
          </Button>
          <Button id='hw-preview' type='primary' fill='outline' loading={action.busy} onClick={() => run(async () => setPreview(await previewHandwriting(recorder.current.toRequest())))}>
            预览
          </Button>
          <Button
            id='hw-save'
            type='primary'
            loading={action.busy}
            onClick={() =>
              run(async () => {
                await saveHandwriting(recorder.current.toRequest())
                action.setNotice('签名已保存')
              })
            }
          >
            保存签名
          </Button>
        </View>
        <Notice text={action.notice} id='handwriting-message' />
        <ErrorText error={action.error} id='handwriting-error' />
        {preview && <Image id='handwriting-preview' className='preview' src={preview} mode='aspectFit' style={{ width: '300px', height: '150px' }} {...({ nativeProps: { alt: '签名预览' } } as Record<string, unknown>)} />}
      </View>
    </View>
  )
}
