import { useEffect, useRef, type ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/ui'
import { PageImage } from '@/components/contract-pages'
import { attachPointerDrag } from './drag-pointer'
import { freeSpot, moveByPixels, pointsToPixels, type PageSize, type PointRect } from './geometry'
import './index.css'

/** A box placed on a page: a signer's or role's field (in its colour) or a fill-in placeholder (dashed, labelled `{{key}}`). */
export type PlacedBox = {
  /** Unique among the boxes; the element's id is `cf-<id>`. */
  id: string
  page: number
  /** `[x, y, width, height]` in points on the page as displayed, origin bottom-left. */
  rect: PointRect
  /** CSS colour of its border and label (the party's or role's colour). */
  colour: string
  label: string
  variant?: 'field' | 'placeholder'
}

type Touch = { clientX?: number; clientY?: number; pageX?: number; pageY?: number }
type TouchEvt = { touches?: Touch[]; changedTouches?: Touch[] }
const touchAt = (e: TouchEvt) => {
  const t = e.touches?.[0] ?? e.changedTouches?.[0]
  return t ? { x: t.clientX ?? t.pageX ?? 0, y: t.clientY ?? t.pageY ?? 0 } : undefined
}

/**
 * Where a new box of `size` points goes on page `page`: near the page's middle, clear of the boxes
 * already on it (it is then dragged into place).
 */
export function newBoxRect(size: { width: number; height: number }, boxes: readonly { page: number; rect: readonly [number, number, number, number] }[], page: number, pageSize: PageSize): PointRect {
  return freeSpot(size, boxes.filter((b) => b.page === page).map((b) => b.rect), pageSize)
}

export type FieldPlacerProps = {
  /** Prefix of the pager's element ids (`<idPrefix>-page-prev`, `-page-no`, `-page-next`). */
  idPrefix: string
  /** Page sizes in points (as displayed). */
  pages: PageSize[]
  pageNo: number
  onPage: (page: number) => void
  /** The API path of page `page`'s image at `width` pixels. */
  imagePath: (page: number, width: number) => string
  /** Changes when the page images change (another document). */
  imageVersion?: string
  /** Width in CSS px the page is shown at (`pageDisplayWidth()`). */
  width: number
  boxes: PlacedBox[]
  selected?: string
  onSelect: (id: string) => void
  /** A box was dragged: its new rectangle, kept inside its page. */
  onMove: (id: string, rect: PointRect) => void
  /** Drawn on the page, above the boxes. */
  children?: ReactNode
}

/**
 * The drag-to-place field editor of the send wizard and the template editor: a pager, the page
 * image and the boxes on it, each dragged with a finger (touch events, both platforms) or a mouse or
 * pen (pointer events, H5: drag-pointer.h5.ts). Rectangles stay in PDF points on the page as
 * displayed and never leave the page. Adding and deleting boxes is the page's (it owns the list).
 */
export default function FieldPlacer(props: FieldPlacerProps) {
  const { idPrefix, pages, pageNo, onPage, imagePath, imageVersion, width, boxes, selected, onSelect } = props
  const drag = useRef<{ id: string; x: number; y: number; rect: PointRect; page: PageSize }>()
  const latest = useRef(props)
  latest.current = props

  const dragStart = (id: string, x: number, y: number) => {
    const b = latest.current.boxes.find((v) => v.id === id)
    const page = b && latest.current.pages[b.page]
    if (!b || !page) return
    drag.current = { id, x, y, rect: b.rect, page }
    latest.current.onSelect(id)
  }
  const dragMove = (x: number, y: number) => {
    const d = drag.current
    if (!d) return
    latest.current.onMove(d.id, moveByPixels(d.rect, x - d.x, y - d.y, d.page, latest.current.width))
  }
  const dragEnd = () => {
    drag.current = undefined
  }
  // Attached once; the listeners call the handlers of the latest render (a drag survives re-renders).
  const handlers = useRef({ dragStart, dragMove, dragEnd })
  handlers.current = { dragStart, dragMove, dragEnd }
  useEffect(
    () =>
      attachPointerDrag('.cfield--drag', {
        start: (id, x, y) => handlers.current.dragStart(id.replace(/^cf-/, ''), x, y),
        move: (x, y) => handlers.current.dragMove(x, y),
        end: () => handlers.current.dragEnd(),
      }),
    [],
  )

  const size = pages[pageNo]
  return (
    <View className='fplacer'>
      <View className='fplacer__pager'>
        <Button size='small' id={`${idPrefix}-page-prev`} disabled={pageNo === 0} onClick={() => onPage(pageNo - 1)}>
          上一页
        </Button>
        <Text id={`${idPrefix}-page-no`}>
          第 {pageNo + 1} / {pages.length} 页
        </Text>
        <Button size='small' id={`${idPrefix}-page-next`} disabled={pageNo >= pages.length - 1} onClick={() => onPage(pageNo + 1)}>
          下一页
        </Button>
      </View>
      {size && (
        <PageImage path={imagePath(pageNo, 750)} page={pageNo} size={size} width={width} version={imageVersion}>
          {boxes.map((b) => {
            if (b.page !== pageNo) return null
            const real = pointsToPixels(b.rect, size, width)
            // A tiny box (a checkbox) is drawn in a box a thumb can grab, centred on it.
            const w = Math.max(real.width, 28)
            const h = Math.max(real.height, 28)
            const box = { left: real.left - (w - real.width) / 2, top: real.top - (h - real.height) / 2, width: w, height: h }
            return (
              <View
                key={b.id}
                id={`cf-${b.id}`}
                className={`cfield cfield--drag ${b.variant === 'placeholder' ? 'cfield--placeholder' : ''} ${selected === b.id ? 'cfield--on' : ''}`}
                style={{ left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px`, color: b.colour }}
                catchMove
                onTouchStart={(e) => {
                  const p = touchAt(e as TouchEvt)
                  if (p) dragStart(b.id, p.x, p.y)
                }}
                onTouchMove={(e) => {
                  const p = touchAt(e as TouchEvt)
                  if (p) dragMove(p.x, p.y)
                }}
                onTouchEnd={dragEnd}
                onClick={() => onSelect(b.id)}
              >
                <Text className='cfield__label'>{b.label}</Text>
              </View>
            )
          })}
          {props.children}
        </PageImage>
      )}
    </View>
  )
}
