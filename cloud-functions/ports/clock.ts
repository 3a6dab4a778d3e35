/** The time, given to code that must not read the clock itself (`core/`, use cases). */
export interface Clock {
  now(): Date
}
