/** Identifier and randomness source, so tests can make ids deterministic. */
export interface Ids {
  /** A new unique, URL-safe, time-sortable id. */
  newId(): string
  /** `n` cryptographically random bytes. */
  randomBytes(n: number): Uint8Array
}
