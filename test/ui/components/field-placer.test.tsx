import { fireEvent, render, screen } from '@testing-library/react'
import { useState } from 'react'
import FieldPlacer, { newBoxRect, type PlacedBox } from '@/components/field-placer'
import type { PointRect } from '@/components/field-placer/geometry'

const A4 = { width: 595, height: 842 }
const WIDTH = 297.5 // half a point per pixel: 1 px dragged = 2 pt moved

/** The placer with its boxes kept in state, as the pages keep them. */
function Harness({ initial, onMoved }: { initial: PlacedBox[]; onMoved?: (id: string, rect: PointRect) => void }) {
  const [boxes, setBoxes] = useState(initial)
  const [selected, setSelected] = useState<string>()
  const [pageNo, setPageNo] = useState(0)
  return (
    <FieldPlacer
      idPrefix='t'
      pages={[A4, A4]}
      pageNo={pageNo}
      onPage={setPageNo}
      imagePath={(p, w) => `/api/x/pages/${p}?width=${w}`}
      width={WIDTH}
      boxes={boxes}
      selected={selected}
      onSelect={setSelected}
      onMove={(id, rect) => {
        onMoved?.(id, rect)
        setBoxes((bs) => bs.map((b) => (b.id === id ? { ...b, rect } : b)))
      }}
    />
  )
}

const touch = (el: Element, kind: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) => fireEvent[kind](el, { touches: [{ clientX: x, clientY: y }], changedTouches: [{ clientX: x, clientY: y }] })
const boxStyle = (id: string) => (document.getElementById(`cf-${id}`) as HTMLElement).style

describe('FieldPlacer (components/field-placer): the drag-to-place editor of the send wizard and the template editor', () => {
  const boxes: PlacedBox[] = [
    { id: 'f1', page: 0, rect: [100, 700, 120, 60], colour: '#1a56db', label: '甲方签名' },
    { id: 'ph-0', page: 0, rect: [72, 600, 160, 20], colour: '#4e5561', label: '{{月薪}}', variant: 'placeholder' },
    { id: 'f2', page: 1, rect: [10, 10, 110, 22], colour: '#c4161c', label: '乙方日期' },
  ]

  it('draws the boxes of the page shown at their place in pixels, a placeholder dashed and labelled {{key}}', () => {
    render(<Harness initial={boxes} />)
    expect(screen.getByText('甲方签名')).toBeInTheDocument()
    expect(screen.getByText('{{月薪}}').parentElement!.className).toContain('cfield--placeholder')
    expect(screen.queryByText('乙方日期')).toBeNull()
    // 0.5 px per point: x 100 → 50 px; top = (842 − 700 − 60) × 0.5 = 41 px.
    expect([boxStyle('f1').left, boxStyle('f1').top, boxStyle('f1').width, boxStyle('f1').height]).toEqual(['50px', '41px', '60px', '30px'])
    expect(boxStyle('f1').color).toBe('rgb(26, 86, 219)')
    fireEvent.click(screen.getByText('下一页'))
    expect(screen.getByText('第 2 / 2 页')).toBeInTheDocument()
    expect(screen.getByText('乙方日期')).toBeInTheDocument()
    expect(screen.queryByText('甲方签名')).toBeNull()
  })

  it('a finger drag moves a box by the points the pixels stand for (y up in the PDF) and selects it', () => {
    const moved = jest.fn()
    render(<Harness initial={boxes} onMoved={moved} />)
    const el = document.getElementById('cf-f1')!
    touch(el, 'touchStart', 100, 100)
    touch(el, 'touchMove', 110, 80)
    touch(el, 'touchMove', 130, 60)
    touch(el, 'touchEnd', 130, 60)
    // +30 px right, 40 px up → +60 pt x, +80 pt y.
    expect(moved).toHaveBeenLastCalledWith('f1', [160, 780, 120, 60])
    expect(el.className).toContain('cfield--on')
    expect(boxStyle('f1').left).toBe('80px')
  })

  it('keeps a dragged box inside its page', () => {
    const moved = jest.fn()
    render(<Harness initial={boxes} onMoved={moved} />)
    const el = document.getElementById('cf-ph-0')!
    touch(el, 'touchStart', 10, 10)
    touch(el, 'touchMove', 10000, -10000)
    touch(el, 'touchEnd', 10000, -10000)
    expect(moved).toHaveBeenLastCalledWith('ph-0', [595 - 160, 842 - 20, 160, 20])
  })

  it('a new box goes near the middle of the page shown, clear of the boxes already there', () => {
    const first = newBoxRect({ width: 120, height: 50 }, [], 0, A4)
    const second = newBoxRect({ width: 120, height: 50 }, [{ page: 0, rect: first }], 0, A4)
    const otherPage = newBoxRect({ width: 120, height: 50 }, [{ page: 1, rect: first }], 0, A4)
    expect(otherPage).toEqual(first)
    expect(second).not.toEqual(first)
    const [x, y, w, h] = second
    expect(x + w <= first[0] || first[0] + first[2] <= x || y + h <= first[1] || first[1] + first[3] <= y).toBe(true)
  })
})
