import type { HandwritingRequest } from '@api/seals.types'

type Point = { x: number; y: number; t: number; p?: number }

/**
 * Collects canvas touches into the strokes the server renders (`POST /api/seals/personal/handwriting`):
 * points relative to the canvas, milliseconds since the first touch, pressure when the device
 * reports `force`. Points closer than half a pixel to the previous one are dropped.
 */
export class StrokeRecorder {
  private readonly strokes: Point[][] = []
  private start?: number

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  begin(x: number, y: number, time: number, force?: number): void {
    this.start ??= time
    this.strokes.push([this.point(x, y, time, force)])
  }

  move(x: number, y: number, time: number, force?: number): Point | undefined {
    const stroke = this.strokes[this.strokes.length - 1]
    if (!stroke) return undefined
    const last = stroke[stroke.length - 1]!
    if (Math.hypot(x - last.x, y - last.y) < 0.5) return undefined
    const p = this.point(x, y, time, force)
    stroke.push(p)
    return p
  }

  clear(): void {
    this.strokes.length = 0
    this.start = undefined
  }

  get isEmpty(): boolean {
    return this.strokes.length === 0
  }

  toRequest(): HandwritingRequest {
    return { width: Math.round(this.width), height: Math.round(this.height), strokes: this.strokes.map((s) => s.map((q) => ({ ...q }))) }
  }

  private point(x: number, y: number, time: number, force?: number): Point {
    const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v * 10) / 10))
    const p: Point = { x: clamp(x, this.width), y: clamp(y, this.height), t: Math.max(0, Math.round(time - (this.start ?? time))) }
    if (typeof force === 'number' && force > 0 && force <= 1) p.p = Math.round(force * 100) / 100
    return p
  }
}
