import type { Clock } from '../../cloud-functions/ports/clock'

/**
 * A {@link Clock} that only moves when told to. Starts at the real time (whole seconds) unless
 * given a start, so TTLs computed from it are also in the future for a real backend.
 *
 * @example
 * const clock = new ManualClock()
 * clock.advanceSeconds(61) // a 60 s link has now expired
 */
export class ManualClock implements Clock {
  private ms: number

  constructor(start: Date = new Date(Math.floor(Date.now() / 1000) * 1000)) {
    this.ms = start.getTime()
  }

  now(): Date {
    return new Date(this.ms)
  }

  /** The current time in epoch seconds. */
  nowSeconds(): number {
    return Math.floor(this.ms / 1000)
  }

  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000
  }
}
